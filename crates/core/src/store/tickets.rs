//! Activation tickets: issued with a new user or on request, redeemed once.

use async_trait::async_trait;

use crate::error::CoreResult;
use crate::ids::{TenantId, UserId};
use crate::model::{NewEmail, NewTicket, Timestamp, User};

/// A fresh ticket for a user, voiding the user's open ones, with its email when one is sent.
#[derive(Debug, Clone)]
pub struct TicketReplace {
    pub tenant: TenantId,
    pub user: UserId,
    pub ticket: NewTicket,
    pub email: Option<NewEmail>,
}

/// What happens to a user row when a ticket is redeemed, and who the audit row names.
#[derive(Clone, Default)]
pub struct Redeem {
    /// Set when the client sent a password with the activation.
    pub password_hash: Option<String>,
    pub actor: String,
    pub dialect: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RedeemOutcome {
    Activated(Box<User>),
    /// Unknown, used, replaced or expired: all look the same to the caller.
    NoSuchTicket,
    /// The user has no password and none was sent; nothing changed.
    PasswordRequired,
}

#[async_trait]
pub trait TicketStore: Send + Sync {
    /// Voids the user's open tickets and stores the new one, with its email, in one
    /// transaction. `Err(NotFound)` if the user is not in the tenant.
    async fn replace_ticket(&self, replace: TicketReplace, now: Timestamp) -> CoreResult<()>;
    /// Whether a ticket is valid now (unused, not replaced, not expired).
    async fn ticket_valid(&self, token_hash: &str, now: Timestamp) -> CoreResult<bool>;
    async fn redeem_ticket(
        &self,
        token_hash: &str,
        redeem: Redeem,
        now: Timestamp,
    ) -> CoreResult<RedeemOutcome>;
}
