//! [`rosetta_core::UserStore::insert_users`], the keaz CSV import: many users in one
//! transaction, all or nothing, with the write lock held only for the INSERTs.
//!
//! A 100,000-row import held SQLite's write lock (and PostgreSQL's row locks on the tenant's
//! keys) for up to 3.6 s, stalling every other write (issue 17, defect 4): the rows were
//! encoded, and the new users read back and decoded, inside the transaction. The core parses,
//! validates, hashes and seals before it calls the store; here every row is encoded before
//! `BEGIN`, the transaction learns only the ids (`RETURNING id, uuid`), and the users are
//! built after `COMMIT` from the rows they were inserted as.

use std::collections::{HashMap, HashSet};

use rosetta_core::{NewAudit, NewEmail, NewTicket, NewUserWrite, TenantId, Timestamp, User};
use uuid::Uuid;

use crate::db::{write_transaction, DbConn};
use crate::error::StoreError;
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
/// users in the order given.
pub(crate) fn insert_batch(
    conn: &mut DbConn,
    writes: Vec<NewUserWrite>,
    now: Timestamp,
) -> Result<Vec<User>, StoreError> {
    let (rows, beside) = prepare(writes, now)?;
    // Everything that does not need an id is built here, before the lock.
    let mut audits: Vec<AuditValues<'_>> = beside
        .iter()
        .map(|b| AuditValues::new(&b.audit, 0))
        .collect();
    let outbox: Vec<OutboxValues<'_>> = beside
        .iter()
        .flat_map(|b| b.emails.iter().map(|e| OutboxValues::new(e, now)))
        .collect();
    let ids = write_transaction(conn, |c| {
        // Matched back by uuid: RETURNING promises no order.
        let returned: HashMap<String, i64> = insert_user_rows(c, &rows)?
            .into_iter()
            .map(|(id, uuid)| (uuid, id))
            .collect();
        let mut ids = Vec::with_capacity(beside.len());
        let mut tickets = Vec::new();
        for (b, audit) in beside.iter().zip(audits.iter_mut()) {
            let id = *returned.get(&b.uuid).ok_or_else(|| {
                StoreError::Corrupt(format!("no id returned for user {}", b.uuid))
            })?;
            if !b.groups.is_empty() {
                set_user_groups(c, b.tenant, id, &b.groups, now)?;
            }
            audit.set_user_id(id);
            if let Some(t) = &b.ticket {
                tickets.push(TicketValues::new(b.tenant, id, t, now));
            }
            ids.push(id);
        }
        insert_audits(c, &audits)?;
        insert_tickets(c, &tickets)?;
        insert_emails(c, &outbox)?;
        Ok(ids)
    })?;
    drop((audits, outbox));
    // After COMMIT: each user from the row it was inserted as and the id it got.
    rows.into_iter()
        .zip(ids)
        .zip(beside)
        .map(|((row, id), b)| row.into_stored(id).into_user(memberships(b.groups)))
        .collect()
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
