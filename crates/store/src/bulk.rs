//! Loading many users at once (benchmark fixtures, migrations from another system), far faster
//! than one `insert_user` per user: multi-row `INSERT`s of typed, already validated records, one
//! transaction per call, no read-back of the rows. Each user still gets its audit row.
//!
//! This is a store-level entry point beside the `Store` traits, not a `Directory` operation:
//! the caller vouches for what the core would otherwise check (role numbers, perm names), and
//! brings its secrets already computed, so that one bcrypt hash can serve many users.

use std::collections::HashMap;

use rosetta_core::{CoreResult, SecretChange, Timestamp, UserId, UserRecord};
use uuid::Uuid;

use crate::db::{on_backend, write_transaction, DbConn};
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

/// Each user's row, encoded, and its audit row (all but the id), in the order given: built
/// before the write transaction, so that the lock is held only for the INSERTs (issue 17,
/// defect 4).
struct Prepared {
    rows: Vec<NewUserRow>,
    /// Uuid, tenant and email of each row, for its audit row.
    audited: Vec<(String, i64, String)>,
}

fn prepare(users: Vec<BulkUser>, now: Timestamp) -> Result<Prepared, StoreError> {
    let mut rows = Vec::with_capacity(users.len());
    let mut audited = Vec::with_capacity(users.len());
    for BulkUser { record, secrets } in users {
        audited.push((
            record.uuid.to_string(),
            record.tenant_id.0,
            record.email.as_str().to_owned(),
        ));
        rows.push(NewUserRow::new(record, secrets, now)?);
    }
    Ok(Prepared { rows, audited })
}

/// Inserts the prepared users and their audit rows on `conn`, in one transaction of its own.
/// Returns each new user's id and uuid, by ascending id.
fn insert_users(
    conn: &mut DbConn,
    prepared: &Prepared,
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
    let at = millis(now);
    let mut audits: Vec<AuditValues<'_>> = prepared
        .audited
        .iter()
        .map(|(uuid, tenant, email)| {
            AuditValues::created(*tenant, (&audit.actor, &audit.dialect), 0, uuid, email, at)
        })
        .collect();
    let mut inserted: Vec<(i64, String)> = write_transaction(conn, |c| {
        let inserted = insert_user_rows(c, &prepared.rows)?;
        // Matched back by uuid: RETURNING promises no order.
        let ids: HashMap<&str, i64> = inserted.iter().map(|(id, u)| (u.as_str(), *id)).collect();
        for ((uuid, ..), row) in prepared.audited.iter().zip(audits.iter_mut()) {
            let id = ids
                .get(uuid.as_str())
                .ok_or_else(|| StoreError::Corrupt(format!("no id returned for user {uuid}")))?;
            row.set_user_id(*id);
        }
        insert_audits(c, &audits)?;
        Ok(inserted)
    })?;
    inserted.sort_unstable_by_key(|(id, _)| *id);
    inserted
        .into_iter()
        .map(|(id, uuid)| {
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
            .run(move |conn| {
                let prepared = prepare(users, now)?;
                insert_users(conn, &prepared, &audit, now)
            })
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
