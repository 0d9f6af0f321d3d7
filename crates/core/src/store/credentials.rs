//! Machine credentials (usr bearer tokens), kept as hashes.

use async_trait::async_trait;

use crate::error::CoreResult;
use crate::ids::TenantId;
use crate::model::{Credential, Timestamp};

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
    async fn credential_by_hash(&self, token_hash: &str) -> CoreResult<Option<Credential>>;
}
