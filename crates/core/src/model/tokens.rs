//! Login sessions and activation tickets: tokens a user holds, of which only hashes are kept.

use super::time::Timestamp;
use crate::ids::{TenantId, UserId};

/// A login session (kashflow, keaz). `kind` tells a one-use temporary token from a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: i64,
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub dialect: String,
    pub kind: SessionKind,
    /// Dialect-owned state, e.g. the memorable-word positions asked for.
    pub data: Option<String>,
    pub created_at: Timestamp,
    pub last_used_at: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Temporary,
    Session,
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Temporary => "temporary",
            Self::Session => "session",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "temporary" => Some(Self::Temporary),
            "session" => Some(Self::Session),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub dialect: String,
    pub kind: SessionKind,
    pub token_hash: String,
    pub data: Option<String>,
    pub expires_at: Timestamp,
}

/// An activation ticket to store with a user (only its hash is kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTicket {
    pub token_hash: String,
    pub expires_at: Timestamp,
}
