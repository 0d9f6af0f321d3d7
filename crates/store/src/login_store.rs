//! [`LoginStore`] over Diesel: login candidates and the failure count of the lockout.

use async_trait::async_trait;
use diesel::prelude::*;
use rosetta_core::{CoreResult, LoginStore, Timestamp, User, UserId, UserKey, UserSecrets};

use crate::db::Backend;
use crate::diesel_store::DieselStore;
use crate::rows::millis;
use crate::rows::users::UserRow;
use crate::schema::users;

#[async_trait]
impl LoginStore for DieselStore {
    async fn login_candidates(&self, key: UserKey) -> CoreResult<Vec<(User, UserSecrets)>> {
        Ok(self
            .db
            .run(move |conn| {
                let q = users::table
                    .select(UserRow::as_select())
                    .into_boxed::<Backend>();
                let q = match &key {
                    UserKey::Username(u) => q.filter(users::username_key.eq(u.to_lowercase())),
                    UserKey::Email(e) => q.filter(users::email_key.eq(e.to_lowercase())),
                    _ => return Ok(Vec::new()),
                };
                let rows: Vec<UserRow> = q.order(users::id).limit(16).load(conn)?;
                rows.into_iter()
                    .map(|r| {
                        let secrets = r.secrets()?;
                        Ok((r.into_user()?, secrets))
                    })
                    .collect()
            })
            .await?)
    }

    async fn login_failed(
        &self,
        id: UserId,
        threshold: i32,
        lock_until: Timestamp,
    ) -> CoreResult<bool> {
        Ok(self
            .db
            .write(move |conn| {
                let by_id = users::table.filter(users::id.eq(id.0));
                diesel::update(by_id)
                    .set(users::failed_logins.eq(users::failed_logins + 1))
                    .execute(conn)?;
                let failures: i32 = by_id.select(users::failed_logins).first(conn)?;
                if failures >= threshold {
                    diesel::update(by_id)
                        .set((
                            users::failed_logins.eq(0),
                            users::locked_until.eq(millis(lock_until)),
                        ))
                        .execute(conn)?;
                    return Ok(true);
                }
                Ok(false)
            })
            .await?)
    }

    async fn login_succeeded(&self, id: UserId, now: Timestamp) -> CoreResult<()> {
        Ok(self
            .db
            .write(move |conn| {
                diesel::update(users::table.filter(users::id.eq(id.0)))
                    .set((
                        users::failed_logins.eq(0),
                        users::locked_until.eq(None::<i64>),
                        users::last_login_at.eq(millis(now)),
                    ))
                    .execute(conn)?;
                Ok(())
            })
            .await?)
    }
}
