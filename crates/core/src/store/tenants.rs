//! Tenants, their role catalogues, and the gateway's settings.

use async_trait::async_trait;

use crate::error::CoreResult;
use crate::ids::TenantId;
use crate::model::{Role, Tenant, Timestamp};

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
    async fn tenant_key_hash(&self, id: TenantId) -> CoreResult<Option<String>>;
    async fn roles(&self, tenant: TenantId) -> CoreResult<Vec<Role>>;
    /// Creates or replaces the role under its number.
    async fn set_role(&self, tenant: TenantId, role: &Role) -> CoreResult<()>;
}
