//! A user's groups as one column of the user's own row: a correlated subquery, so reading a
//! user by id is one statement instead of two (on PostgreSQL each statement is a round trip,
//! and a kashflow GET reads two users).
//!
//! A hand-written expression rather than `diesel::dsl::sql`: it has a static query id (derived
//! `QueryId` of a unit struct), so every query selecting it keeps Diesel's prepared statement
//! cached by type on both backends, where an SQL literal would make the statement uncached.

use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Nullable, Text};
use diesel::QueryResult;
use uuid::Uuid;

use super::uuid;
use crate::error::StoreError;
use crate::schema::users;

/// `users.id`'s group uuids joined by `,`, in the order `set_user_groups` stores them
/// (`position`, then group id, as `group_refs` and `groups_by_user` read them); NULL for a user with none.
///
/// `string_agg(... ORDER BY ...)` is PostgreSQL's, and SQLite's since 3.44 (the bundled one is
/// newer: `libsqlite3-sys` is built with `bundled`). A uuid never holds a comma.
#[derive(Debug, Clone, Copy, Default, QueryId)]
pub(crate) struct GroupsOfUser;

impl Expression for GroupsOfUser {
    type SqlType = Nullable<Text>;
}

impl<DB: Backend> QueryFragment<DB> for GroupsOfUser
where
    users::id: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(
            "(SELECT string_agg(\"g\".\"uuid\", ',' ORDER BY \"gm\".\"position\", \"g\".\"id\") \
             FROM \"group_members\" AS \"gm\" \
             INNER JOIN \"groups\" AS \"g\" ON \"g\".\"id\" = \"gm\".\"group_id\" \
             WHERE \"gm\".\"user_id\" = ",
        );
        users::id.walk_ast(out.reborrow())?;
        out.push_sql(")");
        Ok(())
    }
}

// The subquery reads nothing of the outer query but `users.id`, so it may stand wherever that
// column may.
impl<QS> AppearsOnTable<QS> for GroupsOfUser where users::id: AppearsOnTable<QS> {}

impl<QS> SelectableExpression<QS> for GroupsOfUser where users::id: SelectableExpression<QS> {}

impl<GB> ValidGrouping<GB> for GroupsOfUser
where
    users::id: ValidGrouping<GB>,
{
    type IsAggregate = <users::id as ValidGrouping<GB>>::IsAggregate;
}

/// The column's value as the user's groups.
pub(crate) fn parse_groups(joined: Option<&str>) -> Result<Vec<Uuid>, StoreError> {
    match joined {
        None | Some("") => Ok(Vec::new()),
        Some(text) => text.split(',').map(uuid).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn none_and_several() {
        assert!(parse_groups(None).unwrap().is_empty());
        assert!(parse_groups(Some("")).unwrap().is_empty());
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        assert_eq!(parse_groups(Some(&format!("{b},{a}"))).unwrap(), vec![b, a]);
        assert!(parse_groups(Some("not-a-uuid")).is_err());
    }
}
