//! Users many at a time: filtered pages and whole lists.

use async_trait::async_trait;

use crate::error::CoreResult;
use crate::ids::TenantId;
use crate::model::{Cursor, Page, User, UserFilter};

#[async_trait]
pub trait UserListStore: Send + Sync {
    async fn list_users(
        &self,
        tenant: TenantId,
        filter: &UserFilter,
        cursor: Cursor,
        limit: u32,
    ) -> CoreResult<Page>;
    /// Every user matching `filter`, by id, without counting them first (the legacy list
    /// routes answer whole lists). Read on one connection, a bounded page per statement.
    async fn all_users(&self, tenant: TenantId, filter: &UserFilter) -> CoreResult<Vec<User>>;
}
