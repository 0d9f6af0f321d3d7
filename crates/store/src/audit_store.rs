//! [`AuditStore`] over Diesel: reading the audit log.

use async_trait::async_trait;
use diesel::prelude::*;
use rosetta_core::{AuditAction, AuditRecord, AuditStore, CoreResult, TenantId, UserId};

use crate::diesel_store::DieselStore;
use crate::rows::audit::AuditRow;
use crate::schema::audit_log;

#[async_trait]
impl AuditStore for DieselStore {
    async fn deleted_audits(&self, tenant: TenantId, limit: u32) -> CoreResult<Vec<AuditRecord>> {
        Ok(self
            .db
            .run(move |conn| {
                let rows: Vec<AuditRow> = audit_log::table
                    .filter(audit_log::tenant_id.eq(tenant.0))
                    .filter(audit_log::action.eq(AuditAction::Delete.as_str()))
                    .order(audit_log::id.desc())
                    .limit(i64::from(limit))
                    .select(AuditRow::as_select())
                    .load(conn)?;
                rows.into_iter().map(AuditRow::into_record).collect()
            })
            .await?)
    }

    async fn audits_for_user(&self, tenant: TenantId, id: UserId) -> CoreResult<Vec<AuditRecord>> {
        Ok(self
            .db
            .run(move |conn| {
                let rows: Vec<AuditRow> = audit_log::table
                    .filter(audit_log::tenant_id.eq(tenant.0))
                    .filter(audit_log::user_id.eq(id.0))
                    .order(audit_log::id.asc())
                    .select(AuditRow::as_select())
                    .load(conn)?;
                rows.into_iter().map(AuditRow::into_record).collect()
            })
            .await?)
    }
}
