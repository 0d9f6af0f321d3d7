//! `rosetta_core::Store` over Diesel. Each method is one closure run by [`Db`]; writes are one
//! transaction each, so an audit row, ticket or email never outlives a change that failed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool};
use rosetta_core::{
    Asset, AuditAction, AuditRecord, Booking, CoreError, CoreResult, Credential, Cursor, NewAudit,
    NewBooking, NewEmail, NewSession, NewTicket, OutboxEmail, Page, Redeem, RedeemOutcome, Role,
    SecretChange, Session, SessionKind, Status, Store, Tenant, TenantId, Timestamp, UsageCount,
    User, UserFilter, UserId, UserKey, UserRecord, UserSecrets,
};

use crate::bulk::{insert_user_rows, BulkUser};
use crate::db::{Db, DbConn};
use crate::error::StoreError;
use crate::rows::{from_millis, millis, AuditRow, SessionRow, UserRow, UserValues};
use crate::schema::{
    audit_log, bookings, credentials, outbox, roles, sessions, settings, tenants, tickets, usage,
    user_assets, users,
};

type Backend = <DbConn as Connection>::Backend;

pub struct DieselStore {
    db: Db,
    roles: RoleCache,
}

/// Each tenant's role catalogue with the `roles_version` it was read at. The version comes
/// with every session read, so a catalogue changed by another process is read again on the
/// next request that sees the new version; until then no request reads the catalogue.
type RoleCache = Arc<Mutex<HashMap<i64, (i64, Vec<Role>)>>>;

impl DieselStore {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            roles: Arc::default(),
        }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }
}

/// One user by any key. Each arm is its own static query, not a boxed one: Diesel caches a
/// static query's prepared statement by type, where a boxed one has its SQL rebuilt on every
/// call to find it in the cache (7% of a GET by id, perf).
fn load_user(
    conn: &mut DbConn,
    tenant: TenantId,
    key: &UserKey,
) -> Result<Option<UserRow>, StoreError> {
    let in_tenant = users::table.filter(users::tenant_id.eq(tenant.0));
    let row = match key {
        UserKey::Id(id) => in_tenant
            .filter(users::id.eq(id.0))
            .select(UserRow::as_select())
            .first(conn),
        UserKey::Uuid(u) => in_tenant
            .filter(users::uuid.eq(u.to_string()))
            .select(UserRow::as_select())
            .first(conn),
        UserKey::Email(e) => in_tenant
            .filter(users::email_key.eq(e.to_lowercase()))
            .select(UserRow::as_select())
            .first(conn),
        UserKey::Username(u) => in_tenant
            .filter(users::username_key.eq(u.to_lowercase()))
            .select(UserRow::as_select())
            .first(conn),
        UserKey::ExternalId(x) => in_tenant
            .filter(users::external_id.eq(x.clone()))
            .select(UserRow::as_select())
            .first(conn),
    };
    Ok(row.optional()?)
}

fn load_roles(conn: &mut DbConn, tenant: TenantId) -> Result<Vec<Role>, StoreError> {
    let rows: Vec<(i32, String, bool)> = roles::table
        .filter(roles::tenant_id.eq(tenant.0))
        .order(roles::number)
        .select((roles::number, roles::name, roles::admin))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(number, name, admin)| Role {
            number,
            name,
            admin,
        })
        .collect())
}

fn cached_roles(
    conn: &mut DbConn,
    cache: &Mutex<HashMap<i64, (i64, Vec<Role>)>>,
    tenant: TenantId,
    version: i64,
) -> Result<Vec<Role>, StoreError> {
    if let Ok(cache) = cache.lock() {
        if let Some((v, roles)) = cache.get(&tenant.0) {
            if *v == version {
                return Ok(roles.clone());
            }
        }
    }
    // Read at the version the session saw or later; a later catalogue is stored under the
    // older version and replaced by the next request that sees the newer one.
    let roles = load_roles(conn, tenant)?;
    if let Ok(mut cache) = cache.lock() {
        cache.insert(tenant.0, (version, roles.clone()));
    }
    Ok(roles)
}

fn user_by_id(conn: &mut DbConn, tenant: TenantId, id: i64) -> Result<User, StoreError> {
    load_user(conn, tenant, &UserKey::Id(UserId(id)))?
        .ok_or(StoreError::Core(CoreError::NotFound))?
        .into_user()
}

fn insert_audit(conn: &mut DbConn, audit: &NewAudit, user_id: i64) -> Result<(), StoreError> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::tenant_id.eq(audit.tenant_id.0),
            audit_log::actor.eq(&audit.actor),
            audit_log::dialect.eq(&audit.dialect),
            audit_log::action.eq(audit.action.as_str()),
            audit_log::user_id.eq(user_id),
            audit_log::user_uuid.eq(audit.user_uuid.to_string()),
            audit_log::user_email.eq(&audit.user_email),
            audit_log::at.eq(millis(audit.at)),
        ))
        .execute(conn)?;
    Ok(())
}

fn insert_ticket(
    conn: &mut DbConn,
    tenant: TenantId,
    user_id: i64,
    t: &NewTicket,
    now: Timestamp,
) -> Result<(), StoreError> {
    diesel::insert_into(tickets::table)
        .values((
            tickets::tenant_id.eq(tenant.0),
            tickets::user_id.eq(user_id),
            tickets::token_hash.eq(&t.token_hash),
            tickets::expires_at.eq(millis(t.expires_at)),
            tickets::void.eq(false),
            tickets::created_at.eq(millis(now)),
        ))
        .execute(conn)?;
    Ok(())
}

fn insert_email(conn: &mut DbConn, e: &NewEmail, now: Timestamp) -> Result<(), StoreError> {
    diesel::insert_into(outbox::table)
        .values((
            outbox::tenant_id.eq(e.tenant_id.0),
            outbox::to_addr.eq(&e.to),
            outbox::subject.eq(&e.subject),
            outbox::body.eq(&e.body),
            outbox::created_at.eq(millis(now)),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(millis(now)),
        ))
        .execute(conn)?;
    Ok(())
}

type NewUserRow = (
    UserRecord,
    SecretChange,
    NewAudit,
    Option<NewTicket>,
    Vec<NewEmail>,
);

fn insert_one(conn: &mut DbConn, row: NewUserRow, now: Timestamp) -> Result<User, StoreError> {
    let (record, secrets, audit, ticket, emails) = row;
    let tenant = record.tenant_id;
    let values = UserValues::from_record(record, now)?;
    let id: i64 = diesel::insert_into(users::table)
        .values((
            &values,
            users::password_hash.eq(secrets.password_hash),
            users::memorable_word_enc.eq(secrets.memorable_word_enc),
            users::created_at.eq(millis(now)),
            users::version.eq(1i64),
        ))
        .returning(users::id)
        .get_result(conn)?;
    insert_audit(conn, &audit, id)?;
    if let Some(t) = &ticket {
        insert_ticket(conn, tenant, id, t, now)?;
    }
    for e in &emails {
        insert_email(conn, e, now)?;
    }
    user_by_id(conn, tenant, id)
}

/// Rows per statement when every matching user is read: bounds what one statement holds.
const ALL_PAGE: u32 = 10_000;

/// One page in id order from `cursor`, and the cursor of the next page if there is one.
fn load_page(
    conn: &mut DbConn,
    tenant: TenantId,
    filter: &UserFilter,
    cursor: Cursor,
    limit: u32,
) -> Result<(Vec<User>, Option<UserId>), StoreError> {
    let mut q = filtered(tenant, filter, Walk::ById)
        .select(UserRow::as_select())
        .order(users::id.asc())
        .limit(i64::from(limit) + 1);
    match cursor {
        Cursor::Start => {}
        Cursor::After(id) => q = q.filter(users::id.gt(id.0)),
        Cursor::Offset(n) => q = q.offset(i64::try_from(n).unwrap_or(i64::MAX)),
    }
    let mut rows: Vec<UserRow> = q.load(conn)?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let users = rows
        .into_iter()
        .map(UserRow::into_user)
        .collect::<Result<Vec<_>, _>>()?;
    let next = if more {
        users.last().map(|u| u.id)
    } else {
        None
    };
    Ok((users, next))
}

/// How a filtered query is meant to run.
#[derive(Clone, Copy, PartialEq)]
enum Walk {
    /// Counting: any index will do (a name filter counts over `users_tenant_name_key_idx`).
    Count,
    /// A page in id order.
    ById,
}

fn filtered<'a>(tenant: TenantId, f: &UserFilter, walk: Walk) -> users::BoxedQuery<'a, Backend> {
    // A page of a name search must walk users in id order and stop after a page. Given the
    // tenant as a plain comparison, SQLite plans it over the name index instead (it holds the
    // column the LIKE reads) and sorts every match by id first: 0.6 s instead of 20 ms for a
    // deep page of 100,000 users. Written `+tenant_id`, the comparison cannot use an index, so
    // the walk goes by id. Not with an external id, which seeks by (tenant_id, external_id);
    // an email still seeks by `users_email_key_idx`.
    let tenant_by_id_walk =
        walk == Walk::ById && f.name_contains.is_some() && f.external_id.is_none();
    let mut q = if tenant_by_id_walk {
        users::table
            .filter(sql::<Bool>("+\"users\".\"tenant_id\" = ").bind::<BigInt, _>(tenant.0))
            .into_boxed::<Backend>()
    } else {
        users::table
            .filter(users::tenant_id.eq(tenant.0))
            .into_boxed::<Backend>()
    };
    if !f.statuses.is_empty() {
        let s: Vec<&'static str> = f.statuses.iter().map(|s| s.as_str()).collect();
        q = q.filter(users::status.eq_any(s));
    }
    if let Some(acc) = f.default_account_id {
        q = q.filter(users::default_account_id.eq(acc));
    }
    if let Some(name) = &f.name_contains {
        let escaped = name
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        q = q.filter(users::name_key.like(format!("%{escaped}%")).escape('\\'));
    }
    if let Some(email) = &f.email {
        q = q.filter(users::email_key.eq(email.to_lowercase()));
    }
    if let Some(x) = &f.external_id {
        q = q.filter(users::external_id.eq(x.clone()));
    }
    q
}

#[async_trait]
impl Store for DieselStore {
    async fn ping(&self) -> CoreResult<()> {
        Ok(self.db.ping().await?)
    }

    async fn setting_get_or_init(&self, key: &str, value: String) -> CoreResult<String> {
        let key = key.to_owned();
        let written = self
            .db
            .write({
                let key = key.clone();
                move |conn| {
                    let found: Option<String> = settings::table
                        .filter(settings::key.eq(&key))
                        .select(settings::value)
                        .first(conn)
                        .optional()?;
                    if let Some(v) = found {
                        return Ok(v);
                    }
                    diesel::insert_into(settings::table)
                        .values((settings::key.eq(&key), settings::value.eq(&value)))
                        .execute(conn)?;
                    Ok(value)
                }
            })
            .await;
        match written {
            // Another gateway starting on the same fresh PostgreSQL database stored its value
            // between our read and our insert (read committed lets both read nothing): theirs
            // is the one, so every replica uses the same secret key.
            Err(StoreError::Query(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ))) => Ok(self
                .db
                .run(move |conn| {
                    Ok(settings::table
                        .filter(settings::key.eq(&key))
                        .select(settings::value)
                        .first(conn)?)
                })
                .await?),
            other => Ok(other?),
        }
    }

    async fn create_tenant(
        &self,
        name: &str,
        key_hash: &str,
        seed: &[Role],
        now: Timestamp,
    ) -> CoreResult<Tenant> {
        let (name, key_hash, seed) = (name.to_owned(), key_hash.to_owned(), seed.to_vec());
        Ok(self
            .db
            .write(move |conn| {
                let id: i64 = diesel::insert_into(tenants::table)
                    .values((
                        tenants::name.eq(&name),
                        tenants::integration_key_hash.eq(&key_hash),
                        tenants::created_at.eq(millis(now)),
                    ))
                    .returning(tenants::id)
                    .get_result(conn)?;
                for r in &seed {
                    diesel::insert_into(roles::table)
                        .values((
                            roles::tenant_id.eq(id),
                            roles::number.eq(r.number),
                            roles::name.eq(&r.name),
                            roles::admin.eq(r.admin),
                        ))
                        .execute(conn)?;
                }
                Ok(Tenant {
                    id: TenantId(id),
                    name,
                    created_at: from_millis(millis(now))?,
                })
            })
            .await?)
    }

    async fn tenant(&self, id: TenantId) -> CoreResult<Option<Tenant>> {
        Ok(self
            .db
            .run(move |conn| {
                let row: Option<(i64, String, i64)> = tenants::table
                    .filter(tenants::id.eq(id.0))
                    .select((tenants::id, tenants::name, tenants::created_at))
                    .first(conn)
                    .optional()?;
                row.map(|(id, name, at)| {
                    Ok(Tenant {
                        id: TenantId(id),
                        name,
                        created_at: from_millis(at)?,
                    })
                })
                .transpose()
            })
            .await?)
    }

    async fn tenant_key_hash(&self, id: TenantId) -> CoreResult<Option<String>> {
        Ok(self
            .db
            .run(move |conn| {
                Ok(tenants::table
                    .filter(tenants::id.eq(id.0))
                    .select(tenants::integration_key_hash)
                    .first(conn)
                    .optional()?)
            })
            .await?)
    }

    async fn roles(&self, tenant: TenantId) -> CoreResult<Vec<Role>> {
        Ok(self.db.run(move |conn| load_roles(conn, tenant)).await?)
    }

    async fn set_role(&self, tenant: TenantId, role: &Role) -> CoreResult<()> {
        let role = role.clone();
        Ok(self
            .db
            .write(move |conn| {
                let updated = diesel::update(
                    roles::table
                        .filter(roles::tenant_id.eq(tenant.0))
                        .filter(roles::number.eq(role.number)),
                )
                .set((roles::name.eq(&role.name), roles::admin.eq(role.admin)))
                .execute(conn)?;
                if updated == 0 {
                    diesel::insert_into(roles::table)
                        .values((
                            roles::tenant_id.eq(tenant.0),
                            roles::number.eq(role.number),
                            roles::name.eq(&role.name),
                            roles::admin.eq(role.admin),
                        ))
                        .execute(conn)?;
                }
                diesel::update(tenants::table.filter(tenants::id.eq(tenant.0)))
                    .set(tenants::roles_version.eq(tenants::roles_version + 1))
                    .execute(conn)?;
                Ok(())
            })
            .await?)
    }

    async fn insert_user(
        &self,
        record: UserRecord,
        secrets: SecretChange,
        audit: NewAudit,
        ticket: Option<NewTicket>,
        emails: Vec<NewEmail>,
        now: Timestamp,
    ) -> CoreResult<User> {
        Ok(self
            .db
            .write(move |conn| insert_one(conn, (record, secrets, audit, ticket, emails), now))
            .await?)
    }

    async fn insert_users(&self, rows: Vec<NewUserRow>, now: Timestamp) -> CoreResult<Vec<User>> {
        Ok(self
            .db
            .write(move |conn| insert_batch(conn, rows, now))
            .await?)
    }

    async fn user(&self, tenant: TenantId, key: UserKey) -> CoreResult<Option<User>> {
        Ok(self
            .db
            .run(move |conn| {
                load_user(conn, tenant, &key)?
                    .map(UserRow::into_user)
                    .transpose()
            })
            .await?)
    }

    async fn user_secrets(&self, tenant: TenantId, id: UserId) -> CoreResult<Option<UserSecrets>> {
        Ok(self
            .db
            .run(move |conn| {
                load_user(conn, tenant, &UserKey::Id(id))?
                    .map(|r| r.secrets())
                    .transpose()
            })
            .await?)
    }

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

    async fn list_users(
        &self,
        tenant: TenantId,
        filter: &UserFilter,
        cursor: Cursor,
        limit: u32,
    ) -> CoreResult<Page> {
        let filter = filter.clone();
        Ok(self
            .db
            .run(move |conn| {
                let total: i64 = filtered(tenant, &filter, Walk::Count)
                    .select(count_star())
                    .get_result(conn)?;
                let (users, next) = load_page(conn, tenant, &filter, cursor, limit)?;
                Ok(Page {
                    users,
                    total: u64::try_from(total).unwrap_or(0),
                    next,
                })
            })
            .await?)
    }

    async fn all_users(&self, tenant: TenantId, filter: &UserFilter) -> CoreResult<Vec<User>> {
        let filter = filter.clone();
        Ok(self
            .db
            .run(move |conn| {
                let mut users = Vec::new();
                let mut cursor = Cursor::Start;
                loop {
                    let (mut page, next) = load_page(conn, tenant, &filter, cursor, ALL_PAGE)?;
                    users.append(&mut page);
                    match next {
                        Some(after) => cursor = Cursor::After(after),
                        None => return Ok(users),
                    }
                }
            })
            .await?)
    }

    #[allow(clippy::too_many_arguments)]
    async fn update_user(
        &self,
        tenant: TenantId,
        id: UserId,
        expected_version: i64,
        record: UserRecord,
        secrets: SecretChange,
        audit: NewAudit,
        now: Timestamp,
    ) -> CoreResult<User> {
        Ok(self
            .db
            .write(move |conn| {
                let values = UserValues::from_record(record, now)?;
                let target = users::table
                    .filter(users::tenant_id.eq(tenant.0))
                    .filter(users::id.eq(id.0))
                    .filter(users::version.eq(expected_version));
                let changed = diesel::update(target)
                    .set((&values, users::version.eq(users::version + 1)))
                    .execute(conn)?;
                if changed == 0 {
                    let current: Option<i64> = users::table
                        .filter(users::tenant_id.eq(tenant.0))
                        .filter(users::id.eq(id.0))
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
                if values.status != Status::Active.as_str() {
                    // A user who may no longer log in loses the sessions it had.
                    diesel::delete(sessions::table.filter(sessions::user_id.eq(id.0)))
                        .execute(conn)?;
                }
                insert_audit(conn, &audit, id.0)?;
                user_by_id(conn, tenant, id.0)
            })
            .await?)
    }

    async fn delete_user(&self, tenant: TenantId, id: UserId, audit: NewAudit) -> CoreResult<bool> {
        Ok(self
            .db
            .write(move |conn| {
                let owned = users::table
                    .filter(users::tenant_id.eq(tenant.0))
                    .filter(users::id.eq(id.0));
                let exists: i64 = owned.select(count_star()).get_result(conn)?;
                if exists == 0 {
                    return Ok(false);
                }
                diesel::delete(sessions::table.filter(sessions::user_id.eq(id.0))).execute(conn)?;
                diesel::delete(tickets::table.filter(tickets::user_id.eq(id.0))).execute(conn)?;
                diesel::delete(owned).execute(conn)?;
                insert_audit(conn, &audit, id.0)?;
                Ok(true)
            })
            .await?)
    }

    async fn deleted_audits(&self, tenant: TenantId, limit: u32) -> CoreResult<Vec<AuditRecord>> {
        Ok(self
            .db
            .run(move |conn| {
                let rows: Vec<AuditRow> = audit_log::table
                    .filter(audit_log::tenant_id.eq(tenant.0))
                    .filter(audit_log::action.eq(AuditAction::Delete.as_str()))
                    .order(audit_log::id.desc())
                    .limit(i64::from(limit))
                    .select(AuditRow::as_select())
                    .load(conn)?;
                rows.into_iter().map(AuditRow::into_record).collect()
            })
            .await?)
    }

    async fn audits_for_user(&self, tenant: TenantId, id: UserId) -> CoreResult<Vec<AuditRecord>> {
        Ok(self
            .db
            .run(move |conn| {
                let rows: Vec<AuditRow> = audit_log::table
                    .filter(audit_log::tenant_id.eq(tenant.0))
                    .filter(audit_log::user_id.eq(id.0))
                    .order(audit_log::id.asc())
                    .select(AuditRow::as_select())
                    .load(conn)?;
                rows.into_iter().map(AuditRow::into_record).collect()
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

    async fn create_session(&self, s: NewSession, now: Timestamp) -> CoreResult<Session> {
        Ok(self
            .db
            .write(move |conn| {
                let id: i64 = diesel::insert_into(sessions::table)
                    .values((
                        sessions::tenant_id.eq(s.tenant_id.0),
                        sessions::user_id.eq(s.user_id.0),
                        sessions::dialect.eq(&s.dialect),
                        sessions::kind.eq(s.kind.as_str()),
                        sessions::token_hash.eq(&s.token_hash),
                        sessions::data.eq(&s.data),
                        sessions::created_at.eq(millis(now)),
                        sessions::last_used_at.eq(millis(now)),
                        sessions::expires_at.eq(millis(s.expires_at)),
                    ))
                    .returning(sessions::id)
                    .get_result(conn)?;
                // Expired sessions are swept as new ones arrive, so the table stays small.
                diesel::delete(sessions::table.filter(sessions::expires_at.lt(millis(now))))
                    .execute(conn)?;
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
            .run(move |conn| {
                // One statement for the session, its user and the catalogue version: on
                // PostgreSQL every statement is a round trip.
                let row: Option<(SessionRow, UserRow, i64)> = sessions::table
                    .inner_join(users::table.inner_join(tenants::table))
                    .filter(sessions::token_hash.eq(&token_hash))
                    .filter(users::tenant_id.eq(sessions::tenant_id))
                    .select((
                        SessionRow::as_select(),
                        UserRow::as_select(),
                        tenants::roles_version,
                    ))
                    .first(conn)
                    .optional()?;
                let Some((session, user, version)) = row else {
                    return Ok(None);
                };
                let session = session.into_session()?;
                let roles = cached_roles(conn, &cache, session.tenant_id, version)?;
                Ok(Some((session, user.into_user()?, roles)))
            })
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

    async fn user_with_session_count(
        &self,
        tenant: TenantId,
        id: UserId,
        kind: SessionKind,
        now: Timestamp,
    ) -> CoreResult<Option<(User, i64)>> {
        Ok(self
            .db
            .run(move |conn| {
                // One statement, the count as a subquery: on PostgreSQL each statement is a
                // round trip, and this read is one of only two a kashflow GET makes.
                let live = sessions::table
                    .filter(sessions::user_id.eq(users::id))
                    .filter(sessions::kind.eq(kind.as_str()))
                    .filter(sessions::expires_at.gt(millis(now)))
                    .select(count_star())
                    .single_value();
                let row: Option<(UserRow, Option<i64>)> = users::table
                    .filter(users::tenant_id.eq(tenant.0))
                    .filter(users::id.eq(id.0))
                    .select((UserRow::as_select(), live))
                    .first(conn)
                    .optional()?;
                row.map(|(user, live)| Ok((user.into_user()?, live.unwrap_or(0))))
                    .transpose()
            })
            .await?)
    }

    async fn create_credential(
        &self,
        tenant: TenantId,
        dialect: &str,
        name: Option<&str>,
        token_hash: &str,
        now: Timestamp,
    ) -> CoreResult<Credential> {
        let (dialect, name, token_hash) = (
            dialect.to_owned(),
            name.map(str::to_owned),
            token_hash.to_owned(),
        );
        Ok(self
            .db
            .write(move |conn| {
                let id: i64 = diesel::insert_into(credentials::table)
                    .values((
                        credentials::tenant_id.eq(tenant.0),
                        credentials::dialect.eq(&dialect),
                        credentials::name.eq(&name),
                        credentials::token_hash.eq(&token_hash),
                        credentials::created_at.eq(millis(now)),
                    ))
                    .returning(credentials::id)
                    .get_result(conn)?;
                Ok(Credential {
                    id,
                    tenant_id: tenant,
                    dialect,
                    name,
                })
            })
            .await?)
    }

    async fn credential_by_hash(&self, token_hash: &str) -> CoreResult<Option<Credential>> {
        let token_hash = token_hash.to_owned();
        Ok(self
            .db
            .run(move |conn| {
                let row: Option<(i64, i64, String, Option<String>)> = credentials::table
                    .filter(credentials::token_hash.eq(&token_hash))
                    .select((
                        credentials::id,
                        credentials::tenant_id,
                        credentials::dialect,
                        credentials::name,
                    ))
                    .first(conn)
                    .optional()?;
                Ok(row.map(|(id, t, dialect, name)| Credential {
                    id,
                    tenant_id: TenantId(t),
                    dialect,
                    name,
                }))
            })
            .await?)
    }

    async fn replace_ticket(
        &self,
        tenant: TenantId,
        id: UserId,
        ticket: NewTicket,
        email: Option<NewEmail>,
        now: Timestamp,
    ) -> CoreResult<()> {
        Ok(self
            .db
            .write(move |conn| {
                let exists: i64 = users::table
                    .filter(users::tenant_id.eq(tenant.0))
                    .filter(users::id.eq(id.0))
                    .select(count_star())
                    .get_result(conn)?;
                if exists == 0 {
                    return Err(CoreError::NotFound.into());
                }
                diesel::update(
                    tickets::table
                        .filter(tickets::user_id.eq(id.0))
                        .filter(tickets::used_at.is_null()),
                )
                .set(tickets::void.eq(true))
                .execute(conn)?;
                insert_ticket(conn, tenant, id.0, &ticket, now)?;
                if let Some(e) = &email {
                    insert_email(conn, e, now)?;
                }
                Ok(())
            })
            .await?)
    }

    async fn ticket_valid(&self, token_hash: &str, now: Timestamp) -> CoreResult<bool> {
        let token_hash = token_hash.to_owned();
        Ok(self
            .db
            .run(move |conn| {
                let n: i64 = tickets::table
                    .filter(tickets::token_hash.eq(&token_hash))
                    .filter(tickets::used_at.is_null())
                    .filter(tickets::void.eq(false))
                    .filter(tickets::expires_at.gt(millis(now)))
                    .select(count_star())
                    .get_result(conn)?;
                Ok(n > 0)
            })
            .await?)
    }

    async fn redeem_ticket(
        &self,
        token_hash: &str,
        redeem: Redeem,
        actor: &str,
        dialect: &str,
        now: Timestamp,
    ) -> CoreResult<RedeemOutcome> {
        let (token_hash, actor, dialect) =
            (token_hash.to_owned(), actor.to_owned(), dialect.to_owned());
        Ok(self
            .db
            .write(move |conn| {
                let ticket: Option<(i64, i64, i64)> = tickets::table
                    .filter(tickets::token_hash.eq(&token_hash))
                    .filter(tickets::used_at.is_null())
                    .filter(tickets::void.eq(false))
                    .filter(tickets::expires_at.gt(millis(now)))
                    .select((tickets::id, tickets::tenant_id, tickets::user_id))
                    .first(conn)
                    .optional()?;
                let Some((ticket_id, tenant, user_id)) = ticket else {
                    return Ok(RedeemOutcome::NoSuchTicket);
                };
                let tenant = TenantId(tenant);
                let Some(row) = load_user(conn, tenant, &UserKey::Id(UserId(user_id)))? else {
                    return Ok(RedeemOutcome::NoSuchTicket);
                };
                let needs_password = row.password_hash.is_none() || row.password_expired;
                if needs_password && redeem.password_hash.is_none() {
                    return Ok(RedeemOutcome::PasswordRequired);
                }
                let by_id = users::table.filter(users::id.eq(user_id));
                diesel::update(by_id)
                    .set((
                        users::status.eq(Status::Active.as_str()),
                        users::password_expired.eq(false),
                        users::updated_at.eq(millis(now)),
                        users::version.eq(users::version + 1),
                    ))
                    .execute(conn)?;
                if let Some(h) = redeem.password_hash {
                    diesel::update(by_id)
                        .set(users::password_hash.eq(h))
                        .execute(conn)?;
                }
                diesel::update(tickets::table.filter(tickets::id.eq(ticket_id)))
                    .set(tickets::used_at.eq(millis(now)))
                    .execute(conn)?;
                let user = user_by_id(conn, tenant, user_id)?;
                insert_audit(
                    conn,
                    &NewAudit {
                        tenant_id: tenant,
                        actor,
                        dialect,
                        action: AuditAction::Activate,
                        user_id: user.id,
                        user_uuid: user.uuid,
                        user_email: user.email.as_str().to_owned(),
                        at: now,
                    },
                    user_id,
                )?;
                Ok(RedeemOutcome::Activated(Box::new(user)))
            })
            .await?)
    }

    async fn record_usage(&self, bucket: Timestamp, counts: Vec<UsageCount>) -> CoreResult<()> {
        let bucket = millis(bucket);
        Ok(self
            .db
            .write(move |conn| {
                for c in &counts {
                    let key = usage::table
                        .filter(usage::bucket.eq(bucket))
                        .filter(usage::dialect.eq(&c.dialect))
                        .filter(usage::credential.eq(&c.credential))
                        .filter(usage::route.eq(&c.route));
                    let added = diesel::update(key)
                        .set(usage::calls.eq(usage::calls + c.calls))
                        .execute(conn)?;
                    if added == 0 {
                        diesel::insert_into(usage::table)
                            .values((
                                usage::bucket.eq(bucket),
                                usage::dialect.eq(&c.dialect),
                                usage::credential.eq(&c.credential),
                                usage::route.eq(&c.route),
                                usage::calls.eq(c.calls),
                            ))
                            .execute(conn)?;
                    }
                }
                Ok(())
            })
            .await?)
    }

    async fn usage_since(&self, since: Timestamp) -> CoreResult<Vec<UsageCount>> {
        let since = millis(since);
        Ok(self
            .db
            .run(move |conn| {
                // Summed here: SUM(BIGINT) is NUMERIC on PostgreSQL and INTEGER on SQLite, and
                // the table holds one row per minute and route, which is small.
                let rows: Vec<(String, String, String, i64)> = usage::table
                    .filter(usage::bucket.ge(since))
                    .select((
                        usage::dialect,
                        usage::credential,
                        usage::route,
                        usage::calls,
                    ))
                    .load(conn)?;
                let mut sums: std::collections::BTreeMap<(String, String, String), i64> =
                    std::collections::BTreeMap::new();
                for (dialect, credential, route, calls) in rows {
                    *sums.entry((dialect, credential, route)).or_default() += calls;
                }
                let mut counts: Vec<UsageCount> = sums
                    .into_iter()
                    .map(|((dialect, credential, route), calls)| UsageCount {
                        dialect,
                        credential,
                        route,
                        calls,
                    })
                    .collect();
                counts.sort_by(|a, b| b.calls.cmp(&a.calls).then_with(|| a.route.cmp(&b.route)));
                Ok(counts)
            })
            .await?)
    }

    async fn due_emails(&self, now: Timestamp, limit: u32) -> CoreResult<Vec<OutboxEmail>> {
        Ok(self
            .db
            .run(move |conn| {
                let rows: Vec<(i64, i64, String, String, String, i32, i64)> = outbox::table
                    .filter(outbox::sent_at.is_null())
                    .filter(outbox::next_attempt_at.le(millis(now)))
                    .filter(
                        outbox::lease_until
                            .is_null()
                            .or(outbox::lease_until.lt(millis(now))),
                    )
                    .order(outbox::id)
                    .limit(i64::from(limit))
                    .select((
                        outbox::id,
                        outbox::tenant_id,
                        outbox::to_addr,
                        outbox::subject,
                        outbox::body,
                        outbox::attempts,
                        outbox::created_at,
                    ))
                    .load(conn)?;
                rows.into_iter()
                    .map(|(id, t, to, subject, body, attempts, at)| {
                        Ok(OutboxEmail {
                            id,
                            tenant_id: TenantId(t),
                            to,
                            subject,
                            body,
                            attempts,
                            created_at: from_millis(at)?,
                        })
                    })
                    .collect()
            })
            .await?)
    }

    async fn claim_email(
        &self,
        id: i64,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> CoreResult<bool> {
        Ok(self
            .db
            .write(move |conn| {
                let n = diesel::update(
                    outbox::table
                        .filter(outbox::id.eq(id))
                        .filter(outbox::sent_at.is_null())
                        .filter(
                            outbox::lease_until
                                .is_null()
                                .or(outbox::lease_until.lt(millis(now))),
                        ),
                )
                .set(outbox::lease_until.eq(millis(lease_until)))
                .execute(conn)?;
                Ok(n == 1)
            })
            .await?)
    }

    async fn mark_email_sent(&self, id: i64, now: Timestamp) -> CoreResult<bool> {
        Ok(self
            .db
            .write(move |conn| {
                let n = diesel::update(
                    outbox::table
                        .filter(outbox::id.eq(id))
                        .filter(outbox::sent_at.is_null()),
                )
                .set((
                    outbox::sent_at.eq(millis(now)),
                    outbox::attempts.eq(outbox::attempts + 1),
                ))
                .execute(conn)?;
                Ok(n == 1)
            })
            .await?)
    }

    async fn mark_email_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt: Timestamp,
    ) -> CoreResult<()> {
        let error: String = error.chars().take(500).collect();
        Ok(self
            .db
            .write(move |conn| {
                diesel::update(outbox::table.filter(outbox::id.eq(id)))
                    .set((
                        outbox::attempts.eq(outbox::attempts + 1),
                        outbox::next_attempt_at.eq(millis(next_attempt)),
                        outbox::last_error.eq(error),
                        outbox::lease_until.eq(None::<i64>),
                    ))
                    .execute(conn)?;
                Ok(())
            })
            .await?)
    }

    async fn user_assets(&self, tenant: TenantId, user: UserId) -> CoreResult<Vec<Asset>> {
        Ok(self
            .db
            .run(move |conn| {
                require_user(conn, tenant, user)?;
                let rows: Vec<AssetRow> = user_assets::table
                    .filter(user_assets::user_id.eq(user.0))
                    .order(user_assets::tag)
                    .select(ASSET_COLUMNS)
                    .load(conn)?;
                rows.into_iter().map(asset_from_row).collect()
            })
            .await?)
    }

    async fn user_asset(
        &self,
        tenant: TenantId,
        user: UserId,
        tag: &str,
    ) -> CoreResult<Option<Asset>> {
        let tag = tag.to_owned();
        Ok(self
            .db
            .run(move |conn| {
                require_user(conn, tenant, user)?;
                let row: Option<AssetRow> = user_assets::table
                    .filter(user_assets::user_id.eq(user.0))
                    .filter(user_assets::tag.eq(&tag))
                    .select(ASSET_COLUMNS)
                    .first(conn)
                    .optional()?;
                row.map(asset_from_row).transpose()
            })
            .await?)
    }

    async fn put_user_asset(
        &self,
        tenant: TenantId,
        user: UserId,
        tag: &str,
        data: &str,
        now: Timestamp,
    ) -> CoreResult<(Asset, bool)> {
        let (tag, data) = (tag.to_owned(), data.to_owned());
        Ok(self
            .db
            .write(move |conn| {
                require_user(conn, tenant, user)?;
                let target = user_assets::table
                    .filter(user_assets::user_id.eq(user.0))
                    .filter(user_assets::tag.eq(&tag));
                let updated = diesel::update(target)
                    .set((
                        user_assets::data.eq(&data),
                        user_assets::updated_at.eq(millis(now)),
                    ))
                    .execute(conn)?;
                if updated == 0 {
                    diesel::insert_into(user_assets::table)
                        .values((
                            user_assets::tenant_id.eq(tenant.0),
                            user_assets::user_id.eq(user.0),
                            user_assets::tag.eq(&tag),
                            user_assets::data.eq(&data),
                            user_assets::created_at.eq(millis(now)),
                            user_assets::updated_at.eq(millis(now)),
                        ))
                        .execute(conn)?;
                }
                let row: AssetRow = target.select(ASSET_COLUMNS).first(conn)?;
                Ok((asset_from_row(row)?, updated == 0))
            })
            .await?)
    }

    async fn insert_booking(
        &self,
        tenant: TenantId,
        user: UserId,
        booking: NewBooking,
        now: Timestamp,
    ) -> CoreResult<Booking> {
        Ok(self
            .db
            .write(move |conn| {
                require_user(conn, tenant, user)?;
                let row: BookingRow = diesel::insert_into(bookings::table)
                    .values((
                        bookings::tenant_id.eq(tenant.0),
                        bookings::user_id.eq(user.0),
                        bookings::asset.eq(&booking.asset),
                        bookings::starts_at.eq(millis(booking.start)),
                        bookings::ends_at.eq(millis(booking.end)),
                        bookings::created_at.eq(millis(now)),
                    ))
                    .returning(BOOKING_COLUMNS)
                    .get_result(conn)?;
                booking_from_row(row)
            })
            .await?)
    }

    async fn bookings_overlapping(
        &self,
        tenant: TenantId,
        user: UserId,
        from: Timestamp,
        to: Timestamp,
    ) -> CoreResult<Vec<Booking>> {
        Ok(self
            .db
            .run(move |conn| {
                require_user(conn, tenant, user)?;
                let rows: Vec<BookingRow> = bookings::table
                    .filter(bookings::user_id.eq(user.0))
                    .filter(bookings::starts_at.lt(millis(to)))
                    .filter(bookings::ends_at.gt(millis(from)))
                    .order((bookings::starts_at, bookings::id))
                    .select(BOOKING_COLUMNS)
                    .load(conn)?;
                rows.into_iter().map(booking_from_row).collect()
            })
            .await?)
    }
}

/// `NotFound` unless the user exists in `tenant`, so assets and bookings never cross tenants.
fn require_user(conn: &mut DbConn, tenant: TenantId, user: UserId) -> Result<(), StoreError> {
    let n: i64 = users::table
        .filter(users::tenant_id.eq(tenant.0))
        .filter(users::id.eq(user.0))
        .select(count_star())
        .get_result(conn)?;
    if n == 0 {
        return Err(CoreError::NotFound.into());
    }
    Ok(())
}

type AssetRow = (String, String, i64, i64);
const ASSET_COLUMNS: (
    user_assets::tag,
    user_assets::data,
    user_assets::created_at,
    user_assets::updated_at,
) = (
    user_assets::tag,
    user_assets::data,
    user_assets::created_at,
    user_assets::updated_at,
);

fn asset_from_row((tag, data, created, updated): AssetRow) -> Result<Asset, StoreError> {
    Ok(Asset {
        tag,
        data,
        created_at: from_millis(created)?,
        updated_at: from_millis(updated)?,
    })
}

type BookingRow = (i64, i64, String, i64, i64, i64);
const BOOKING_COLUMNS: (
    bookings::id,
    bookings::user_id,
    bookings::asset,
    bookings::starts_at,
    bookings::ends_at,
    bookings::created_at,
) = (
    bookings::id,
    bookings::user_id,
    bookings::asset,
    bookings::starts_at,
    bookings::ends_at,
    bookings::created_at,
);

fn booking_from_row(
    (id, user_id, asset, start, end, created): BookingRow,
) -> Result<Booking, StoreError> {
    Ok(Booking {
        id,
        user_id: UserId(user_id),
        asset,
        start: from_millis(start)?,
        end: from_millis(end)?,
        created_at: from_millis(created)?,
    })
}

/// Runs one statement on the concrete connection: Diesel's `MultiConnection` cannot build
/// multi-row INSERTs, each backend can.
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            DbConn::Sqlite($c) => $body,
            DbConn::Postgres($c) => $body,
        }
    };
}

/// Rows per multi-row INSERT: the users table has 40 columns, which keeps one statement under
/// SQLite's 32,766 bound parameters (and PostgreSQL's 65,535).
const BATCH_ROWS: usize = 500;

/// [`Store::insert_users`] in a handful of statements per [`BATCH_ROWS`] users instead of five
/// per user: a 10,000-row keaz CSV import is one transaction either way, but per-row round
/// trips made it take tens of seconds.
fn insert_batch(
    conn: &mut DbConn,
    rows: Vec<NewUserRow>,
    now: Timestamp,
) -> Result<Vec<User>, StoreError> {
    let mut out = Vec::with_capacity(rows.len());
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<NewUserRow> = rows.by_ref().take(BATCH_ROWS).collect();
        let mut users = Vec::with_capacity(chunk.len());
        let mut extras = Vec::with_capacity(chunk.len());
        for (record, secrets, audit, ticket, emails) in chunk {
            extras.push((
                record.uuid.to_string(),
                record.tenant_id,
                audit,
                ticket,
                emails,
            ));
            users.push(BulkUser { record, secrets });
        }
        // Matched back by uuid: RETURNING promises no order.
        let ids: HashMap<String, i64> = insert_user_rows(conn, users, now)?
            .into_iter()
            .map(|(id, uuid, ..)| (uuid, id))
            .collect();
        let mut audits = Vec::with_capacity(extras.len());
        let mut tickets_rows = Vec::new();
        let mut outbox_rows = Vec::new();
        let mut order = Vec::with_capacity(extras.len());
        for (uuid, tenant, audit, ticket, emails) in &extras {
            let id = *ids
                .get(uuid)
                .ok_or_else(|| StoreError::Corrupt(format!("no id returned for user {uuid}")))?;
            order.push((id, *tenant));
            audits.push((
                audit_log::tenant_id.eq(audit.tenant_id.0),
                audit_log::actor.eq(&audit.actor),
                audit_log::dialect.eq(&audit.dialect),
                audit_log::action.eq(audit.action.as_str()),
                audit_log::user_id.eq(id),
                audit_log::user_uuid.eq(audit.user_uuid.to_string()),
                audit_log::user_email.eq(&audit.user_email),
                audit_log::at.eq(millis(audit.at)),
            ));
            if let Some(t) = ticket {
                tickets_rows.push((
                    tickets::tenant_id.eq(tenant.0),
                    tickets::user_id.eq(id),
                    tickets::token_hash.eq(&t.token_hash),
                    tickets::expires_at.eq(millis(t.expires_at)),
                    tickets::void.eq(false),
                    tickets::created_at.eq(millis(now)),
                ));
            }
            for e in emails {
                outbox_rows.push((
                    outbox::tenant_id.eq(e.tenant_id.0),
                    outbox::to_addr.eq(&e.to),
                    outbox::subject.eq(&e.subject),
                    outbox::body.eq(&e.body),
                    outbox::created_at.eq(millis(now)),
                    outbox::attempts.eq(0),
                    outbox::next_attempt_at.eq(millis(now)),
                ));
            }
        }
        on_backend!(conn, |c| diesel::insert_into(audit_log::table)
            .values(audits)
            .execute(c))?;
        for part in tickets_rows.chunks(BATCH_ROWS) {
            on_backend!(conn, |c| diesel::insert_into(tickets::table)
                .values(part.to_vec())
                .execute(c))?;
        }
        for part in outbox_rows.chunks(BATCH_ROWS) {
            on_backend!(conn, |c| diesel::insert_into(outbox::table)
                .values(part.to_vec())
                .execute(c))?;
        }
        let loaded: Vec<UserRow> = users::table
            .filter(users::id.eq_any(order.iter().map(|(id, _)| *id).collect::<Vec<_>>()))
            .select(UserRow::as_select())
            .load(conn)?;
        let mut by_id: std::collections::HashMap<i64, UserRow> =
            loaded.into_iter().map(|r| (r.id, r)).collect();
        for (id, _) in order {
            let row = by_id
                .remove(&id)
                .ok_or(StoreError::Core(CoreError::NotFound))?;
            out.push(row.into_user()?);
        }
    }
    Ok(out)
}
