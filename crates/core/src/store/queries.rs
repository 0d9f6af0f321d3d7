//! Users and groups by a [`Query`]: counted and paged by the database, never by loading a
//! tenant.

use async_trait::async_trait;

use crate::error::CoreResult;
use crate::ids::TenantId;
use crate::model::{Condition, Group, GroupAttr, Members, Query, QueryPage, User, UserAttr};

#[async_trait]
pub trait QueryStore: Send + Sync {
    /// `filter` is the query's folded condition (None: every user), every value of its
    /// attribute's type (`Folded::Cond`); the query's own filter is not read.
    async fn query_users(
        &self,
        tenant: TenantId,
        filter: Option<&Condition<UserAttr>>,
        query: &Query<UserAttr>,
    ) -> CoreResult<QueryPage<User>>;
    async fn query_groups(
        &self,
        tenant: TenantId,
        filter: Option<&Condition<GroupAttr>>,
        query: &Query<GroupAttr>,
        members: Members,
    ) -> CoreResult<QueryPage<Group>>;
}
