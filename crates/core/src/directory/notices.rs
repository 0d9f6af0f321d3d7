//! What a user is sent: activation tickets and the emails that carry them, and the welcome.

use super::requests::Onboarding;
use super::service::{after, Directory};
use crate::crypto;
use crate::error::CoreResult;
use crate::model::{EmailKind, NewEmail, NewTicket, SealedBody, Status, Tenant, UserRecord};

impl Directory {
    /// The ticket and messages `onboarding` gives a new user.
    pub(super) fn onboarding(
        &self,
        tenant: &Tenant,
        record: &UserRecord,
        onboarding: Onboarding,
    ) -> CoreResult<(Option<NewTicket>, Vec<NewEmail>)> {
        let ticket = match onboarding {
            Onboarding::Plain | Onboarding::Welcome => None,
            Onboarding::Activation { .. } => {
                (record.status == Status::Pending).then(crypto::random_token)
            }
            Onboarding::Reset { .. } => Some(crypto::random_token()),
        };
        let mut emails = Vec::new();
        let to = record.email.as_str();
        let name = &record.names.full;
        match (onboarding, &ticket) {
            (Onboarding::Activation { email: true }, Some(t)) => {
                emails.push(self.activation_email(tenant, to, name, t, EmailKind::Activation)?)
            }
            (Onboarding::Reset { email: true }, Some(t)) => {
                emails.push(self.activation_email(tenant, to, name, t, EmailKind::Reset)?);
            }
            (Onboarding::Welcome, _) => emails.push(self.welcome_email(tenant, to, name)?),
            _ => {}
        }
        Ok((ticket.map(|t| self.new_ticket(&t)), emails))
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
        kind: EmailKind,
    ) -> CoreResult<NewEmail> {
        let url = self.settings.activation_url.replace("{ticket}", ticket);
        Ok(NewEmail {
            tenant_id: tenant.id,
            to: to.to_owned(),
            subject: format!("Activate your {} account", tenant.name),
            kind,
            body: self.seal(&format!(
                "Hello {name},\r\n\r\nAn account has been created for you at {company}.\r\n\
                 To activate it, open this link:\r\n\r\n{url}\r\n\r\n\
                 The link can be used once and expires in {lifetime}.\r\n",
                company = tenant.name,
                lifetime = lifetime(self.settings.activation_ttl),
            ))?,
        })
    }

    fn welcome_email(&self, tenant: &Tenant, to: &str, name: &str) -> CoreResult<NewEmail> {
        Ok(NewEmail {
            tenant_id: tenant.id,
            to: to.to_owned(),
            subject: format!("Welcome to {}", tenant.name),
            kind: EmailKind::Welcome,
            body: self.seal(&format!(
                "Hello {name},\r\n\r\nAn account has been created for you at {}.\r\n",
                tenant.name
            ))?,
        })
    }

    /// Every body is sealed, the welcome too: one rule is easier to keep than a list of which
    /// messages carry secrets.
    fn seal(&self, body: &str) -> CoreResult<SealedBody> {
        Ok(SealedBody(self.cipher.encrypt(body)?))
    }
}

/// A ticket's lifetime as the email states it: in hours when it is whole hours, else in
/// minutes (a 30-minute ticket used to say "0 hours"), and never less than a minute.
fn lifetime(ttl: std::time::Duration) -> String {
    let minutes = (ttl.as_secs() / 60).max(1);
    let (n, unit) = if minutes % 60 == 0 {
        (minutes / 60, "hour")
    } else {
        (minutes, "minute")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod lifetime_tests {
    use super::lifetime;
    use std::time::Duration;

    #[test]
    fn lifetimes_under_an_hour_are_in_minutes() {
        let said = |secs| lifetime(Duration::from_secs(secs));
        assert_eq!(said(72 * 3600), "72 hours");
        assert_eq!(said(3600), "1 hour");
        assert_eq!(said(90 * 60), "90 minutes");
        assert_eq!(said(30 * 60), "30 minutes");
        assert_eq!(said(60), "1 minute");
        assert_eq!(said(5), "1 minute");
    }
}
