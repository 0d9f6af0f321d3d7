//! Users many at a time: filtered pages and whole lists.

use async_trait::async_trait;

use super::user_pages::PageSender;
use crate::error::CoreResult;
use crate::ids::TenantId;
use crate::model::{Cursor, Page, UserFilter};

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
    /// routes answer whole lists): pages read one statement each on the blocking pool, sent
    /// into `pages` as they are read, until the last or until `pages` is dropped.
    async fn all_users(&self, tenant: TenantId, filter: &UserFilter, pages: PageSender);
}
