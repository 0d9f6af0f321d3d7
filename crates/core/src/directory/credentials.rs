//! Machine credentials and v2 integration keys, and the short memory of ones that verified: a
//! revoked or rotated-out secret is refused by every gateway within
//! `security.credential_cache_ttl`, once the memory of it has lapsed.

use super::requests::CreateCredentialRequest;
use super::service::{now, Directory};
use crate::crypto;
use crate::error::{CoreError, CoreResult, Field, Problem};
use crate::ids::TenantId;
use crate::model::{Credential, CREDENTIAL_DIALECTS};
use crate::store::NewCredential;
use crate::text::{self, TextKind};

impl Directory {
    /// A new credential for a dialect of the tenant; returns the token once.
    pub async fn create_credential(
        &self,
        request: CreateCredentialRequest<'_>,
    ) -> CoreResult<(Credential, String)> {
        let CreateCredentialRequest {
            tenant,
            dialect,
            name,
        } = request;
        // A label is shown by `credential list` and in the console: the same rule as any name.
        text::check_opt(Field::Name, TextKind::Name, name)?;
        if !CREDENTIAL_DIALECTS.contains(&dialect) {
            return Err(CoreError::invalid(Field::Dialect, Problem::UnknownDialect));
        }
        self.tenant(tenant).await?;
        let token = crypto::random_token();
        let cred = self
            .store
            .create_credential(
                NewCredential {
                    tenant,
                    dialect: dialect.to_owned(),
                    name: name.map(str::to_owned),
                    token_hash: crypto::token_hash(&token),
                },
                now(),
            )
            .await?;
        Ok((cred, token))
    }

    /// A machine credential of `dialect`, or `Unauthorized`.
    pub async fn authenticate_credential(
        &self,
        dialect: &str,
        token: &str,
    ) -> CoreResult<Credential> {
        let hash = crypto::token_hash(token);
        let cred = match self.credentials.get(&hash) {
            Some(cred) => cred,
            None => {
                let Some(cred) = self.store.credential_by_hash(&hash, now()).await? else {
                    return Err(CoreError::Unauthorized);
                };
                self.credentials.put(hash, cred.clone());
                cred
            }
        };
        if cred.dialect != dialect {
            return Err(CoreError::Unauthorized);
        }
        self.note_use(cred.id).await;
        Ok(cred)
    }

    /// Keeps `last_used_at` to the minute without a write per request: at most one write a
    /// minute per credential and gateway. A failed write costs the caller nothing.
    async fn note_use(&self, credential: i64) {
        let key = credential.to_string();
        if self.used.get(&key).is_some() {
            return;
        }
        self.used.put(key, ());
        if let Err(e) = self.store.touch_credential(credential, now()).await {
            tracing::warn!(credential, error = %e, "cannot record that a credential was used");
        }
    }

    /// v2's `CompanyId` + `IntegrationKey`: both must belong together.
    pub async fn authenticate_integration_key(
        &self,
        tenant: TenantId,
        key: &str,
    ) -> CoreResult<()> {
        let hash = crypto::token_hash(key);
        let cache_key = format!("{}:{hash}", tenant.0);
        if self.integration_keys.get(&cache_key).is_some() {
            return Ok(());
        }
        if self
            .store
            .tenant_key_hashes(tenant, now())
            .await?
            .contains(&hash)
        {
            self.integration_keys.put(cache_key, ());
            Ok(())
        } else {
            Err(CoreError::Unauthorized)
        }
    }
}
