//! How each table's rows are encoded, one file per table group: the row types (each
//! `Insertable` once), their conversion to the core model, and the statements that insert
//! them, which every write of that row goes through. Lists are JSON text and times are epoch
//! milliseconds, which both backends store the same way.

use chrono::DateTime;
use rosetta_core::Timestamp;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::error::StoreError;

pub(crate) mod assets;
pub(crate) mod audit;
pub(crate) mod credentials;
pub(crate) mod group_audit;
pub(crate) mod groups;
pub(crate) mod outbox;
pub(crate) mod sessions;
pub(crate) mod tenants;
pub(crate) mod tickets;
pub(crate) mod usage;
pub(crate) mod user_groups;
pub(crate) mod user_values;
pub(crate) mod users;

pub(crate) fn millis(t: Timestamp) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn from_millis(ms: i64) -> Result<Timestamp, StoreError> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| StoreError::Corrupt(format!("time {ms}")))
}

fn json<T: DeserializeOwned>(column: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn uuid(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|e| StoreError::Corrupt(format!("uuid: {e}")))
}

/// SQLite's default `SQLITE_MAX_VARIABLE_NUMBER` (32766 since 3.32); PostgreSQL's protocol
/// allows 65535. The smaller one serves both, with room to spare.
const MAX_PARAMS: usize = 32_766;
/// Rows per statement: past a few hundred rows, longer statements gain nothing.
const MAX_ROWS: usize = 500;

/// Rows of `columns` bound parameters each that one multi-row INSERT takes.
pub(crate) fn rows_per_statement(columns: usize) -> usize {
    (MAX_PARAMS / columns).clamp(1, MAX_ROWS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_stay_under_both_parameter_limits() {
        for columns in [
            user_values::USER_COLUMNS,
            audit::AUDIT_COLUMNS,
            tickets::TICKET_COLUMNS,
            outbox::OUTBOX_COLUMNS,
            1,
            100_000,
        ] {
            let rows = rows_per_statement(columns);
            assert!(rows >= 1);
            assert!(rows * columns <= MAX_PARAMS || rows == 1);
        }
        assert_eq!(rows_per_statement(user_values::USER_COLUMNS), 500);
    }

    /// One statement for many rows, with every column bound, on both backends (Diesel falls
    /// back to a statement per row on SQLite when a row could hold a `DEFAULT`). A macro: the
    /// SQLite batch insert is a fragment only for its concrete statement type.
    macro_rules! one_statement {
        ($q:expr, $rows:expr, $columns:expr) => {{
            let sqlite = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&$q).to_string();
            assert_eq!(sqlite.matches("INSERT").count(), 1, "{sqlite}");
            assert_eq!(sqlite.matches('?').count(), $rows * $columns, "{sqlite}");
            let pg = diesel::debug_query::<diesel::pg::Pg, _>(&$q).to_string();
            assert_eq!(pg.matches("INSERT").count(), 1, "{pg}");
            assert!(pg.contains(&format!("${}", $rows * $columns)), "{pg}");
            assert!(!pg.contains("DEFAULT"), "{pg}");
        }};
    }

    #[test]
    fn audit_ticket_and_outbox_rows_go_in_one_statement() {
        use rosetta_core::{
            AuditAction, EmailKind, NewAudit, NewEmail, NewTicket, SealedBody, TenantId, UserId,
        };

        use crate::schema;

        let now = chrono::Utc::now();
        let audit = NewAudit {
            tenant_id: TenantId(1),
            actor: "cli".into(),
            dialect: "keaz".into(),
            action: AuditAction::Create,
            user_id: UserId(0),
            user_uuid: Uuid::new_v4(),
            user_email: "a@example.com".into(),
            at: now,
        };
        let audits: Vec<_> = (1..=3)
            .map(|id| audit::AuditValues::new(&audit, id))
            .collect();
        let q = diesel::insert_into(schema::audit_log::table).values(&audits[..]);
        one_statement!(q, 3, audit::AUDIT_COLUMNS);

        let ticket = NewTicket {
            token_hash: "h".into(),
            expires_at: now,
        };
        let rows: Vec<_> = (1..=3)
            .map(|id| tickets::TicketValues::new(TenantId(1), id, &ticket, now))
            .collect();
        let q = diesel::insert_into(schema::tickets::table).values(&rows[..]);
        one_statement!(q, 3, tickets::TICKET_COLUMNS);

        let email = NewEmail {
            tenant_id: TenantId(1),
            to: "a@example.com".into(),
            subject: "s".into(),
            kind: EmailKind::Activation,
            body: SealedBody("b".into()),
        };
        let rows: Vec<_> = (0..3)
            .map(|_| outbox::OutboxValues::new(&email, now))
            .collect();
        let q = diesel::insert_into(schema::outbox::table).values(&rows[..]);
        one_statement!(q, 3, outbox::OUTBOX_COLUMNS);
    }
}
