//! The two statements a query runs (its count and its page), built in one place so that
//! [`crate::explain`] plans exactly what [`crate::query_store`] executes.

use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::query_builder::{Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Nullable};
use diesel::SelectableHelper;
use rosetta_core::{Condition, GroupAttr, Sort, UserAttr};

use super::{groups as group_query, users as user_query};
use crate::db::{Backend, DbConn};
use crate::error::StoreError;
use crate::rows::groups::GroupRow;
use crate::rows::users::{visible, visible_count, UserRow};
use crate::schema::{groups, users};
use crate::search::Engine;

type UserSelect = diesel::dsl::AsSelect<UserRow, Backend>;
type GroupSelect = diesel::dsl::AsSelect<GroupRow, Backend>;

/// How many of the tenant's users match (`None` never: a count has a row).
pub(crate) fn user_count<'a>(
    e: Engine,
    tenant: i64,
    filter: Option<&Condition<UserAttr>>,
) -> Result<
    impl Query<SqlType = Nullable<BigInt>> + QueryFragment<Backend> + QueryId + RunQueryDsl<DbConn> + 'a,
    StoreError,
> {
    let count = || -> Result<_, StoreError> {
        Ok(user_query::filtered(e, tenant, filter)?.select(count_star()))
    };
    Ok(visible_count(count()?.filter(visible()), count()?))
}

/// One page of the tenant's matching users, in the sort's order.
pub(crate) fn user_page<'a>(
    e: Engine,
    tenant: i64,
    filter: Option<&Condition<UserAttr>>,
    sort: Option<&Sort<UserAttr>>,
    offset: i64,
    limit: i64,
) -> Result<users::BoxedQuery<'a, Backend, UserSelect>, StoreError> {
    let q = user_query::filtered(e, tenant, filter)?.filter(visible());
    Ok(user_query::sorted(q, sort)
        .select(UserRow::as_select())
        .offset(offset)
        .limit(limit))
}

/// How many of the tenant's groups match.
pub(crate) fn group_count<'a>(
    tenant: i64,
    filter: Option<&Condition<GroupAttr>>,
) -> Result<groups::BoxedQuery<'a, Backend, BigInt>, StoreError> {
    Ok(group_query::filtered(tenant, filter)?.select(count_star()))
}

/// One page of the tenant's matching groups, in the sort's order.
pub(crate) fn group_page<'a>(
    tenant: i64,
    filter: Option<&Condition<GroupAttr>>,
    sort: Option<&Sort<GroupAttr>>,
    offset: i64,
    limit: i64,
) -> Result<groups::BoxedQuery<'a, Backend, GroupSelect>, StoreError> {
    let q = group_query::filtered(tenant, filter)?;
    Ok(group_query::sorted(q, sort)
        .select(GroupRow::as_select())
        .offset(offset)
        .limit(limit))
}
