//! [`LoginStore`] over Diesel: login candidates and the failure count of the lockout.

use async_trait::async_trait;
use diesel::prelude::*;
use diesel::upsert::excluded;
use rosetta_core::{
    CoreResult, LoginName, LoginStore, Timestamp, User, UserId, UserKey, UserSecrets,
};

use crate::db::{on_backend, Backend};
use crate::diesel_store::DieselStore;
use crate::rows::millis;
use crate::rows::users::{visible, UserWithGroups};
use crate::schema::{login_failures, users};

#[async_trait]
impl LoginStore for DieselStore {
    async fn login_candidates(&self, key: UserKey) -> CoreResult<Vec<(User, UserSecrets)>> {
        Ok(self
            .db
            .run(move |conn| {
                let q = users::table
                    .filter(visible())
                    .select(UserWithGroups::as_select())
                    .into_boxed::<Backend>();
                let q = match &key {
                    UserKey::Username(u) => q.filter(users::username_key.eq(u.to_lowercase())),
                    UserKey::Email(e) => q.filter(users::email_key.eq(e.to_lowercase())),
                    _ => return Ok(Vec::new()),
                };
                let rows: Vec<UserWithGroups> = q.order(users::id).limit(16).load(conn)?;
                rows.into_iter()
                    .map(|r| {
                        let secrets = r.row.secrets()?;
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

    async fn login_name_locked(&self, name: &LoginName, now: Timestamp) -> CoreResult<bool> {
        let LoginName { tenant, hash } = name.clone();
        Ok(self
            .db
            .run(move |conn| {
                let until: Option<Option<i64>> = login_failures::table
                    .filter(login_failures::tenant_id.eq(tenant))
                    .filter(login_failures::name_hash.eq(&hash))
                    .select(login_failures::locked_until)
                    .first(conn)
                    .optional()?;
                Ok(until.flatten().is_some_and(|u| u > millis(now)))
            })
            .await?)
    }

    async fn login_name_failed(
        &self,
        name: &LoginName,
        threshold: i32,
        lock_until: Timestamp,
        now: Timestamp,
    ) -> CoreResult<bool> {
        let LoginName { tenant, hash } = name.clone();
        Ok(self
            .db
            .write(move |conn| {
                let key = login_failures::table
                    .filter(login_failures::tenant_id.eq(tenant))
                    .filter(login_failures::name_hash.eq(&hash));
                let first = (
                    login_failures::tenant_id.eq(tenant),
                    login_failures::name_hash.eq(&hash),
                    login_failures::failures.eq(1),
                    login_failures::locked_until.eq(None::<i64>),
                    login_failures::updated_at.eq(millis(now)),
                );
                // One upsert: two replicas counting the same name at once both count.
                on_backend!(conn, |b| {
                    diesel::insert_into(login_failures::table)
                        .values(first)
                        .on_conflict((login_failures::tenant_id, login_failures::name_hash))
                        .do_update()
                        .set((
                            login_failures::failures.eq(login_failures::failures + 1),
                            login_failures::updated_at.eq(excluded(login_failures::updated_at)),
                        ))
                        .execute(b)
                })?;
                let (failures, until): (i32, Option<i64>) = key
                    .select((login_failures::failures, login_failures::locked_until))
                    .first(conn)?;
                if until.is_some_and(|u| u > millis(now)) {
                    return Ok(true);
                }
                if failures >= threshold {
                    diesel::update(key)
                        .set((
                            login_failures::failures.eq(0),
                            login_failures::locked_until.eq(millis(lock_until)),
                        ))
                        .execute(conn)?;
                    return Ok(true);
                }
                Ok(false)
            })
            .await?)
    }

    async fn login_name_cleared(&self, name: &LoginName) -> CoreResult<()> {
        let LoginName { tenant, hash } = name.clone();
        Ok(self
            .db
            .write(move |conn| {
                diesel::delete(
                    login_failures::table
                        .filter(login_failures::tenant_id.eq(tenant))
                        .filter(login_failures::name_hash.eq(&hash)),
                )
                .execute(conn)?;
                Ok(())
            })
            .await?)
    }

    async fn prune_login_failures(&self, before: Timestamp) -> CoreResult<u64> {
        let before = millis(before);
        Ok(self
            .db
            .write(move |conn| {
                let pruned = diesel::delete(
                    login_failures::table
                        .filter(login_failures::updated_at.lt(before))
                        .filter(
                            login_failures::locked_until
                                .is_null()
                                .or(login_failures::locked_until.lt(before)),
                        ),
                )
                .execute(conn)?;
                Ok(u64::try_from(pruned).unwrap_or(u64::MAX))
            })
            .await?)
    }
}
