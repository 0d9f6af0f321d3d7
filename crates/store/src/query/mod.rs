//! The core's query model ([`rosetta_core::Query`]) as Diesel boxed queries, written once for
//! both backends: each comparison a SQL predicate on the entity's table, combined with AND, OR
//! and NOT, counted and paged by the database. Text comparisons that fold letter case use the
//! stored lower-case keys where there is one (`username_key`, `email_key`, `full_name_key`,
//! `display_key`: equality seeks by index) and the v2 search's `name_key` LIKE for substrings
//! of names ([`crate::search`]); case-exact substrings use `substr`/`replace`, which behave
//! alike on both backends (LIKE folds ASCII case on SQLite and not on PostgreSQL).

pub(crate) mod groups;
pub(crate) mod pages;
pub(crate) mod text;
pub(crate) mod users;

use diesel::expression::BoxableExpression;
use diesel::sql_types::Bool;

use crate::db::Backend;

/// One predicate on table `T`.
pub(crate) type Pred<T> = Box<dyn BoxableExpression<T, Backend, SqlType = Bool>>;

/// A predicate that holds for every row (a `pr` on a column that is never empty).
pub(crate) fn always<T: 'static>() -> Pred<T> {
    Box::new(diesel::dsl::sql::<Bool>("1 = 1"))
}
