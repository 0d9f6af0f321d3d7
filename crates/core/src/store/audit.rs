//! Reading the audit trail (its rows are written by the changes they record).

use async_trait::async_trait;

use crate::error::CoreResult;
use crate::ids::{TenantId, UserId};
use crate::model::AuditRecord;

#[async_trait]
pub trait AuditStore: Send + Sync {
    /// The latest deletions in the tenant, newest first.
    async fn deleted_audits(&self, tenant: TenantId, limit: u32) -> CoreResult<Vec<AuditRecord>>;
    /// Every row about one user, oldest first.
    async fn audits_for_user(&self, tenant: TenantId, id: UserId) -> CoreResult<Vec<AuditRecord>>;
}
