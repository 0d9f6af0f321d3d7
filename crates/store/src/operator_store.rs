//! [`OperatorStore`] over Diesel: the console's operators and their sessions.

use async_trait::async_trait;
use diesel::prelude::*;
use rosetta_core::{
    ConsoleSecret, CoreError, CoreResult, NewOperatorSession, Operator, OperatorId,
    OperatorSession, OperatorStore, Timestamp, UniqueField,
};

use crate::diesel_store::DieselStore;
use crate::error::StoreError;
use crate::rows::{from_millis, millis};
use crate::schema::{operator_sessions, operators};

type OperatorRow = (i64, String, i64, Option<i64>);

const OPERATOR_COLUMNS: (
    operators::id,
    operators::username,
    operators::created_at,
    operators::last_login_at,
) = (
    operators::id,
    operators::username,
    operators::created_at,
    operators::last_login_at,
);

fn operator(
    (id, username, created_at, last_login_at): OperatorRow,
) -> Result<Operator, StoreError> {
    Ok(Operator {
        id: OperatorId(id),
        username,
        created_at: from_millis(created_at)?,
        last_login_at: last_login_at.map(from_millis).transpose()?,
    })
}

#[async_trait]
impl OperatorStore for DieselStore {
    async fn create_operator(
        &self,
        username: String,
        username_key: String,
        password_hash: String,
        now: Timestamp,
    ) -> CoreResult<Operator> {
        Ok(self
            .db
            .write(move |conn| {
                // Checked in the transaction for a clear answer; the unique index still
                // decides between two creations at once.
                let taken: Option<i64> = operators::table
                    .filter(operators::username_key.eq(&username_key))
                    .select(operators::id)
                    .first(conn)
                    .optional()?;
                if taken.is_some() {
                    return Err(CoreError::Conflict(UniqueField::Username).into());
                }
                let row: OperatorRow = diesel::insert_into(operators::table)
                    .values((
                        operators::username.eq(&username),
                        operators::username_key.eq(&username_key),
                        operators::password_hash.eq(&password_hash),
                        operators::created_at.eq(millis(now)),
                    ))
                    .returning(OPERATOR_COLUMNS)
                    .get_result(conn)?;
                operator(row)
            })
            .await?)
    }

    async fn operator_for_login(
        &self,
        username_key: &str,
    ) -> CoreResult<Option<(Operator, String)>> {
        let key = username_key.to_owned();
        Ok(self
            .db
            .run(move |conn| {
                let row: Option<(OperatorRow, String)> = operators::table
                    .filter(operators::username_key.eq(&key))
                    .select((OPERATOR_COLUMNS, operators::password_hash))
                    .first(conn)
                    .optional()?;
                row.map(|(r, hash)| Ok((operator(r)?, hash))).transpose()
            })
            .await?)
    }

    async fn create_operator_session(
        &self,
        session: NewOperatorSession,
        now: Timestamp,
    ) -> CoreResult<()> {
        let NewOperatorSession {
            token_hash,
            operator,
            csrf,
            expires_at,
        } = session;
        Ok(self
            .db
            .write(move |conn| {
                // Expired sessions are swept as new ones arrive, so the table stays small.
                diesel::delete(
                    operator_sessions::table.filter(operator_sessions::expires_at.le(millis(now))),
                )
                .execute(conn)?;
                diesel::insert_into(operator_sessions::table)
                    .values((
                        operator_sessions::token_hash.eq(&token_hash),
                        operator_sessions::operator_id.eq(operator.0),
                        operator_sessions::csrf_token.eq(csrf.expose()),
                        operator_sessions::created_at.eq(millis(now)),
                        operator_sessions::last_seen_at.eq(millis(now)),
                        operator_sessions::expires_at.eq(millis(expires_at)),
                    ))
                    .execute(conn)?;
                diesel::update(operators::table.filter(operators::id.eq(operator.0)))
                    .set(operators::last_login_at.eq(millis(now)))
                    .execute(conn)?;
                Ok(())
            })
            .await?)
    }

    async fn touch_operator_session(
        &self,
        token_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> CoreResult<Option<OperatorSession>> {
        let token_hash = token_hash.to_owned();
        Ok(self
            .db
            .run(move |conn| {
                let row: Option<(String, OperatorRow)> = operator_sessions::table
                    .inner_join(operators::table)
                    .filter(operator_sessions::token_hash.eq(&token_hash))
                    .filter(operator_sessions::expires_at.gt(millis(now)))
                    .select((operator_sessions::csrf_token, OPERATOR_COLUMNS))
                    .first(conn)
                    .optional()?;
                let Some((csrf, op)) = row else {
                    return Ok(None);
                };
                // One statement, no transaction: a lost race between two requests of the
                // same session moves the expiry to nearly the same time either way.
                diesel::update(
                    operator_sessions::table.filter(operator_sessions::token_hash.eq(&token_hash)),
                )
                .set((
                    operator_sessions::last_seen_at.eq(millis(now)),
                    operator_sessions::expires_at.eq(millis(expires_at)),
                ))
                .execute(conn)?;
                Ok(Some(OperatorSession {
                    operator: operator(op)?,
                    csrf: ConsoleSecret::new(csrf),
                    expires_at,
                }))
            })
            .await?)
    }

    async fn end_operator_session(&self, token_hash: &str) -> CoreResult<bool> {
        let token_hash = token_hash.to_owned();
        Ok(self
            .db
            .write(move |conn| {
                let n = diesel::delete(
                    operator_sessions::table.filter(operator_sessions::token_hash.eq(&token_hash)),
                )
                .execute(conn)?;
                Ok(n > 0)
            })
            .await?)
    }
}
