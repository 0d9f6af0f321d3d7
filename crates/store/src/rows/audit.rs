//! The audit log: rows read back, and the one encoding of a row written beside a change.

use diesel::prelude::*;
use rosetta_core::{AuditAction, AuditRecord, NewAudit, TenantId, UserId};

use super::{from_millis, millis, rows_per_statement, uuid};
use crate::db::{on_backend, DbConn};
use crate::error::StoreError;
use crate::schema::audit_log;

#[derive(Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub(crate) struct AuditRow {
    pub id: i64,
    pub tenant_id: i64,
    pub actor: String,
    pub dialect: String,
    pub action: String,
    pub user_id: i64,
    pub user_uuid: String,
    pub user_email: String,
    pub at: i64,
}

impl AuditRow {
    pub(crate) fn into_record(self) -> Result<AuditRecord, StoreError> {
        Ok(AuditRecord {
            id: self.id,
            tenant_id: TenantId(self.tenant_id),
            actor: self.actor,
            dialect: self.dialect,
            action: AuditAction::parse(&self.action)
                .ok_or_else(|| StoreError::Corrupt(format!("audit action {}", self.action)))?,
            user_id: UserId(self.user_id),
            user_uuid: uuid(&self.user_uuid)?,
            user_email: self.user_email,
            at: from_millis(self.at)?,
        })
    }
}

/// An audit row to insert. Every audit row is written through this: beside a single change
/// ([`AuditValues::insert`]) or many at once ([`insert_audits`]).
// `treat_none_as_default_value = false` (though no column is optional): without it SQLite
// cannot rule out a `DEFAULT` in a multi-row `VALUES`, and Diesel sends one statement per row.
#[derive(Insertable)]
#[diesel(table_name = audit_log, treat_none_as_default_value = false)]
pub(crate) struct AuditValues<'a> {
    tenant_id: i64,
    actor: &'a str,
    dialect: &'a str,
    action: &'static str,
    user_id: i64,
    user_uuid: String,
    user_email: &'a str,
    at: i64,
}

/// Bound parameters per audit row.
pub(crate) const AUDIT_COLUMNS: usize = 8;

impl<'a> AuditValues<'a> {
    /// The row of `audit`, about the user the write gave `user_id`.
    pub(crate) fn new(audit: &'a NewAudit, user_id: i64) -> Self {
        let NewAudit {
            tenant_id,
            actor,
            dialect,
            action,
            user_id: _,
            user_uuid,
            user_email,
            at,
        } = audit;
        Self {
            tenant_id: tenant_id.0,
            actor,
            dialect,
            action: action.as_str(),
            user_id,
            user_uuid: user_uuid.to_string(),
            user_email,
            at: millis(*at),
        }
    }

    /// The creation of a user just loaded in bulk, whose uuid and email come back from its
    /// insert as stored.
    pub(crate) fn created(
        tenant_id: i64,
        by: (&'a str, &'a str),
        user_id: i64,
        user_uuid: &str,
        user_email: &'a str,
        at: i64,
    ) -> Self {
        let (actor, dialect) = by;
        Self {
            tenant_id,
            actor,
            dialect,
            action: AuditAction::Create.as_str(),
            user_id,
            user_uuid: user_uuid.to_owned(),
            user_email,
            at,
        }
    }

    /// The row about the user its insert just gave `user_id`: the row is built before the
    /// write transaction, the id is all it learns inside.
    pub(crate) fn set_user_id(&mut self, user_id: i64) {
        self.user_id = user_id;
    }

    pub(crate) fn insert(&self, conn: &mut DbConn) -> Result<(), StoreError> {
        diesel::insert_into(audit_log::table)
            .values(self)
            .execute(conn)?;
        Ok(())
    }
}

/// Inserts audit rows in multi-row statements.
pub(crate) fn insert_audits(conn: &mut DbConn, rows: &[AuditValues<'_>]) -> Result<(), StoreError> {
    for chunk in rows.chunks(rows_per_statement(AUDIT_COLUMNS)) {
        on_backend!(&mut *conn, |c| diesel::insert_into(audit_log::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}
