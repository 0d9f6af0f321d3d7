//! Loading many users at once (benchmark fixtures, migrations from another system), far faster
//! than one `insert_user` per user: multi-row `INSERT`s of typed, already validated records, one
//! transaction per call, no read-back of the rows. Each user still gets its audit row.
//!
//! This is a store-level entry point beside the `Store` traits, not a `Directory` operation:
//! the caller vouches for what the core would otherwise check (role numbers, perm names), and
//! brings its secrets already computed, so that one bcrypt hash can serve many users.

use rosetta_core::{CoreResult, SecretChange, Timestamp, UserId, UserRecord};
use uuid::Uuid;

use crate::db::{on_backend, DbConn};
use crate::diesel_store::DieselStore;
use crate::error::StoreError;
use crate::rows::audit::{insert_audits, AuditValues};
use crate::rows::millis;
use crate::rows::user_values::{insert_user_rows, NewUserRow};

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

/// 256 MiB of page cache (negative: KiB) for a connection that bulk-loads into SQLite.
const SQLITE_BULK_CACHE: &str = "PRAGMA cache_size = -262144";

/// Inserts `users` and their audit rows on `conn`, which the caller has put in a transaction.
/// Returns each new user's id and uuid, by ascending id.
fn insert_users(
    conn: &mut DbConn,
    users: Vec<BulkUser>,
    audit: &BulkAudit,
    now: Timestamp,
) -> Result<Vec<(UserId, Uuid)>, StoreError> {
    use diesel::connection::SimpleConnection;
    on_backend!(
        &mut *conn,
        // Loading inserts into nine indexes at random places (uuids, emails, usernames); with
        // SQLite's default 2 MiB page cache most of those pages are read again for every
        // batch. The connection keeps this cache afterwards, which only a loader ever holds.
        sqlite | c | c.batch_execute(SQLITE_BULK_CACHE)?,
        postgres | _c | (),
    );
    let rows = users
        .into_iter()
        .map(|BulkUser { record, secrets }| NewUserRow::new(record, secrets, now))
        .collect::<Result<Vec<_>, _>>()?;
    let mut inserted = insert_user_rows(conn, &rows)?;
    inserted.sort_unstable_by_key(|(id, ..)| *id);
    let at = millis(now);
    let audits: Vec<AuditValues<'_>> = inserted
        .iter()
        .map(|(id, uuid, tenant_id, email)| {
            AuditValues::created(
                *tenant_id,
                (&audit.actor, &audit.dialect),
                *id,
                uuid,
                email,
                at,
            )
        })
        .collect();
    insert_audits(conn, &audits)?;
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
                on_backend!(
                    conn,
                    sqlite | c | c.batch_execute("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);")?,
                    postgres | c | c.batch_execute("VACUUM ANALYZE")?,
                );
                Ok(())
            })
            .await?)
    }
}
