//! Messages queued for sending.

use std::fmt;

use super::time::Timestamp;
use crate::ids::TenantId;

/// A message for the outbox, written in the same transaction as the change that causes it.
/// Its body is sealed: an activation email carries a ticket, and the outbox is a table anyone
/// with a database dump can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEmail {
    pub tenant_id: TenantId,
    pub to: String,
    pub subject: String,
    pub kind: EmailKind,
    pub body: SealedBody,
}

/// What a message is for; kept after sending, when the body is gone, for operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailKind {
    Activation,
    Reset,
    Welcome,
}

impl EmailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Activation => "activation",
            Self::Reset => "reset",
            Self::Welcome => "welcome",
        }
    }
}

/// A body encrypted with the secret key, as stored (only the directory's cipher reads it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedBody(pub String);

/// A queued message's body as the outbox holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredBody {
    Sealed(SealedBody),
    /// Queued before bodies were sealed (migration `2026-12-01-000015_outbox_sealed`): sent as
    /// it is, then dropped like any other.
    Plain(EmailBody),
}

/// A queued message as the store reads it, body still sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedEmail {
    pub id: i64,
    pub tenant_id: TenantId,
    pub to: String,
    pub subject: String,
    pub body: StoredBody,
    pub attempts: i32,
    pub created_at: Timestamp,
}

/// A message for the sender, body readable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEmail {
    pub id: i64,
    pub tenant_id: TenantId,
    pub to: String,
    pub subject: String,
    pub body: EmailBody,
    pub attempts: i32,
    pub created_at: Timestamp,
}

/// The text of a message. It may carry an activation ticket, so it never reaches a log.
#[derive(Clone, PartialEq, Eq)]
pub struct EmailBody(String);

impl EmailBody {
    pub fn new(text: String) -> Self {
        Self(text)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn into_plain(self) -> String {
        self.0
    }
}

impl fmt::Debug for EmailBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EmailBody(<redacted>)")
    }
}
