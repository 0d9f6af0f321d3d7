//! Users one at a time: writes with everything that commits beside them, and reads by key.

use async_trait::async_trait;

use crate::error::CoreResult;
use crate::ids::{TenantId, UserId};
use crate::model::{
    NewAudit, NewEmail, NewTicket, SecretChange, SessionKind, Timestamp, User, UserKey, UserRecord,
    UserSecrets,
};

/// A new user and everything written with it, in its one transaction: the single create, the
/// create with a password reset and each user of a batch are all one of these.
#[derive(Clone)]
pub struct NewUserWrite {
    pub record: UserRecord,
    pub secrets: SecretChange,
    pub audit: NewAudit,
    /// The activation ticket, when the user gets one.
    pub ticket: Option<NewTicket>,
    pub emails: Vec<NewEmail>,
}

/// A full record to write over a stored user, if the stored version is still
/// `expected_version`.
#[derive(Clone)]
pub struct UserUpdateWrite {
    pub tenant: TenantId,
    pub id: UserId,
    pub expected_version: i64,
    pub record: UserRecord,
    pub secrets: SecretChange,
    pub audit: NewAudit,
    /// The sessions the write ends besides those a user who may no longer log in loses.
    pub end_sessions: EndSessions,
}

/// A user to delete, if the stored version is still `expected_version` (the one the caller's
/// checks were made on).
#[derive(Clone)]
pub struct UserDeleteWrite {
    pub tenant: TenantId,
    pub id: UserId,
    pub expected_version: i64,
    pub audit: NewAudit,
}

/// Which of a user's sessions (and temporary tokens) a write ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndSessions {
    None,
    /// Every one but this session (the caller's own, when it changed its own secrets).
    AllBut(Option<i64>),
}

#[async_trait]
pub trait UserStore: Send + Sync {
    /// Inserts the user with its secrets, audit row, optional activation ticket and emails.
    async fn insert_user(&self, user: NewUserWrite, now: Timestamp) -> CoreResult<User>;
    /// Inserts many users (CSV import): all or nothing, and no reader sees any of them before
    /// all of them.
    async fn insert_users(&self, users: Vec<NewUserWrite>, now: Timestamp)
        -> CoreResult<Vec<User>>;
    /// Removes what imports left unfinished (their gateway died mid-import) whose last sign
    /// of life is older than `stale_before`; how many imports went.
    async fn sweep_imports(&self, stale_before: Timestamp) -> CoreResult<u64>;
    async fn user(&self, tenant: TenantId, key: UserKey) -> CoreResult<Option<User>>;
    async fn user_secrets(&self, tenant: TenantId, id: UserId) -> CoreResult<Option<UserSecrets>>;
    /// A user with its unexpired sessions of `kind` counted, read on one connection (the one
    /// user kashflow's `GET /users/{n}` shows with `NoOfLogins`).
    async fn user_with_session_count(
        &self,
        tenant: TenantId,
        id: UserId,
        kind: SessionKind,
        now: Timestamp,
    ) -> CoreResult<Option<(User, i64)>>;
    /// Writes the full record if the stored version is still the expected one.
    /// `Err(VersionConflict)` otherwise, `Err(NotFound)` if the user is gone.
    async fn update_user(&self, update: UserUpdateWrite, now: Timestamp) -> CoreResult<User>;
    /// Deletes the user with its sessions and tickets if the stored version is still the
    /// expected one; the audit row stays. `Err(VersionConflict)` otherwise, `Err(NotFound)` if
    /// the user is gone.
    async fn delete_user(&self, delete: UserDeleteWrite) -> CoreResult<()>;
}
