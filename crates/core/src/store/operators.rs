//! The console's operators and their sessions: an aggregate of its own, apart from users.

use async_trait::async_trait;

use crate::error::CoreResult;
use crate::model::{NewOperatorSession, Operator, OperatorSession, Timestamp};

#[async_trait]
pub trait OperatorStore: Send + Sync {
    /// Creates an operator; `Conflict(Username)` when the case-folded name is taken.
    async fn create_operator(
        &self,
        username: String,
        username_key: String,
        password_hash: String,
        now: Timestamp,
    ) -> CoreResult<Operator>;
    /// The operator with this case-folded name, with its password hash.
    async fn operator_for_login(
        &self,
        username_key: &str,
    ) -> CoreResult<Option<(Operator, String)>>;
    /// Stores a session and records the login; expired sessions are swept at the same time.
    async fn create_operator_session(
        &self,
        session: NewOperatorSession,
        now: Timestamp,
    ) -> CoreResult<()>;
    /// The session whose token hashes to `token_hash`, if it has not expired at `now`; its
    /// idle expiry is moved to `expires_at` (a session ends after an idle period, not at a
    /// fixed time after the login).
    async fn touch_operator_session(
        &self,
        token_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> CoreResult<Option<OperatorSession>>;
    /// Deletes the session; false when there was none.
    async fn end_operator_session(&self, token_hash: &str) -> CoreResult<bool>;
}
