//! [`UserStore`] over Diesel: users one at a time, and the batch insert of the CSV import.

use async_trait::async_trait;
use diesel::dsl::count_star;
use diesel::prelude::*;
use rosetta_core::{
    CoreError, CoreResult, EndSessions, NewUserWrite, SessionKind, Status, TenantId, Timestamp,
    User, UserDeleteWrite, UserId, UserKey, UserSecrets, UserStore, UserUpdateWrite,
};

use crate::db::{on_backend, DbConn};
use crate::diesel_store::DieselStore;
use crate::error::StoreError;
use crate::import_batch;
use crate::rows::audit::AuditValues;
use crate::rows::groups::set_user_groups;
use crate::rows::millis;
use crate::rows::outbox::OutboxValues;
use crate::rows::tickets::TicketValues;
use crate::rows::user_values::{NewUserRow, UserValues};
use crate::rows::users::{load_user, user_by_id, visible, UserWithGroups};
use crate::schema::{sessions, tickets, users};
use crate::user_batch::insert_batch;

#[async_trait]
impl UserStore for DieselStore {
    async fn insert_user(&self, user: NewUserWrite, now: Timestamp) -> CoreResult<User> {
        Ok(self
            .db
            .write(move |conn| insert_one(conn, user, now))
            .await?)
    }

    async fn insert_users(
        &self,
        users: Vec<NewUserWrite>,
        now: Timestamp,
    ) -> CoreResult<Vec<User>> {
        let chunk = self.import_chunk;
        Ok(self
            .db
            // `run`, not `write`: the batch opens its transactions once its rows are encoded.
            .run(move |conn| insert_batch(conn, users, now, chunk))
            .await?)
    }

    async fn sweep_imports(&self, stale_before: Timestamp) -> CoreResult<u64> {
        Ok(self
            .db
            .run(move |conn| import_batch::sweep(conn, stale_before))
            .await?)
    }

    async fn user(&self, tenant: TenantId, key: UserKey) -> CoreResult<Option<User>> {
        Ok(self
            .db
            .run(move |conn| {
                load_user(conn, tenant, &key)?
                    .map(UserWithGroups::into_user)
                    .transpose()
            })
            .await?)
    }

    async fn user_secrets(&self, tenant: TenantId, id: UserId) -> CoreResult<Option<UserSecrets>> {
        Ok(self
            .db
            .run(move |conn| {
                load_user(conn, tenant, &UserKey::Id(id))?
                    .map(|r| r.row.secrets())
                    .transpose()
            })
            .await?)
    }

    async fn user_with_session_count(
        &self,
        tenant: TenantId,
        id: UserId,
        kind: SessionKind,
        now: Timestamp,
    ) -> CoreResult<Option<(User, i64)>> {
        Ok(self
            .db
            .run(move |conn| user_with_live_sessions(conn, tenant, id, kind, now))
            .await?)
    }

    async fn update_user(&self, update: UserUpdateWrite, now: Timestamp) -> CoreResult<User> {
        let UserUpdateWrite {
            tenant,
            id,
            expected_version,
            record,
            secrets,
            audit,
            end_sessions,
        } = update;
        Ok(self
            .db
            .write(move |conn| {
                let groups = record.groups.clone();
                let values = UserValues::from_record(record, now)?;
                let target = users::table
                    .filter(users::tenant_id.eq(tenant.0))
                    .filter(users::id.eq(id.0))
                    .filter(visible())
                    .filter(users::version.eq(expected_version));
                let changed = diesel::update(target)
                    .set((&values, users::version.eq(users::version + 1)))
                    .execute(conn)?;
                if changed == 0 {
                    let current: Option<i64> = users::table
                        .filter(users::tenant_id.eq(tenant.0))
                        .filter(users::id.eq(id.0))
                        .filter(visible())
                        .select(users::version)
                        .first(conn)
                        .optional()?;
                    return Err(match current {
                        Some(current) => CoreError::VersionConflict { current },
                        None => CoreError::NotFound,
                    }
                    .into());
                }
                let by_id = users::table.filter(users::id.eq(id.0));
                if let Some(h) = secrets.password_hash {
                    diesel::update(by_id)
                        .set(users::password_hash.eq(h))
                        .execute(conn)?;
                }
                if let Some(w) = secrets.memorable_word_enc {
                    diesel::update(by_id)
                        .set(users::memorable_word_enc.eq(w))
                        .execute(conn)?;
                }
                let of_user = sessions::table.filter(sessions::user_id.eq(id.0));
                if values.status != Status::Active.as_str() {
                    // A user who may no longer log in loses the sessions it had.
                    diesel::delete(of_user).execute(conn)?;
                } else if let EndSessions::AllBut(keep) = end_sessions {
                    match keep {
                        Some(own) => {
                            diesel::delete(of_user.filter(sessions::id.ne(own))).execute(conn)?
                        }
                        None => diesel::delete(of_user).execute(conn)?,
                    };
                }
                if let Some(groups) = &groups {
                    set_user_groups(conn, tenant, id.0, groups, now)?;
                }
                AuditValues::new(&audit, id.0).insert(conn)?;
                user_by_id(conn, tenant, id.0)
            })
            .await?)
    }

    async fn delete_user(&self, delete: UserDeleteWrite) -> CoreResult<()> {
        let UserDeleteWrite {
            tenant,
            id,
            expected_version,
            audit,
        } = delete;
        Ok(self
            .db
            .write(move |conn| {
                let owned = users::table
                    .filter(users::tenant_id.eq(tenant.0))
                    .filter(users::id.eq(id.0))
                    .filter(visible());
                // A write that changes nothing but finds the row only at the expected version:
                // on PostgreSQL it also takes the row's lock, so no update slips in between
                // this check and the DELETE (on SQLite the write transaction already excludes
                // every other writer).
                let checked = diesel::update(owned.filter(users::version.eq(expected_version)))
                    .set(users::version.eq(users::version))
                    .execute(conn)?;
                if checked == 0 {
                    let current: Option<i64> =
                        owned.select(users::version).first(conn).optional()?;
                    return Err(match current {
                        Some(current) => CoreError::VersionConflict { current },
                        None => CoreError::NotFound,
                    }
                    .into());
                }
                diesel::delete(sessions::table.filter(sessions::user_id.eq(id.0))).execute(conn)?;
                diesel::delete(tickets::table.filter(tickets::user_id.eq(id.0))).execute(conn)?;
                diesel::delete(owned).execute(conn)?;
                AuditValues::new(&audit, id.0).insert(conn)?;
                Ok(())
            })
            .await?)
    }
}

/// One new user and what is written with it, a statement each.
fn insert_one(conn: &mut DbConn, write: NewUserWrite, now: Timestamp) -> Result<User, StoreError> {
    let NewUserWrite {
        record,
        secrets,
        audit,
        ticket,
        emails,
    } = write;
    let tenant = record.tenant_id;
    let groups = record.groups.clone().unwrap_or_default();
    let id = NewUserRow::new(record, secrets, now)?.insert(conn)?;
    if !groups.is_empty() {
        set_user_groups(conn, tenant, id, &groups, now)?;
    }
    AuditValues::new(&audit, id).insert(conn)?;
    if let Some(t) = &ticket {
        TicketValues::new(tenant, id, t, now).insert(conn)?;
    }
    for e in &emails {
        OutboxValues::new(e, now).insert(conn)?;
    }
    user_by_id(conn, tenant, id)
}

/// A user and its live sessions of `kind` (kashflow's GET by id: `NoOfLogins`).
pub(crate) fn user_with_live_sessions(
    conn: &mut DbConn,
    tenant: TenantId,
    id: UserId,
    kind: SessionKind,
    now: Timestamp,
) -> Result<Option<(User, i64)>, StoreError> {
    if let DbConn::Sqlite(_) = conn {
        return user_then_session_count(conn, tenant, id, kind, now);
    }
    // One statement, the groups and the count as subqueries: on PostgreSQL each statement is
    // a round trip, and this read is one of only two a kashflow GET makes.
    let live = sessions::table
        .filter(sessions::user_id.eq(users::id))
        .filter(sessions::kind.eq(kind.as_str()))
        .filter(sessions::expires_at.gt(millis(now)))
        .select(count_star())
        .single_value();
    // On the concrete connection, as `load_user`'s reads and for the same reason.
    let row: Option<(UserWithGroups, Option<i64>)> = on_backend!(conn, |c| users::table
        .filter(users::tenant_id.eq(tenant.0))
        .filter(users::id.eq(id.0))
        .filter(visible())
        .select((UserWithGroups::as_select(), live))
        .first(c)
        .optional())?;
    row.map(|(user, live)| Ok((user.into_user()?, live.unwrap_or(0))))
        .transpose()
}

/// kashflow's GET by id on SQLite: the user and its live-session count as two static queries,
/// as measured when it was written (perf showed the one statement's SQL written out on every
/// call; that was `MultiConnection`'s SQL writing, which every statement through `DbConn`
/// pays, not a missing static query id: that statement has one). On PostgreSQL a second
/// statement would cost a round trip.
fn user_then_session_count(
    conn: &mut DbConn,
    tenant: TenantId,
    id: UserId,
    kind: SessionKind,
    now: Timestamp,
) -> Result<Option<(User, i64)>, StoreError> {
    let Some(row) = load_user(conn, tenant, &UserKey::Id(id))? else {
        return Ok(None);
    };
    let live: i64 = on_backend!(conn, |c| sessions::table
        .filter(sessions::user_id.eq(id.0))
        .filter(sessions::kind.eq(kind.as_str()))
        .filter(sessions::expires_at.gt(millis(now)))
        .select(count_star())
        .first(c))?;
    Ok(Some((row.into_user()?, live)))
}
