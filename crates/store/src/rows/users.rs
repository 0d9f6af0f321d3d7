//! The users table, read side: the row read back with its conversion to the core's user, and
//! look-ups by key.

use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::query_builder::{Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Nullable};
use rosetta_core::{
    CoreError, Email, Names, Profile, Status, TenantId, User, UserId, UserKey, UserSecrets,
    Username,
};

use uuid::Uuid;

use super::groups::groups_by_user;
use super::user_groups::{parse_groups, GroupsOfUser};
use super::{from_millis, json, uuid};
use crate::db::{on_backend, Backend, DbConn};
use crate::error::StoreError;
use crate::schema::{import_batches, users};

#[derive(Queryable, Selectable)]
#[diesel(table_name = users)]
pub(crate) struct UserRow {
    pub id: i64,
    pub uuid: String,
    pub tenant_id: i64,
    pub username: String,
    pub email: String,
    pub full_name: String,
    pub first_name: String,
    pub last_name: String,
    pub status: String,
    pub role_number: i32,
    pub perms: String,
    pub website_role: Option<String>,
    pub default_account_id: Option<i64>,
    pub external_id: Option<String>,
    pub employee_id: Option<String>,
    pub contact_number: Option<String>,
    pub license_number: Option<String>,
    pub license_expiry_month: Option<String>,
    pub license_expiry_year: Option<String>,
    pub license_type: Option<String>,
    pub license_country: Option<String>,
    pub cost_centre_id: Option<String>,
    pub activated_via_company_id: Option<String>,
    pub license_types: String,
    pub branch_ids: String,
    pub folder_ids: String,
    pub devices: String,
    pub password_hash: Option<String>,
    pub memorable_word_enc: Option<String>,
    pub password_expired: bool,
    pub failed_logins: i32,
    pub locked_until: Option<i64>,
    pub last_login_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

/// A user's row with its groups folded in as one more column ([`GroupsOfUser`]): what every
/// single-user read selects, so the user and its groups are one statement.
#[derive(Queryable, Selectable)]
#[diesel(table_name = users)]
pub(crate) struct UserWithGroups {
    #[diesel(embed)]
    pub row: UserRow,
    #[diesel(select_expression = GroupsOfUser)]
    #[diesel(select_expression_type = GroupsOfUser)]
    pub groups: Option<String>,
}

impl UserWithGroups {
    pub(crate) fn into_user(self) -> Result<User, StoreError> {
        let UserWithGroups { row, groups } = self;
        let groups = parse_groups(groups.as_deref())?;
        row.into_user(groups)
    }
}

impl UserRow {
    pub(crate) fn secrets(&self) -> Result<UserSecrets, StoreError> {
        Ok(UserSecrets {
            password_hash: self.password_hash.clone(),
            memorable_word_enc: self.memorable_word_enc.clone(),
            failed_logins: self.failed_logins,
            locked_until: self.locked_until.map(from_millis).transpose()?,
        })
    }

    /// The user, with its groups (read from the memberships by the caller).
    pub(crate) fn into_user(self, groups: Vec<Uuid>) -> Result<User, StoreError> {
        let UserRow {
            id,
            uuid: uuid_text,
            tenant_id,
            username,
            email,
            full_name,
            first_name,
            last_name,
            status,
            role_number,
            perms,
            website_role,
            default_account_id,
            external_id,
            employee_id,
            contact_number,
            license_number,
            license_expiry_month,
            license_expiry_year,
            license_type,
            license_country,
            cost_centre_id,
            activated_via_company_id,
            license_types,
            branch_ids,
            folder_ids,
            devices,
            password_hash,
            memorable_word_enc,
            password_expired,
            failed_logins: _,
            locked_until: _,
            last_login_at,
            created_at,
            updated_at,
            version,
        } = self;
        Ok(User {
            id: UserId(id),
            uuid: uuid(&uuid_text)?,
            tenant_id: TenantId(tenant_id),
            username: Username::parse(&username)
                .map_err(|e| StoreError::Corrupt(format!("username: {e}")))?,
            email: Email::parse(&email).map_err(|e| StoreError::Corrupt(format!("email: {e}")))?,
            names: Names {
                full: full_name,
                first: first_name,
                last: last_name,
            },
            status: Status::parse(&status)
                .ok_or_else(|| StoreError::Corrupt(format!("status {status}")))?,
            role_number,
            perms: json("perms", &perms)?,
            website_role,
            default_account_id,
            external_id,
            profile: Profile {
                employee_id,
                contact_number,
                license_number,
                license_expiry_month,
                license_expiry_year,
                license_type,
                license_country,
                cost_centre_id,
                activated_via_company_id,
            },
            license_types: json("license_types", &license_types)?,
            branch_ids: json("branch_ids", &branch_ids)?,
            groups,
            folders: json("folder_ids", &folder_ids)?,
            devices: json("devices", &devices)?,
            last_login_at: last_login_at.map(from_millis).transpose()?,
            password_expired,
            has_password: password_hash.is_some(),
            has_memorable_word: memorable_word_enc.is_some(),
            created_at: from_millis(created_at)?,
            updated_at: from_millis(updated_at)?,
            version,
        })
    }
}

/// The users a reader may see: every row but those of an import still being written (their
/// `import_batch` is set until the import's one flip; `crate::import_batch`). Every read of
/// users goes through this filter, so no reader sees part of an import: not a GET, a list, a
/// count, a search, a login, a group's members or an export.
pub(crate) fn visible() -> diesel::dsl::IsNull<users::import_batch> {
    users::import_batch.is_null()
}

/// A count of users, as a boxed statement.
pub(crate) type CountQuery<'a> = users::BoxedQuery<'a, Backend, BigInt>;

/// [`visible`] for a count, without its cost when no import is pending (nearly always). A
/// count over an index that holds every column it reads never reads a row (SQLite's
/// `COVERING INDEX`, PostgreSQL's index-only scan); `import_batch` is in no such index, so
/// with the filter a count of 100,000 users read all their rows, 5 to 15 times slower (Python's
/// sqlite3 over these indexes). So one statement asks whether an import is pending
/// ([`pending`]) and counts with the filter only then; one statement is one snapshot, so no
/// import can begin between the two.
///
/// `shown` is the count with [`visible`], `all` the same count without it; the statement
/// gives `None` for no row, never here.
pub(crate) fn visible_count<'a>(
    shown: CountQuery<'a>,
    all: CountQuery<'a>,
) -> impl Query<SqlType = Nullable<BigInt>> + QueryFragment<Backend> + QueryId + RunQueryDsl<DbConn> + 'a
{
    diesel::select(
        diesel::dsl::case_when(pending(), shown.single_value()).otherwise(all.single_value()),
    )
}

/// Whether any import is pending (its rows hidden by [`visible`]), as [`pending`] asks it.
/// For a read that must stay on an index without the
/// marker (as [`visible_count`] does for counts): ask this first, in the same read
/// transaction, and add [`visible`] only when it is true.
pub(crate) fn import_pending(conn: &mut DbConn) -> Result<bool, StoreError> {
    Ok(diesel::select(pending()).get_result(conn)?)
}

/// Whether an import may have rows hidden: a batch not shown yet. Asked of `import_batches`
/// (a handful of rows at most, none on PostgreSQL, whose imports are one transaction), not of
/// the marker's partial index: on PostgreSQL `import_batch IS NOT NULL` has no statistics
/// until the column is analyzed (the migration added it to analyzed tables), and the planner
/// then read the whole table for it, 118 ms at 300,000 users in every count
/// (`EXPLAIN ANALYZE`). A batch row exists from before its first user is written until
/// after its last is shown or removed, so a pending user always has one.
fn pending() -> diesel::dsl::exists<
    diesel::dsl::Select<
        diesel::dsl::Filter<import_batches::table, diesel::dsl::IsNull<import_batches::shown_at>>,
        import_batches::id,
    >,
> {
    diesel::dsl::exists(
        import_batches::table
            .filter(import_batches::shown_at.is_null())
            .select(import_batches::id),
    )
}

/// One user by any key. Each arm is its own static query, not a boxed one: Diesel caches a
/// static query's prepared statement by type, where a boxed one has its SQL rebuilt on every
/// call to find it in the cache (7% of a GET by id, perf). Each runs on the concrete
/// connection ([`on_backend!`]): through `DbConn` Diesel's `MultiConnection` writes the whole
/// SQL text out again on every execution, cached statement or not, which made a cached SQLite
/// read by id cost 14-15 µs instead of 6 (a release loop of 50,000 reads; docs/performance.md).
pub(crate) fn load_user(
    conn: &mut DbConn,
    tenant: TenantId,
    key: &UserKey,
) -> Result<Option<UserWithGroups>, StoreError> {
    let in_tenant = users::table
        .filter(users::tenant_id.eq(tenant.0))
        .filter(visible());
    let row = match key {
        UserKey::Id(id) => on_backend!(conn, |c| in_tenant
            .filter(users::id.eq(id.0))
            .select(UserWithGroups::as_select())
            .first(c)),
        UserKey::Uuid(u) => on_backend!(conn, |c| in_tenant
            .filter(users::uuid.eq(u.to_string()))
            .select(UserWithGroups::as_select())
            .first(c)),
        UserKey::Email(e) => on_backend!(conn, |c| in_tenant
            .filter(users::email_key.eq(e.to_lowercase()))
            .select(UserWithGroups::as_select())
            .first(c)),
        UserKey::Username(u) => on_backend!(conn, |c| in_tenant
            .filter(users::username_key.eq(u.to_lowercase()))
            .select(UserWithGroups::as_select())
            .first(c)),
        UserKey::ExternalId(x) => on_backend!(conn, |c| in_tenant
            .filter(users::external_id.eq(x.clone()))
            .select(UserWithGroups::as_select())
            .first(c)),
    };
    Ok(row.optional()?)
}

/// The user a write just touched, read back.
pub(crate) fn user_by_id(conn: &mut DbConn, tenant: TenantId, id: i64) -> Result<User, StoreError> {
    load_user(conn, tenant, &UserKey::Id(UserId(id)))?
        .ok_or(StoreError::Core(CoreError::NotFound))?
        .into_user()
}

/// Rows made users, the groups of all of them read in one statement.
pub(crate) fn into_users(conn: &mut DbConn, rows: Vec<UserRow>) -> Result<Vec<User>, StoreError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut groups = groups_by_user(conn, &ids)?;
    rows.into_iter()
        .map(|r| {
            let g = groups.remove(&r.id).unwrap_or_default();
            r.into_user(g)
        })
        .collect()
}

/// `NotFound` unless the user exists in `tenant`, so what hangs off a user (assets, bookings,
/// tickets) never crosses tenants.
pub(crate) fn require_user(
    conn: &mut DbConn,
    tenant: TenantId,
    user: UserId,
) -> Result<(), StoreError> {
    let n: i64 = users::table
        .filter(users::tenant_id.eq(tenant.0))
        .filter(users::id.eq(user.0))
        .filter(visible())
        .select(count_star())
        .get_result(conn)?;
    if n == 0 {
        return Err(CoreError::NotFound.into());
    }
    Ok(())
}
