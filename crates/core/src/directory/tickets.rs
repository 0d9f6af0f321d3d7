//! Activation: checking and redeeming tickets, and issuing new ones.

use super::actor::Actor;
use super::requests::{ActivateRequest, ResetTicketRequest};
use super::rights::check_reach;
use super::service::{now, Directory};
use crate::crypto;
use crate::error::{CoreError, CoreResult, Field, Problem};
use crate::ids::UserId;
use crate::model::{EmailKind, Status, User, UserKey};
use crate::store::{Redeem, RedeemOutcome, TicketReplace};

impl Directory {
    pub async fn ticket_valid(&self, ticket: &str) -> CoreResult<bool> {
        self.store
            .ticket_valid(&crypto::token_hash(ticket), now())
            .await
    }

    /// Redeems a ticket: the user becomes active (with the password, if one is sent).
    pub async fn activate(&self, request: ActivateRequest<'_>) -> CoreResult<RedeemOutcome> {
        let ActivateRequest {
            dialect,
            ticket,
            password,
        } = request;
        let hash = crypto::token_hash(ticket);
        if !self.store.ticket_valid(&hash, now()).await? {
            return Ok(RedeemOutcome::NoSuchTicket);
        }
        let password = password.map(|pw| self.password(pw)).transpose()?;
        let password_hash = match password {
            Some(pw) => Some(
                self.hasher
                    .hash(pw.into_plain(), self.settings.bcrypt_cost)
                    .await?,
            ),
            None => None,
        };
        let redeem = Redeem {
            password_hash,
            actor: "ticket".into(),
            dialect: dialect.to_owned(),
        };
        self.store.redeem_ticket(&hash, redeem, now()).await
    }

    /// A new ticket for a pending user (or one whose password was reset); the old one is void.
    pub async fn resend_activation(&self, actor: &Actor, id: UserId) -> CoreResult<()> {
        actor.require_admin()?;
        let user = self.get_user(actor, UserKey::Id(id)).await?;
        // A new ticket sets a new password: the same reach as setting it.
        check_reach(actor, &user)?;
        if user.status != Status::Pending && !user.password_expired {
            return Err(CoreError::invalid(Field::Status, Problem::NotPending));
        }
        self.replace_ticket(actor, &user, true).await
    }

    /// A ticket (and its email) for a user whose password was just reset.
    pub async fn issue_reset_ticket(
        &self,
        actor: &Actor,
        request: ResetTicketRequest,
    ) -> CoreResult<()> {
        let ResetTicketRequest { user, send_email } = request;
        actor.require_admin()?;
        let user = self.get_user(actor, UserKey::Id(user)).await?;
        check_reach(actor, &user)?;
        self.replace_ticket(actor, &user, send_email).await
    }

    /// Voids the user's open tickets and stores a fresh one, with its email when asked.
    async fn replace_ticket(&self, actor: &Actor, user: &User, send_email: bool) -> CoreResult<()> {
        let tenant = self.tenant(actor.tenant).await?;
        let ticket = crypto::random_token();
        let email = send_email
            .then(|| {
                self.activation_email(
                    &tenant,
                    user.email.as_str(),
                    &user.names.full,
                    &ticket,
                    EmailKind::Reset,
                )
            })
            .transpose()?;
        let replace = TicketReplace {
            tenant: actor.tenant,
            user: user.id,
            ticket: self.new_ticket(&ticket),
            email,
        };
        self.store.replace_ticket(replace, now()).await
    }
}
