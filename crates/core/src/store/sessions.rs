//! Login sessions and temporary tokens (kashflow, keaz).

use async_trait::async_trait;

use crate::error::CoreResult;
use crate::ids::UserId;
use crate::model::{NewSession, Role, Session, SessionKind, Timestamp, User};

#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Stores a session; of the user's sessions of its kind, only the newest `keep` remain.
    async fn create_session(
        &self,
        session: NewSession,
        keep: u32,
        now: Timestamp,
    ) -> CoreResult<Session>;
    /// The session under a token hash, with its user and the tenant's role catalogue. Every
    /// authenticated request needs all three, so they are read in one go (one connection, one
    /// trip to the blocking pool) rather than as three calls. `None` when either is gone.
    async fn session_by_hash(
        &self,
        token_hash: &str,
    ) -> CoreResult<Option<(Session, User, Vec<Role>)>>;
    /// Removes a session (a temporary token is used once; logout). False if it was gone, so
    /// two racing uses of one temporary token cannot both win.
    async fn delete_session(&self, id: i64) -> CoreResult<bool>;
    async fn touch_session(&self, id: i64, now: Timestamp, expires_at: Timestamp)
        -> CoreResult<()>;
    /// Unexpired sessions of each user (kashflow `NoOfLogins`).
    async fn session_counts(
        &self,
        ids: &[UserId],
        kind: SessionKind,
        now: Timestamp,
    ) -> CoreResult<Vec<(UserId, i64)>>;
}
