//! [`QueryStore`] over Diesel: a query's count and page, two statements on one connection.

use async_trait::async_trait;
use diesel::prelude::*;
use rosetta_core::{
    Condition, CoreResult, Group, GroupAttr, Members, Query, QueryPage, QueryStore, TenantId, User,
    UserAttr,
};

use crate::diesel_store::DieselStore;
use crate::query::pages;
use crate::rows::groups::{into_groups, GroupRow};
use crate::rows::users::{into_users, UserRow};
use crate::search::Engine;

fn bounds<A>(q: &Query<A>) -> (i64, i64) {
    (
        i64::try_from(q.offset).unwrap_or(i64::MAX),
        i64::from(q.limit),
    )
}

#[async_trait]
impl QueryStore for DieselStore {
    async fn query_users(
        &self,
        tenant: TenantId,
        filter: Option<&Condition<UserAttr>>,
        query: &Query<UserAttr>,
    ) -> CoreResult<QueryPage<User>> {
        let filter = filter.cloned();
        let sort = query.sort;
        let (offset, limit) = bounds(query);
        Ok(self
            .db
            .run(move |conn| {
                let e = Engine::of(conn);
                let total: Option<i64> =
                    pages::user_count(e, tenant.0, filter.as_ref())?.get_result(conn)?;
                let total = total.unwrap_or(0);
                let mut items = Vec::new();
                if limit > 0 && offset < total {
                    let rows: Vec<UserRow> = pages::user_page(
                        e,
                        tenant.0,
                        filter.as_ref(),
                        sort.as_ref(),
                        offset,
                        limit,
                    )?
                    .load(conn)?;
                    items = into_users(conn, rows)?;
                }
                Ok(QueryPage {
                    total: u64::try_from(total).unwrap_or(0),
                    items,
                })
            })
            .await?)
    }

    async fn query_groups(
        &self,
        tenant: TenantId,
        filter: Option<&Condition<GroupAttr>>,
        query: &Query<GroupAttr>,
        members: Members,
    ) -> CoreResult<QueryPage<Group>> {
        let filter = filter.cloned();
        let sort = query.sort;
        let (offset, limit) = bounds(query);
        Ok(self
            .db
            .run(move |conn| {
                let total: i64 = pages::group_count(tenant.0, filter.as_ref())?.get_result(conn)?;
                let mut items = Vec::new();
                if limit > 0 && offset < total {
                    let rows: Vec<GroupRow> =
                        pages::group_page(tenant.0, filter.as_ref(), sort.as_ref(), offset, limit)?
                            .load(conn)?;
                    items = into_groups(conn, rows, members)?;
                }
                Ok(QueryPage {
                    total: u64::try_from(total).unwrap_or(0),
                    items,
                })
            })
            .await?)
    }
}
