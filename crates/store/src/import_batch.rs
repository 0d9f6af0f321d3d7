//! The life of an import written in short transactions (SQLite; issue 17, defect 4): a batch
//! is opened, its chunks are written under its marker with a heartbeat each, and one short
//! transaction (the flip) makes every user of it visible at once; then its mail is released
//! to the sender a chunk per transaction and the batch deleted. A batch that fails before its
//! flip is removed here, chunk by chunk; one whose gateway died is removed (or, if it had been
//! shown, has its mail released) by [`sweep`] once its heartbeat is stale.
//!
//! What a batch writes beside its users goes with them: tickets and group memberships by the
//! users' foreign keys (`ON DELETE CASCADE`), audit rows by user id (user ids are
//! `AUTOINCREMENT`, never reused, so no other user's rows can match), and the activation mail
//! by the outbox's own marker.

use diesel::prelude::*;
use rosetta_core::{TenantId, Timestamp};

use crate::db::{write_transaction, DbConn};
use crate::error::StoreError;
use crate::rows::millis;
use crate::schema::{audit_log, import_batches, outbox, users};

/// Rows one removal (or mail release) transaction touches, so that taking an import back (or
/// letting its mail go) holds the write lock no longer than writing one of its chunks did.
const REMOVE_CHUNK: i64 = 1_000;

/// Opens a batch for `tenant` in a transaction of its own; its id.
pub(crate) fn open(conn: &mut DbConn, tenant: TenantId, now: Timestamp) -> Result<i64, StoreError> {
    write_transaction(conn, |c| {
        Ok(diesel::insert_into(import_batches::table)
            .values((
                import_batches::tenant_id.eq(tenant.0),
                import_batches::started_at.eq(millis(now)),
                import_batches::heartbeat_at.eq(millis(now)),
            ))
            .returning(import_batches::id)
            .get_result(c)?)
    })
}

/// Says the batch is alive, inside the transaction of a chunk. An error if the batch is gone
/// (the sweep took it for dead): the import must not go on writing rows nobody will flip.
pub(crate) fn heartbeat(conn: &mut DbConn, batch: i64, now: Timestamp) -> Result<(), StoreError> {
    let n = diesel::update(import_batches::table.filter(import_batches::id.eq(batch)))
        .set(import_batches::heartbeat_at.eq(millis(now)))
        .execute(conn)?;
    if n != 1 {
        return Err(gone(batch));
    }
    Ok(())
}

/// The commit point: the batch's `users` rows (there must be `expected` of them) become
/// ordinary rows and the batch is marked shown, in one short transaction. Only the marker
/// column changes, and no index holds it but its partial one, so the search triggers (`AFTER
/// UPDATE OF name_key, username_key, email_key`) do not fire and no other index is written.
/// The mail is left to [`release`]: dropping 100,000 leases here (each an entry of
/// `outbox_waiting_idx`) took 60% of the flip (Python's sqlite3: 643 ms of 1,042).
pub(crate) fn flip(
    conn: &mut DbConn,
    batch: i64,
    expected: usize,
    now: Timestamp,
) -> Result<(), StoreError> {
    write_transaction(conn, |c| {
        let shown = diesel::update(users::table.filter(users::import_batch.eq(batch)))
            .set(users::import_batch.eq(None::<i64>))
            .execute(c)?;
        if shown != expected {
            return Err(gone(batch));
        }
        let marked = diesel::update(import_batches::table.filter(import_batches::id.eq(batch)))
            .set((
                import_batches::shown_at.eq(millis(now)),
                import_batches::heartbeat_at.eq(millis(now)),
            ))
            .execute(c)?;
        if marked != 1 {
            return Err(gone(batch));
        }
        Ok(())
    })
}

/// After the flip: the batch's mail becomes due (its lease and marker dropped), a chunk per
/// transaction, then the batch is deleted. Its users are already shown, so a failure here
/// fails no import: the sweep finishes the release.
pub(crate) fn release(conn: &mut DbConn, batch: i64) -> Result<(), StoreError> {
    in_chunks(conn, |c| {
        let ids = mail_chunk(c, batch)?;
        Ok(
            diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
                .set((
                    outbox::import_batch.eq(None::<i64>),
                    outbox::lease_until.eq(None::<i64>),
                ))
                .execute(c)?,
        )
    })?;
    close(conn, batch)
}

/// Deletes everything the batch wrote, a chunk per transaction, then the batch; how many users
/// went.
pub(crate) fn remove(conn: &mut DbConn, batch: i64) -> Result<u64, StoreError> {
    let removed = in_chunks(conn, |c| {
        let rows: Vec<(i64, i64)> = users::table
            .filter(users::import_batch.eq(batch))
            .select((users::id, users::tenant_id))
            .limit(REMOVE_CHUNK)
            .load(c)?;
        let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
        let mut tenants: Vec<i64> = rows.iter().map(|(_, t)| *t).collect();
        tenants.sort_unstable();
        tenants.dedup();
        for tenant in tenants {
            // By (tenant_id, user_id): `audit_log_user_idx`.
            diesel::delete(
                audit_log::table
                    .filter(audit_log::tenant_id.eq(tenant))
                    .filter(audit_log::user_id.eq_any(&ids)),
            )
            .execute(c)?;
        }
        // Tickets, memberships (and any session or asset) go by their foreign keys.
        diesel::delete(users::table.filter(users::id.eq_any(&ids))).execute(c)?;
        Ok(ids.len())
    })?;
    in_chunks(conn, |c| {
        let ids = mail_chunk(c, batch)?;
        Ok(diesel::delete(outbox::table.filter(outbox::id.eq_any(&ids))).execute(c)?)
    })?;
    close(conn, batch)?;
    Ok(removed)
}

/// Runs `chunk` a write transaction at a time until it touches no row; how many it touched in
/// all. Each chunk is at most `REMOVE_CHUNK` rows, so no transaction holds the writer longer
/// than writing one import chunk did.
fn in_chunks<F>(conn: &mut DbConn, mut chunk: F) -> Result<u64, StoreError>
where
    F: FnMut(&mut DbConn) -> Result<usize, StoreError>,
{
    let mut total = 0u64;
    loop {
        let n = write_transaction(conn, |c| chunk(c))?;
        if n == 0 {
            return Ok(total);
        }
        total += u64::try_from(n).unwrap_or(0);
    }
}

/// The ids of at most `REMOVE_CHUNK` of the batch's mail rows.
fn mail_chunk(conn: &mut DbConn, batch: i64) -> Result<Vec<i64>, StoreError> {
    Ok(outbox::table
        .filter(outbox::import_batch.eq(batch))
        .select(outbox::id)
        .limit(REMOVE_CHUNK)
        .load(conn)?)
}

/// Deletes the batch's own row, the last step of a release or a removal.
fn close(conn: &mut DbConn, batch: i64) -> Result<(), StoreError> {
    write_transaction(conn, |c| {
        diesel::delete(import_batches::table.filter(import_batches::id.eq(batch))).execute(c)?;
        Ok(())
    })
}

/// Finishes every batch whose heartbeat is older than `stale_before` (its gateway died
/// mid-import, or its removal after a failure failed too): one never shown is removed with all
/// it wrote, one already shown has the rest of its mail released; how many batches went.
pub(crate) fn sweep(conn: &mut DbConn, stale_before: Timestamp) -> Result<u64, StoreError> {
    let stale: Vec<(i64, i64, Option<i64>)> = import_batches::table
        .filter(import_batches::heartbeat_at.lt(millis(stale_before)))
        .select((
            import_batches::id,
            import_batches::tenant_id,
            import_batches::shown_at,
        ))
        .load(conn)?;
    for (batch, tenant, shown) in &stale {
        if shown.is_some() {
            release(conn, *batch)?;
            tracing::warn!(
                batch,
                tenant,
                "import: released the mail of a shown batch left unfinished"
            );
        } else {
            let users = remove(conn, *batch)?;
            tracing::warn!(
                batch,
                tenant,
                users,
                "import: removed a batch left unfinished (its heartbeat went stale)"
            );
        }
    }
    Ok(u64::try_from(stale.len()).unwrap_or(0))
}

fn gone(batch: i64) -> StoreError {
    StoreError::Corrupt(format!(
        "import batch {batch} lost rows while it was written (removed as stale?)"
    ))
}
