//! What a login reads and counts: candidates by name, failures toward the lockout.

use async_trait::async_trait;

use crate::error::CoreResult;
use crate::ids::UserId;
use crate::model::{Timestamp, User, UserKey, UserSecrets};

/// A login name as the lockout counts it, whether or not a user has it: the tenant the login
/// names (0 for the logins that name none) and a hash of the name's kind and case-folded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginName {
    pub tenant: i64,
    pub hash: String,
}

#[async_trait]
pub trait LoginStore: Send + Sync {
    /// Users matching a login name in any tenant, with their secrets, oldest first. Logins of
    /// kashflow and keaz name no tenant, so the tenant is found from the user.
    async fn login_candidates(&self, key: UserKey) -> CoreResult<Vec<(User, UserSecrets)>>;
    /// Counts a failed login; locks the user until `lock_until` once `threshold` is reached.
    /// Returns whether the user is now locked.
    async fn login_failed(
        &self,
        id: UserId,
        threshold: i32,
        lock_until: Timestamp,
    ) -> CoreResult<bool>;
    async fn login_succeeded(&self, id: UserId, now: Timestamp) -> CoreResult<()>;
    /// Whether the name is locked at `now`.
    async fn login_name_locked(&self, name: &LoginName, now: Timestamp) -> CoreResult<bool>;
    /// Counts a failed login for the name, in the database (so replicas share the count);
    /// locks it until `lock_until` once `threshold` is reached. Returns whether it is locked.
    async fn login_name_failed(
        &self,
        name: &LoginName,
        threshold: i32,
        lock_until: Timestamp,
        now: Timestamp,
    ) -> CoreResult<bool>;
    /// Forgets the name's failures (its password was right).
    async fn login_name_cleared(&self, name: &LoginName) -> CoreResult<()>;
    /// Forgets every name's failures last counted before `before` that do not lock it past
    /// `before`. Returns how many names were forgotten.
    async fn prune_login_failures(&self, before: Timestamp) -> CoreResult<u64>;
}
