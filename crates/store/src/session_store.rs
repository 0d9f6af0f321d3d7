//! [`SessionStore`] over Diesel: sessions, and the one read every authenticated request makes.

use std::sync::Arc;

use async_trait::async_trait;
use diesel::dsl::count_star;
use diesel::prelude::*;
use rosetta_core::{
    CoreResult, NewSession, Role, Session, SessionKind, SessionStore, Timestamp, User, UserId,
};

use crate::db::{on_backend, DbConn};
use crate::diesel_store::DieselStore;
use crate::error::StoreError;
use crate::rows::millis;
use crate::rows::sessions::{SessionRow, SessionValues};
use crate::rows::tenants::{cached_roles, RoleCache};
use crate::rows::users::{visible, UserWithGroups};
use crate::schema::{sessions, tenants, users};

#[async_trait]
impl SessionStore for DieselStore {
    async fn create_session(
        &self,
        s: NewSession,
        keep: u32,
        now: Timestamp,
    ) -> CoreResult<Session> {
        Ok(self
            .db
            .write(move |conn| {
                let id: i64 = diesel::insert_into(sessions::table)
                    .values(SessionValues::new(&s, now))
                    .returning(sessions::id)
                    .get_result(conn)?;
                // Expired sessions are swept as new ones arrive, so the table stays small.
                diesel::delete(sessions::table.filter(sessions::expires_at.lt(millis(now))))
                    .execute(conn)?;
                // Of the user's sessions of this kind only the newest `keep` remain: logins
                // in a loop cannot grow the table (or NoOfLogins) without bound.
                let of_user = sessions::table
                    .filter(sessions::user_id.eq(s.user_id.0))
                    .filter(sessions::kind.eq(s.kind.as_str()));
                let oldest_kept: Option<i64> = of_user
                    .select(sessions::id)
                    .order(sessions::id.desc())
                    .offset(i64::from(keep.max(1)) - 1)
                    .first(conn)
                    .optional()?;
                if let Some(oldest) = oldest_kept {
                    diesel::delete(of_user.filter(sessions::id.lt(oldest))).execute(conn)?;
                }
                sessions::table
                    .filter(sessions::id.eq(id))
                    .select(SessionRow::as_select())
                    .first(conn)?
                    .into_session()
            })
            .await?)
    }

    async fn session_by_hash(
        &self,
        token_hash: &str,
    ) -> CoreResult<Option<(Session, User, Vec<Role>)>> {
        let token_hash = token_hash.to_owned();
        let cache = Arc::clone(&self.roles);
        Ok(self
            .db
            .run(move |conn| session_with_user(conn, &cache, &token_hash))
            .await?)
    }

    async fn delete_session(&self, id: i64) -> CoreResult<bool> {
        Ok(self
            .db
            .write(move |conn| {
                Ok(diesel::delete(sessions::table.filter(sessions::id.eq(id))).execute(conn)? == 1)
            })
            .await?)
    }

    async fn touch_session(
        &self,
        id: i64,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> CoreResult<()> {
        Ok(self
            .db
            .write(move |conn| {
                diesel::update(sessions::table.filter(sessions::id.eq(id)))
                    .set((
                        sessions::last_used_at.eq(millis(now)),
                        sessions::expires_at.eq(millis(expires_at)),
                    ))
                    .execute(conn)?;
                Ok(())
            })
            .await?)
    }

    async fn session_counts(
        &self,
        ids: &[UserId],
        kind: SessionKind,
        now: Timestamp,
    ) -> CoreResult<Vec<(UserId, i64)>> {
        let ids: Vec<i64> = ids.iter().map(|i| i.0).collect();
        Ok(self
            .db
            .run(move |conn| {
                let rows: Vec<(i64, i64)> = sessions::table
                    .filter(sessions::user_id.eq_any(ids))
                    .filter(sessions::kind.eq(kind.as_str()))
                    .filter(sessions::expires_at.gt(millis(now)))
                    .group_by(sessions::user_id)
                    .select((sessions::user_id, count_star()))
                    .load(conn)?;
                Ok(rows.into_iter().map(|(u, n)| (UserId(u), n)).collect())
            })
            .await?)
    }
}

/// The session of a token hash with its user (and the user's groups) and the tenant's role
/// catalogue. One statement for the session, its user with its groups and the catalogue
/// version: on PostgreSQL every statement is a round trip. The catalogue itself is read only
/// when its version is not the cached one.
pub(crate) fn session_with_user(
    conn: &mut DbConn,
    cache: &RoleCache,
    token_hash: &str,
) -> Result<Option<(Session, User, Vec<Role>)>, StoreError> {
    // On the concrete connection, as `load_user`'s reads and for the same reason.
    let row: Option<(SessionRow, UserWithGroups, i64)> = on_backend!(conn, |c| sessions::table
        .inner_join(users::table.inner_join(tenants::table))
        .filter(sessions::token_hash.eq(token_hash))
        .filter(users::tenant_id.eq(sessions::tenant_id))
        .filter(visible())
        .select((
            SessionRow::as_select(),
            UserWithGroups::as_select(),
            tenants::roles_version,
        ))
        .first(c)
        .optional())?;
    let Some((session, user, version)) = row else {
        return Ok(None);
    };
    let session = session.into_session()?;
    let roles = cached_roles(conn, cache, session.tenant_id, version)?;
    Ok(Some((session, user.into_user()?, roles)))
}
