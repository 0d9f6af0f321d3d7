//! The outbox: the one encoding of a queued message.

use diesel::prelude::*;
use rosetta_core::{NewEmail, Timestamp};

use super::{millis, rows_per_statement};
use crate::db::{on_backend, DbConn};
use crate::error::StoreError;
use crate::schema::outbox;

/// A message to queue, due at once, written in the transaction of the change it tells of.
// `treat_none_as_default_value = false` (though no column is optional): without it SQLite
// cannot rule out a `DEFAULT` in a multi-row `VALUES`, and Diesel sends one statement per row.
#[derive(Insertable)]
#[diesel(table_name = outbox, treat_none_as_default_value = false)]
pub(crate) struct OutboxValues<'a> {
    tenant_id: i64,
    to_addr: &'a str,
    subject: &'a str,
    body: &'a str,
    sealed: bool,
    kind: Option<&'static str>,
    created_at: i64,
    attempts: i32,
    next_attempt_at: i64,
    /// Set (with a lease that never runs out) for the mail of an import still being written:
    /// the sender passes it by until the import's flip clears both (`crate::import_batch`).
    lease_until: Option<i64>,
    import_batch: Option<i64>,
}

/// Bound parameters per outbox row.
pub(crate) const OUTBOX_COLUMNS: usize = 11;

/// The lease of a pending import's mail: later than any `now` the sender compares it with.
pub(crate) const HELD_BY_IMPORT: i64 = i64::MAX;

impl<'a> OutboxValues<'a> {
    pub(crate) fn new(email: &'a NewEmail, now: Timestamp) -> Self {
        let NewEmail {
            tenant_id,
            to,
            subject,
            kind,
            body,
        } = email;
        Self {
            tenant_id: tenant_id.0,
            to_addr: to,
            subject,
            body: &body.0,
            sealed: true,
            kind: Some(kind.as_str()),
            created_at: millis(now),
            attempts: 0,
            next_attempt_at: millis(now),
            lease_until: None,
            import_batch: None,
        }
    }

    /// The message held for import batch `batch`: leased to it until its flip, so no sender
    /// takes it (nor would its due and claim filters, unchanged, let one).
    pub(crate) fn set_import_batch(&mut self, batch: i64) {
        self.lease_until = Some(HELD_BY_IMPORT);
        self.import_batch = Some(batch);
    }

    pub(crate) fn insert(&self, conn: &mut DbConn) -> Result<(), StoreError> {
        diesel::insert_into(outbox::table)
            .values(self)
            .execute(conn)?;
        Ok(())
    }
}

/// Inserts outbox rows in multi-row statements.
pub(crate) fn insert_emails(
    conn: &mut DbConn,
    rows: &[OutboxValues<'_>],
) -> Result<(), StoreError> {
    for chunk in rows.chunks(rows_per_statement(OUTBOX_COLUMNS)) {
        on_backend!(&mut *conn, |c| diesel::insert_into(outbox::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}
