//! Loading many users at once (benchmark fixtures, migrations from another system), far faster
//! than one `insert_user` per user: multi-row `INSERT`s of typed, already validated records, one
//! transaction per call, no read-back of the rows. Each user still gets its audit row.
//!
//! This is a store-level entry point beside the `Store` trait, not a `Directory` operation: the
//! caller vouches for what the core would otherwise check (role numbers, perm names), and
//! brings its secrets already computed, so that one bcrypt hash can serve many users.

use diesel::prelude::*;
use rosetta_core::{AuditAction, CoreResult, SecretChange, Timestamp, UserId, UserRecord};
use uuid::Uuid;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::rows::{millis, UserValues};
use crate::schema::{audit_log, users};
use crate::store::DieselStore;

/// One user to load: the record as the core would build it, and its secret columns.
#[derive(Clone)]
pub struct BulkUser {
    pub record: UserRecord,
    pub secrets: SecretChange,
}

/// Who the audit rows name as having created the users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkAudit {
    pub actor: String,
    pub dialect: String,
}

/// Every column a new user row sets: the record's columns, its secrets, and the two columns
/// only an insert sets.
#[derive(Insertable)]
#[diesel(table_name = users, treat_none_as_default_value = false)]
struct BulkRow {
    #[diesel(embed)]
    values: UserValues,
    password_hash: Option<String>,
    memorable_word_enc: Option<String>,
    created_at: i64,
    version: i64,
}

/// Bound parameters per user row (the columns of [`UserValues`] and the four of [`BulkRow`]).
const USER_COLUMNS: usize = 36;
/// Bound parameters per audit row.
const AUDIT_COLUMNS: usize = 8;
/// SQLite's default `SQLITE_MAX_VARIABLE_NUMBER` (32766 since 3.32); PostgreSQL's protocol
/// allows 65535. The smaller one serves both, with room to spare.
const MAX_PARAMS: usize = 32_766;
/// Rows per statement: past a few hundred rows, longer statements gain nothing.
const MAX_ROWS: usize = 500;

/// 256 MiB of page cache (negative: KiB) for a connection that bulk-loads into SQLite.
const SQLITE_BULK_CACHE: &str = "PRAGMA cache_size = -262144";

fn rows_per_statement(columns: usize) -> usize {
    (MAX_PARAMS / columns).clamp(1, MAX_ROWS)
}

impl BulkRow {
    fn new(user: BulkUser, now: Timestamp) -> Result<Self, StoreError> {
        let BulkUser { record, secrets } = user;
        let SecretChange {
            password_hash,
            memorable_word_enc,
        } = secrets;
        Ok(Self {
            values: UserValues::from_record(record, now)?,
            password_hash,
            memorable_word_enc,
            created_at: millis(now),
            version: 1,
        })
    }
}

#[derive(Insertable)]
#[diesel(table_name = audit_log)]
struct AuditValues<'a> {
    tenant_id: i64,
    actor: &'a str,
    dialect: &'a str,
    action: &'static str,
    user_id: i64,
    user_uuid: String,
    user_email: String,
    at: i64,
}

/// What the multi-row insert returns of each new user: id, uuid, tenant, email.
pub(crate) type Inserted = (i64, String, i64, String);

/// Inserts user rows with their secret columns in multi-row statements, on a connection the
/// caller has put in a transaction. The one way users are inserted in numbers: the loader here
/// and the CSV import (`Store::insert_users`) both come through it. Returns in statement order;
/// RETURNING promises no order within a statement, so match by uuid or sort by id.
pub(crate) fn insert_user_rows(
    conn: &mut DbConn,
    users: Vec<BulkUser>,
    now: Timestamp,
) -> Result<Vec<Inserted>, StoreError> {
    let rows = users
        .into_iter()
        .map(|u| BulkRow::new(u, now))
        .collect::<Result<Vec<_>, _>>()?;
    let mut inserted: Vec<Inserted> = Vec::with_capacity(rows.len());
    let returning = (users::id, users::uuid, users::tenant_id, users::email);
    for chunk in rows.chunks(rows_per_statement(USER_COLUMNS)) {
        // The same statement for each concrete connection: Diesel's batch insert is written
        // per backend (SQLite's needs the no-DEFAULT form above).
        let mut got: Vec<Inserted> = match conn {
            DbConn::Sqlite(c) => diesel::insert_into(users::table)
                .values(chunk)
                .returning(returning)
                .get_results(c)?,
            DbConn::Postgres(c) => diesel::insert_into(users::table)
                .values(chunk)
                .returning(returning)
                .get_results(c)?,
        };
        inserted.append(&mut got);
    }
    Ok(inserted)
}

/// Inserts `users` and their audit rows on `conn`, which the caller has put in a transaction.
/// Returns each new user's id and uuid, by ascending id.
pub fn insert_users(
    conn: &mut DbConn,
    users: Vec<BulkUser>,
    audit: &BulkAudit,
    now: Timestamp,
) -> Result<Vec<(UserId, Uuid)>, StoreError> {
    if let DbConn::Sqlite(c) = conn {
        // Loading inserts into nine indexes at random places (uuids, emails, usernames); with
        // SQLite's default 2 MiB page cache most of those pages are read again for every batch.
        // The connection keeps this cache afterwards, which only a loader ever holds.
        use diesel::connection::SimpleConnection;
        c.batch_execute(SQLITE_BULK_CACHE)?;
    }
    let mut inserted = insert_user_rows(conn, users, now)?;
    inserted.sort_unstable_by_key(|(id, ..)| *id);
    let at = millis(now);
    let audits: Vec<AuditValues<'_>> = inserted
        .iter()
        .map(|(id, uuid, tenant_id, email)| AuditValues {
            tenant_id: *tenant_id,
            actor: &audit.actor,
            dialect: &audit.dialect,
            action: AuditAction::Create.as_str(),
            user_id: *id,
            user_uuid: uuid.clone(),
            user_email: email.clone(),
            at,
        })
        .collect();
    for chunk in audits.chunks(rows_per_statement(AUDIT_COLUMNS)) {
        match conn {
            DbConn::Sqlite(c) => diesel::insert_into(audit_log::table)
                .values(chunk)
                .execute(c)?,
            DbConn::Postgres(c) => diesel::insert_into(audit_log::table)
                .values(chunk)
                .execute(c)?,
        };
    }
    inserted
        .into_iter()
        .map(|(id, uuid, ..)| {
            Uuid::parse_str(&uuid)
                .map(|u| (UserId(id), u))
                .map_err(|e| StoreError::Corrupt(format!("uuid: {e}")))
        })
        .collect()
}

impl DieselStore {
    /// Loads `users` in one transaction (all or nothing), with multi-row inserts. A taken
    /// username, email or external id fails the whole call with the same conflict error a
    /// single insert gives. Returns the new ids and uuids by ascending id.
    pub async fn bulk_insert_users(
        &self,
        users: Vec<BulkUser>,
        audit: BulkAudit,
        now: Timestamp,
    ) -> CoreResult<Vec<(UserId, Uuid)>> {
        if users.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self
            .db()
            .write(move |conn| insert_users(conn, users, &audit, now))
            .await?)
    }
}

impl DieselStore {
    /// What an operator does after a large load: fresh planner statistics (`ANALYZE`, which
    /// PostgreSQL's autovacuum would otherwise run some time later), on PostgreSQL a `VACUUM`
    /// that marks the new pages all-visible (so counts can be index-only scans, as they become
    /// once autovacuum has passed), and on SQLite a checkpoint that folds the write-ahead log
    /// back into the database file.
    pub async fn finish_bulk_load(&self) -> CoreResult<()> {
        Ok(self
            .db()
            .run(|conn| {
                use diesel::connection::SimpleConnection;
                match conn {
                    DbConn::Sqlite(c) => {
                        c.batch_execute("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);")?
                    }
                    DbConn::Postgres(c) => c.batch_execute("VACUUM ANALYZE")?,
                }
                Ok(())
            })
            .await?)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn statements_stay_under_both_parameter_limits() {
        for columns in [USER_COLUMNS, AUDIT_COLUMNS, 1, 100_000] {
            let rows = rows_per_statement(columns);
            assert!(rows >= 1);
            assert!(rows * columns <= MAX_PARAMS || rows == 1);
        }
        assert_eq!(rows_per_statement(USER_COLUMNS), 500);
    }

    fn user(n: usize) -> BulkUser {
        use rosetta_core::{Email, Names, Profile, Status, TenantId, Username};
        BulkUser {
            record: UserRecord {
                uuid: Uuid::new_v4(),
                tenant_id: TenantId(1),
                username: Username::parse(&format!("u{n}")).unwrap(),
                email: Email::parse(&format!("u{n}@example.com")).unwrap(),
                names: Names::from_full("Ada Lovelace").unwrap(),
                status: Status::Active,
                role_number: 2,
                perms: Vec::new(),
                website_role: None,
                default_account_id: None,
                external_id: None,
                profile: Profile::default(),
                license_types: Vec::new(),
                branch_ids: Vec::new(),
                groups: Vec::new(),
                folders: Vec::new(),
                devices: Vec::new(),
                password_expired: false,
            },
            secrets: SecretChange::default(),
        }
    }

    /// The point of the module: one multi-row statement, not Diesel's one-per-row fallback,
    /// on both backends, with every column bound.
    #[test]
    fn one_statement_per_chunk_on_both_backends() {
        let now = chrono::Utc::now();
        let rows: Vec<BulkRow> = (0..3)
            .map(|n| BulkRow::new(user(n), now).unwrap())
            .collect();
        let q = diesel::insert_into(users::table).values(&rows[..]);
        let sqlite = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&q).to_string();
        assert!(!sqlite.contains("BEGIN"), "{sqlite}");
        assert_eq!(sqlite.matches("INSERT").count(), 1, "{sqlite}");
        assert_eq!(sqlite.matches("?").count(), 3 * USER_COLUMNS, "{sqlite}");
        let pg = diesel::debug_query::<diesel::pg::Pg, _>(&q).to_string();
        assert_eq!(pg.matches("INSERT").count(), 1, "{pg}");
        assert!(pg.contains(&format!("${}", 3 * USER_COLUMNS)), "{pg}");
        assert!(!pg.contains("DEFAULT"), "{pg}");
    }
}
