//! Tenants, their role catalogues, and the gateway's settings.

use async_trait::async_trait;

use crate::error::CoreResult;
use crate::ids::TenantId;
use crate::model::{KeyAudit, Role, Tenant, Timestamp, UserStatusCount};

/// A tenant to create, with the role catalogue it starts with.
#[derive(Debug, Clone)]
pub struct NewTenant {
    pub name: String,
    pub integration_key_hash: String,
    pub roles: Vec<Role>,
}

#[async_trait]
pub trait TenantStore: Send + Sync {
    /// Reads `key`, or stores `value` under it if it is absent, and returns what is stored.
    async fn setting_get_or_init(&self, key: &str, value: String) -> CoreResult<String>;
    async fn create_tenant(&self, tenant: NewTenant, now: Timestamp) -> CoreResult<Tenant>;
    async fn tenant(&self, id: TenantId) -> CoreResult<Option<Tenant>>;
    /// The hashes of the integration keys that open the tenant at `now`: the current key, and
    /// the one it replaced while the rotation's overlap lasts.
    async fn tenant_key_hashes(&self, id: TenantId, now: Timestamp) -> CoreResult<Vec<String>>;
    /// Gives the tenant a new integration key hash; the old one stays valid until
    /// `audit.overlap_until` (not at all when None). Writes `audit` with it. False: no tenant.
    async fn rotate_tenant_key(
        &self,
        id: TenantId,
        key_hash: &str,
        audit: KeyAudit,
    ) -> CoreResult<bool>;
    async fn roles(&self, tenant: TenantId) -> CoreResult<Vec<Role>>;
    /// Creates or replaces the role under its number.
    async fn set_role(&self, tenant: TenantId, role: &Role) -> CoreResult<()>;
    /// Every tenant, by id.
    async fn tenants(&self) -> CoreResult<Vec<Tenant>>;
    /// Users counted per tenant and status, in the database (one `GROUP BY`, no user loaded).
    async fn user_status_counts(&self) -> CoreResult<Vec<UserStatusCount>>;
}
