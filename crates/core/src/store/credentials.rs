//! Machine credentials (usr bearer tokens), kept as hashes.

use async_trait::async_trait;

use crate::error::CoreResult;
use crate::ids::TenantId;
use crate::model::{Credential, CredentialChange, CredentialSummary, KeyAudit, Timestamp};

#[derive(Debug, Clone)]
pub struct NewCredential {
    pub tenant: TenantId,
    pub dialect: String,
    pub name: Option<String>,
    pub token_hash: String,
}

#[async_trait]
pub trait CredentialStore: Send + Sync {
    async fn create_credential(
        &self,
        credential: NewCredential,
        now: Timestamp,
    ) -> CoreResult<Credential>;
    /// The credential `token_hash` opens at `now`: its current token, or the one it replaced
    /// while the rotation's overlap lasts; never a revoked one.
    async fn credential_by_hash(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> CoreResult<Option<Credential>>;
    /// The tenant's credentials, oldest first, revoked ones too.
    async fn credentials_of(&self, tenant: TenantId) -> CoreResult<Vec<CredentialSummary>>;
    /// Every tenant's credentials, by tenant then oldest first (the console's tenants page,
    /// in one read rather than one per tenant).
    async fn every_credential(&self) -> CoreResult<Vec<CredentialSummary>>;
    /// Revokes a credential and writes `audit` with it.
    async fn revoke_credential(
        &self,
        id: i64,
        audit: KeyAudit,
    ) -> CoreResult<CredentialChange<Credential>>;
    /// Gives a credential a new token hash; the old one stays valid until
    /// `audit.overlap_until` (not at all when None). Writes `audit` with it.
    async fn rotate_credential(
        &self,
        id: i64,
        token_hash: &str,
        audit: KeyAudit,
    ) -> CoreResult<CredentialChange<Credential>>;
    /// Records that the credential was just used.
    async fn touch_credential(&self, id: i64, now: Timestamp) -> CoreResult<()>;
}
