//! What an operator sees of machine credentials and integration keys, and the audit of
//! revoking and rotating them. None of these holds a secret or a hash of one.

use super::time::Timestamp;
use crate::ids::TenantId;

/// The dialects a machine credential may be made for (`rosetta credential create
/// --dialect`). A scim credential acts as an administrator of its tenant, as a usr one does:
/// `Actor::machine(tenant, "scim", Principal::Credential(id))` may grant admin, never keaz.
pub const CREDENTIAL_DIALECTS: &[&str] = &["kashflow", "usr", "keaz", "v2", "scim"];

/// A machine credential as `rosetta credential list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialSummary {
    pub id: i64,
    pub tenant_id: TenantId,
    pub dialect: String,
    pub name: Option<String>,
    pub created_at: Timestamp,
    /// To the minute at best: written at most once a minute per credential and gateway.
    pub last_used_at: Option<Timestamp>,
    pub revoked: bool,
}

/// What became of a revocation or rotation asked for by credential id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialChange<T> {
    Done(T),
    NoSuchCredential,
    /// Revoked before: nothing changed (a revoked credential is never brought back).
    Revoked,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAction {
    RevokeCredential,
    RotateCredential,
    RotateIntegrationKey,
}

impl KeyAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RevokeCredential => "credential.revoke",
            Self::RotateCredential => "credential.rotate",
            Self::RotateIntegrationKey => "integration-key.rotate",
        }
    }
}

/// Who changed a secret, and how long the one replaced stays valid (None: not at all). The
/// store adds the tenant and credential it changed, in the same transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyAudit {
    pub actor: String,
    pub action: KeyAction,
    pub overlap_until: Option<Timestamp>,
    pub at: Timestamp,
}
