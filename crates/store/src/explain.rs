//! The plan the database makes for a user or group query: the very statements
//! [`rosetta_core::QueryStore`] runs for it (its count and its page, from `query::pages`), each
//! prefixed with `EXPLAIN QUERY PLAN` (SQLite) or `EXPLAIN` (PostgreSQL) and run with the same
//! bound values. For tests that pin which index answers a filter; never on a request's path.

use std::marker::PhantomData;

use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query as SqlQuery, QueryFragment, QueryId};
use diesel::sql_types::{Integer, Text};
use rosetta_core::{
    Condition, Folded, GroupAttr, Query, QueryAttr, TenantId, UserAttr, UserFilter,
};

use crate::db::{Backend, Db, DbConn};
use crate::error::StoreError;
use crate::query::pages;
use crate::search::Engine;
use crate::user_list_store;

/// The plans of a query's two statements, as the database prints them: SQLite's `detail`
/// lines (`SEARCH users USING INDEX ...`), PostgreSQL's text plan (`Index Scan using ...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryPlans {
    pub count: String,
    pub page: String,
}

/// The plans of what `Directory::query_users` runs for `query` in `tenant`: its filter
/// prepared as the directory prepares it, then the store's two statements. `None` when the
/// filter can match nothing, so no statement runs.
pub async fn users(
    db: &Db,
    tenant: TenantId,
    query: &Query<UserAttr>,
) -> Result<Option<QueryPlans>, StoreError> {
    let Some(filter) = prepared(query)? else {
        return Ok(None);
    };
    let (sort, (offset, limit)) = (query.sort, bounds(query));
    db.run(move |conn| {
        let e = Engine::of(conn);
        Ok(Some(QueryPlans {
            count: plan(conn, pages::user_count(e, tenant.0, filter.as_ref())?)?,
            page: plan(
                conn,
                pages::user_page(e, tenant.0, filter.as_ref(), sort.as_ref(), offset, limit)?,
            )?,
        }))
    })
    .await
}

/// The plans of what `Directory::query_groups` runs for `query` (the members are loaded
/// after, by group id).
pub async fn groups(
    db: &Db,
    tenant: TenantId,
    query: &Query<GroupAttr>,
) -> Result<Option<QueryPlans>, StoreError> {
    let Some(filter) = prepared(query)? else {
        return Ok(None);
    };
    let (sort, (offset, limit)) = (query.sort, bounds(query));
    db.run(move |conn| {
        Ok(Some(QueryPlans {
            count: plan(conn, pages::group_count(tenant.0, filter.as_ref())?)?,
            page: plan(
                conn,
                pages::group_page(tenant.0, filter.as_ref(), sort.as_ref(), offset, limit)?,
            )?,
        }))
    })
    .await
}

/// The plan of the walk over every matching id that a user list page asked for by position
/// runs (`UserListStore::list_users` with `Cursor::Offset`, v2's deep `PageNo`).
pub async fn user_id_walk(
    db: &Db,
    tenant: TenantId,
    filter: &UserFilter,
) -> Result<String, StoreError> {
    let filter = filter.clone();
    db.run(move |conn| {
        let e = Engine::of(conn);
        plan(conn, user_list_store::id_walk(e, tenant, &filter))
    })
    .await
}

/// The filter the store is given: `None` inside for every row, `None` outside for none.
fn prepared<A: QueryAttr>(query: &Query<A>) -> Result<Option<Option<Condition<A>>>, StoreError> {
    Ok(match query.prepare()? {
        Folded::Never => None,
        Folded::Always => Some(None),
        Folded::Cond(c) => Some(Some(c)),
    })
}

/// As `query_store` bounds the page.
fn bounds<A>(q: &Query<A>) -> (i64, i64) {
    (
        i64::try_from(q.offset).unwrap_or(i64::MAX),
        i64::from(q.limit),
    )
}

fn plan<Q>(conn: &mut DbConn, statement: Q) -> Result<String, StoreError>
where
    Q: QueryFragment<Backend>,
{
    let lines: Vec<String> = if matches!(conn, DbConn::Sqlite(_)) {
        // id, parent, notused, detail
        let rows: Vec<(i32, i32, i32, String)> = Explain {
            prefix: "EXPLAIN QUERY PLAN ",
            statement,
            columns: PhantomData::<SqliteColumns>,
        }
        .load(conn)?;
        rows.into_iter().map(|(_, _, _, detail)| detail).collect()
    } else {
        Explain {
            prefix: "EXPLAIN ",
            statement,
            columns: PhantomData::<PgColumns>,
        }
        .load(conn)?
    };
    Ok(lines.join("\n"))
}

/// What the EXPLAIN answers, per backend.
struct SqliteColumns;
struct PgColumns;

trait Columns {
    type SqlType;
}
impl Columns for SqliteColumns {
    type SqlType = (Integer, Integer, Integer, Text);
}
impl Columns for PgColumns {
    type SqlType = Text;
}

/// `prefix` then the statement, its bound values bound as they would be.
struct Explain<Q, C> {
    prefix: &'static str,
    statement: Q,
    columns: PhantomData<C>,
}

impl<Q: QueryFragment<Backend>, C> QueryFragment<Backend> for Explain<Q, C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Backend>) -> QueryResult<()> {
        out.push_sql(self.prefix);
        self.statement.walk_ast(out.reborrow())
    }
}

// Never cached as a prepared statement: the prefix is not part of the statement's id.
impl<Q, C> QueryId for Explain<Q, C> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q, C: Columns> SqlQuery for Explain<Q, C> {
    type SqlType = C::SqlType;
}

impl<Q, C> RunQueryDsl<DbConn> for Explain<Q, C> {}
