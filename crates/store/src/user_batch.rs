//! [`rosetta_core::UserStore::insert_users`], the keaz CSV import: many users, all or
//! nothing, with the write lock held only for the INSERTs (on SQLite, for one chunk of them
//! at a time).
//!
//! A 100,000-row import held SQLite's write lock (and PostgreSQL's row locks on the tenant's
//! keys) for up to 3.6 s, stalling every other write (issue 17, defect 4): the rows were
//! encoded, and the new users read back and decoded, inside the transaction. The core parses,
//! validates, hashes and seals before it calls the store; here every row is encoded before
//! `BEGIN`, the transaction learns only the ids (`RETURNING id, uuid`), and the users are
//! built after `COMMIT` from the rows they were inserted as.
//!
//! On SQLite those INSERTs alone (users, their unique indexes, the search triggers, audit,
//! tickets, outbox) still held the one writer for about 4 s per 100,000 users; there a big
//! batch is written a chunk per transaction under an import batch that no reader sees until
//! its one quick flip (`import_batch`).

use std::collections::{HashMap, HashSet};

use rosetta_core::{NewAudit, NewEmail, NewTicket, NewUserWrite, TenantId, Timestamp, User};
use uuid::Uuid;

use crate::db::{write_transaction, DbConn};
use crate::error::StoreError;
use crate::import_batch;
use crate::rows::audit::{insert_audits, AuditValues};
use crate::rows::groups::set_user_groups;
use crate::rows::outbox::{insert_emails, OutboxValues};
use crate::rows::tickets::{insert_tickets, TicketValues};
use crate::rows::user_values::{insert_user_rows, NewUserRow};

/// What is written beside one new user, kept apart from its row so that the rows make one
/// slice for the multi-row insert.
struct Beside {
    uuid: String,
    tenant: TenantId,
    groups: Vec<Uuid>,
    audit: NewAudit,
    ticket: Option<NewTicket>,
    emails: Vec<NewEmail>,
}

/// Each user's row, encoded, and what is written beside it, in the order given.
fn prepare(
    writes: Vec<NewUserWrite>,
    now: Timestamp,
) -> Result<(Vec<NewUserRow>, Vec<Beside>), StoreError> {
    let mut rows = Vec::with_capacity(writes.len());
    let mut beside = Vec::with_capacity(writes.len());
    for write in writes {
        let NewUserWrite {
            record,
            secrets,
            audit,
            ticket,
            emails,
        } = write;
        beside.push(Beside {
            uuid: record.uuid.to_string(),
            tenant: record.tenant_id,
            groups: record.groups.clone().unwrap_or_default(),
            audit,
            ticket,
            emails,
        });
        rows.push(NewUserRow::new(record, secrets, now)?);
    }
    Ok((rows, beside))
}

/// Inserts `writes` on `conn` (not in a transaction: this opens its own) and returns the new
/// users in the order given. On SQLite a batch of more than `chunk` users is written in
/// transactions of `chunk` users under an import batch ([`crate::import_batch`]), invisible
/// until its flip: the database's one writer is held for a chunk at a time, not for the whole
/// import. Elsewhere (PostgreSQL, a batch that fits in one chunk, or one that puts users in
/// groups) it is one transaction.
pub(crate) fn insert_batch(
    conn: &mut DbConn,
    writes: Vec<NewUserWrite>,
    now: Timestamp,
    chunk: usize,
) -> Result<Vec<User>, StoreError> {
    let chunk = chunk.max(1);
    // Groups stay in one transaction: a membership may create its group and bumps the
    // group's version, which a removal could not take back.
    let staged = matches!(conn, DbConn::Sqlite(_))
        && writes.len() > chunk
        && writes
            .iter()
            .all(|w| w.record.groups.as_ref().is_none_or(Vec::is_empty));
    let (mut rows, beside) = prepare(writes, now)?;
    // Everything that does not need an id is built here, before the lock.
    let mut audits: Vec<AuditValues<'_>> = beside
        .iter()
        .map(|b| AuditValues::new(&b.audit, 0))
        .collect();
    let mut outbox: Vec<OutboxValues<'_>> = beside
        .iter()
        .flat_map(|b| b.emails.iter().map(|e| OutboxValues::new(e, now)))
        .collect();
    let ids = if staged {
        let parts = Parts {
            beside: &beside,
            audits: &mut audits,
            outbox: &mut outbox,
        };
        insert_staged(conn, &mut rows, parts, now, chunk)?
    } else {
        write_transaction(conn, |c| {
            insert_chunk(c, &rows, &beside, &mut audits, &outbox, now)
        })?
    };
    drop((audits, outbox));
    // After COMMIT: each user from the row it was inserted as and the id it got.
    rows.into_iter()
        .zip(ids)
        .zip(beside)
        .map(|((row, id), b)| row.into_stored(id).into_user(memberships(b.groups)))
        .collect()
}

/// What is written beside the users of a staged batch, in the users' order.
struct Parts<'b, 'v> {
    beside: &'b [Beside],
    audits: &'b mut [AuditValues<'v>],
    outbox: &'b mut [OutboxValues<'v>],
}

/// The batch in transactions of `chunk` users under an import batch, then its flip; the ids
/// in the order given. On any failure the batch's rows are removed and the failure returned
/// as it was (a unique conflict in the last chunk is answered as it was in one transaction).
fn insert_staged(
    conn: &mut DbConn,
    rows: &mut [NewUserRow],
    parts: Parts<'_, '_>,
    now: Timestamp,
    chunk: usize,
) -> Result<Vec<i64>, StoreError> {
    let Parts {
        beside,
        audits,
        outbox,
    } = parts;
    let tenant = beside.first().map_or(TenantId(0), |b| b.tenant);
    let batch = import_batch::open(conn, tenant, now)?;
    rows.iter_mut().for_each(|r| r.set_import_batch(batch));
    outbox.iter_mut().for_each(|o| o.set_import_batch(batch));
    // Where each user's messages end in `outbox`, so a chunk takes its users' own.
    let mut ends = Vec::with_capacity(beside.len());
    let mut end = 0;
    for b in beside {
        end += b.emails.len();
        ends.push(end);
    }
    let mut written = || -> Result<Vec<i64>, StoreError> {
        let mut ids = Vec::with_capacity(rows.len());
        let mut start = 0;
        while start < rows.len() {
            let stop = (start + chunk).min(rows.len());
            let mail_from = if start == 0 { 0 } else { ends[start - 1] };
            let mail_to = ends[stop - 1];
            let got = write_transaction(conn, |c| {
                import_batch::heartbeat(c, batch, chrono::Utc::now())?;
                insert_chunk(
                    c,
                    &rows[start..stop],
                    &beside[start..stop],
                    &mut audits[start..stop],
                    &outbox[mail_from..mail_to],
                    now,
                )
            })?;
            ids.extend(got);
            start = stop;
        }
        let flipping = std::time::Instant::now();
        import_batch::flip(conn, batch, ids.len(), chrono::Utc::now())?;
        tracing::info!(
            batch,
            users = ids.len(),
            chunks = ids.len().div_ceil(chunk),
            flip_ms = flipping.elapsed().as_millis(),
            "import: written in chunks and shown"
        );
        Ok(ids)
    };
    match written() {
        Ok(ids) => {
            // Shown and committed: the import has succeeded whatever becomes of its mail.
            if let Err(e) = import_batch::release(conn, batch) {
                tracing::error!(batch, error = %e, "import: mail not released yet (the sweep will)");
            }
            Ok(ids)
        }
        Err(e) => {
            if let Err(left) = import_batch::remove(conn, batch) {
                // The sweep removes it once its heartbeat is stale; nobody sees it meanwhile.
                tracing::error!(batch, error = %left, "import: cannot remove a failed batch");
            }
            Err(e)
        }
    }
}

/// Inserts the users of one transaction and everything beside them; their ids, in order.
fn insert_chunk(
    c: &mut DbConn,
    rows: &[NewUserRow],
    beside: &[Beside],
    audits: &mut [AuditValues<'_>],
    outbox: &[OutboxValues<'_>],
    now: Timestamp,
) -> Result<Vec<i64>, StoreError> {
    // Matched back by uuid: RETURNING promises no order.
    let returned: HashMap<String, i64> = insert_user_rows(c, rows)?
        .into_iter()
        .map(|(id, uuid)| (uuid, id))
        .collect();
    let mut ids = Vec::with_capacity(beside.len());
    let mut tickets = Vec::new();
    for (b, audit) in beside.iter().zip(audits.iter_mut()) {
        let id = *returned
            .get(&b.uuid)
            .ok_or_else(|| StoreError::Corrupt(format!("no id returned for user {}", b.uuid)))?;
        if !b.groups.is_empty() {
            set_user_groups(c, b.tenant, id, &b.groups, now)?;
        }
        audit.set_user_id(id);
        if let Some(t) = &b.ticket {
            tickets.push(TicketValues::new(b.tenant, id, t, now));
        }
        ids.push(id);
    }
    insert_audits(c, audits)?;
    insert_tickets(c, &tickets)?;
    insert_emails(c, outbox)?;
    Ok(ids)
}

/// The groups a user was just put in, as reading them back gives them: each once, at its first
/// place in the list (what `set_user_groups` stores).
fn memberships(wanted: Vec<Uuid>) -> Vec<Uuid> {
    let mut seen = HashSet::with_capacity(wanted.len());
    wanted.into_iter().filter(|g| seen.insert(*g)).collect()
}

#[cfg(test)]
mod tests {
    use super::memberships;
    use uuid::Uuid;

    #[test]
    fn memberships_keep_the_first_place_of_each_group() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        assert_eq!(memberships(vec![a, b, a, b]), vec![a, b]);
        assert!(memberships(Vec::new()).is_empty());
    }
}
