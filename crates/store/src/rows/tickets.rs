//! Activation tickets: the one encoding of a new ticket row.

use diesel::prelude::*;
use rosetta_core::{NewTicket, TenantId, Timestamp};

use super::{millis, rows_per_statement};
use crate::db::{on_backend, DbConn};
use crate::error::StoreError;
use crate::schema::tickets;

/// A ticket row to insert, for a new user or in place of the user's open tickets.
// `treat_none_as_default_value = false` (though no column is optional): without it SQLite
// cannot rule out a `DEFAULT` in a multi-row `VALUES`, and Diesel sends one statement per row.
#[derive(Insertable)]
#[diesel(table_name = tickets, treat_none_as_default_value = false)]
pub(crate) struct TicketValues<'a> {
    tenant_id: i64,
    user_id: i64,
    token_hash: &'a str,
    expires_at: i64,
    void: bool,
    created_at: i64,
}

/// Bound parameters per ticket row.
pub(crate) const TICKET_COLUMNS: usize = 6;

impl<'a> TicketValues<'a> {
    pub(crate) fn new(
        tenant: TenantId,
        user_id: i64,
        ticket: &'a NewTicket,
        now: Timestamp,
    ) -> Self {
        let NewTicket {
            token_hash,
            expires_at,
        } = ticket;
        Self {
            tenant_id: tenant.0,
            user_id,
            token_hash,
            expires_at: millis(*expires_at),
            void: false,
            created_at: millis(now),
        }
    }

    pub(crate) fn insert(&self, conn: &mut DbConn) -> Result<(), StoreError> {
        diesel::insert_into(tickets::table)
            .values(self)
            .execute(conn)?;
        Ok(())
    }
}

/// Inserts ticket rows in multi-row statements.
pub(crate) fn insert_tickets(
    conn: &mut DbConn,
    rows: &[TicketValues<'_>],
) -> Result<(), StoreError> {
    for chunk in rows.chunks(rows_per_statement(TICKET_COLUMNS)) {
        on_backend!(&mut *conn, |c| diesel::insert_into(tickets::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}
