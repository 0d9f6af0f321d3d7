//! Operators of the console (migration.md "Operator console"): the people who run the
//! gateway. They are no tenant's users and hold no role; the console only reads.

use std::fmt;

use super::time::Timestamp;
use crate::ids::TenantId;
use crate::model::{CredentialSummary, Status, Tenant};

/// An operator's number (its own sequence, apart from users').
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OperatorId(pub i64);

impl fmt::Display for OperatorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    pub id: OperatorId,
    pub username: String,
    pub created_at: Timestamp,
    pub last_login_at: Option<Timestamp>,
}

/// A secret of the console: a session's cookie token or its CSRF token. Never logged (its
/// `Debug` is redacted, it has no `Display`); it leaves this type only to be set in a cookie,
/// written into a form or compared.
#[derive(Clone, PartialEq, Eq)]
pub struct ConsoleSecret(String);

impl ConsoleSecret {
    pub fn new(text: String) -> Self {
        Self(text)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Compares without an early exit, so the time taken says nothing about where a guess
    /// first differs.
    pub fn matches(&self, given: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), given.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl fmt::Debug for ConsoleSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ConsoleSecret(<redacted>)")
    }
}

/// A session to store: the hash of its token, never the token.
#[derive(Debug, Clone)]
pub struct NewOperatorSession {
    pub token_hash: String,
    pub operator: OperatorId,
    pub csrf: ConsoleSecret,
    pub expires_at: Timestamp,
}

/// A live console session, as a request finds it.
#[derive(Debug, Clone)]
pub struct OperatorSession {
    pub operator: Operator,
    pub csrf: ConsoleSecret,
    pub expires_at: Timestamp,
}

/// What a console login came to.
#[derive(Debug)]
pub enum OperatorLogin {
    /// The session's cookie token and its CSRF token.
    Ok {
        operator: Operator,
        token: ConsoleSecret,
        csrf: ConsoleSecret,
    },
    /// Unknown name or wrong password: one answer for both.
    Rejected,
    Locked,
}

/// Users of one tenant counted per status (a `COUNT ... GROUP BY` in the store).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub active: i64,
    pub pending: i64,
    pub inactive: i64,
}

impl StatusCounts {
    pub fn add(&mut self, status: Status, n: i64) {
        match status {
            Status::Active => self.active += n,
            Status::Pending => self.pending += n,
            Status::Inactive => self.inactive += n,
        }
    }
}

/// One tenant as the console's tenants page shows it.
#[derive(Debug, Clone)]
pub struct TenantOverview {
    pub tenant: Tenant,
    pub users: StatusCounts,
    pub credentials: Vec<CredentialSummary>,
}

/// Per tenant and status, how many users (the rows of the store's count).
pub type UserStatusCount = (TenantId, Status, i64);
