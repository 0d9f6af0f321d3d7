//! Revoking and rotating machine credentials and v2 integration keys (`rosetta credential
//! list|revoke|rotate`, `rosetta tenant rotate-key`). New secrets are returned once and stored
//! as hashes; every change is written to the audit log with it, never the secret.

use std::time::Duration;

use super::service::{after, now, Directory};
use crate::crypto;
use crate::error::{CoreError, CoreResult};
use crate::ids::TenantId;
use crate::model::{
    Credential, CredentialChange, CredentialSummary, KeyAction, KeyAudit, Timestamp,
};

impl Directory {
    /// A tenant's machine credentials, revoked ones too.
    pub async fn credentials_of(&self, tenant: TenantId) -> CoreResult<Vec<CredentialSummary>> {
        self.tenant(tenant).await?;
        self.store.credentials_of(tenant).await
    }

    /// Revokes a credential for good; `operator` is who the audit log names.
    pub async fn revoke_credential(
        &self,
        operator: &str,
        id: i64,
    ) -> CoreResult<CredentialChange<Credential>> {
        let audit = key_audit(operator, KeyAction::RevokeCredential, None);
        self.store.revoke_credential(id, audit).await
    }

    /// A new token for a credential, returned once. The one it replaces keeps working for
    /// `overlap` (zero: stops at once), so a client can be moved to the new one first.
    pub async fn rotate_credential(
        &self,
        operator: &str,
        id: i64,
        overlap: Duration,
    ) -> CoreResult<CredentialChange<(Credential, String)>> {
        let token = crypto::random_token();
        let audit = key_audit(
            operator,
            KeyAction::RotateCredential,
            overlap_until(overlap),
        );
        let change = self
            .store
            .rotate_credential(id, &crypto::token_hash(&token), audit)
            .await?;
        Ok(match change {
            CredentialChange::Done(credential) => CredentialChange::Done((credential, token)),
            CredentialChange::NoSuchCredential => CredentialChange::NoSuchCredential,
            CredentialChange::Revoked => CredentialChange::Revoked,
        })
    }

    /// A new v2 integration key for a tenant, returned once; the old one keeps working for
    /// `overlap` (zero: stops at once). `NotFound` when there is no such tenant.
    pub async fn rotate_integration_key(
        &self,
        operator: &str,
        tenant: TenantId,
        overlap: Duration,
    ) -> CoreResult<String> {
        let key = crypto::random_token();
        let audit = key_audit(
            operator,
            KeyAction::RotateIntegrationKey,
            overlap_until(overlap),
        );
        if self
            .store
            .rotate_tenant_key(tenant, &crypto::token_hash(&key), audit)
            .await?
        {
            Ok(key)
        } else {
            Err(CoreError::NotFound)
        }
    }
}

fn overlap_until(overlap: Duration) -> Option<Timestamp> {
    (!overlap.is_zero()).then(|| after(overlap))
}

fn key_audit(operator: &str, action: KeyAction, overlap_until: Option<Timestamp>) -> KeyAudit {
    KeyAudit {
        actor: operator.to_owned(),
        action,
        overlap_until,
        at: now(),
    }
}
