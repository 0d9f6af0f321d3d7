//! What a user is sent: activation tickets and the emails that carry them, and the welcome.

use super::requests::Onboarding;
use super::service::{after, Directory};
use crate::crypto;
use crate::model::{NewEmail, NewTicket, Status, Tenant, UserRecord};

impl Directory {
    /// The ticket and messages `onboarding` gives a new user.
    pub(super) fn onboarding(
        &self,
        tenant: &Tenant,
        record: &UserRecord,
        onboarding: Onboarding,
    ) -> (Option<NewTicket>, Vec<NewEmail>) {
        let ticket = match onboarding {
            Onboarding::Plain | Onboarding::Welcome => None,
            Onboarding::Activation { .. } => {
                (record.status == Status::Pending).then(crypto::random_token)
            }
            Onboarding::Reset { .. } => Some(crypto::random_token()),
        };
        let mut emails = Vec::new();
        match (onboarding, &ticket) {
            (
                Onboarding::Activation { email: true } | Onboarding::Reset { email: true },
                Some(t),
            ) => emails.push(self.activation_email(
                tenant,
                record.email.as_str(),
                &record.names.full,
                t,
            )),
            (Onboarding::Welcome, _) => emails.push(welcome_email(
                tenant,
                record.email.as_str(),
                &record.names.full,
            )),
            _ => {}
        }
        (ticket.map(|t| self.new_ticket(&t)), emails)
    }

    /// How a ticket handed out now is stored: its hash, and when it expires.
    pub(super) fn new_ticket(&self, ticket: &str) -> NewTicket {
        NewTicket {
            token_hash: crypto::token_hash(ticket),
            expires_at: after(self.settings.activation_ttl),
        }
    }

    pub(super) fn activation_email(
        &self,
        tenant: &Tenant,
        to: &str,
        name: &str,
        ticket: &str,
    ) -> NewEmail {
        let url = self.settings.activation_url.replace("{ticket}", ticket);
        NewEmail {
            tenant_id: tenant.id,
            to: to.to_owned(),
            subject: format!("Activate your {} account", tenant.name),
            body: format!(
                "Hello {name},\r\n\r\nAn account has been created for you at {company}.\r\n\
                 To activate it, open this link:\r\n\r\n{url}\r\n\r\n\
                 The link can be used once and expires in {hours} hours.\r\n",
                company = tenant.name,
                hours = self.settings.activation_ttl.as_secs() / 3600,
            ),
        }
    }
}

fn welcome_email(tenant: &Tenant, to: &str, name: &str) -> NewEmail {
    NewEmail {
        tenant_id: tenant.id,
        to: to.to_owned(),
        subject: format!("Welcome to {}", tenant.name),
        body: format!(
            "Hello {name},\r\n\r\nAn account has been created for you at {}.\r\n",
            tenant.name
        ),
    }
}
