//! What a login reads and counts: candidates by name, failures toward the lockout.

use async_trait::async_trait;

use crate::error::CoreResult;
use crate::ids::UserId;
use crate::model::{Timestamp, User, UserKey, UserSecrets};

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
}
