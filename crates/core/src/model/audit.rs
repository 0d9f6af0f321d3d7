//! The audit trail of user changes.

use serde::Serialize;
use uuid::Uuid;

use super::time::Timestamp;
use crate::ids::{TenantId, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AuditAction {
    Create,
    Update,
    Delete,
    Activate,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Delete => "delete",
            Self::Activate => "activate",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "create" => Some(Self::Create),
            "update" => Some(Self::Update),
            "delete" => Some(Self::Delete),
            "activate" => Some(Self::Activate),
            _ => None,
        }
    }
}

/// One audit row, written in the same transaction as the change it records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAudit {
    pub tenant_id: TenantId,
    pub actor: String,
    pub dialect: String,
    pub action: AuditAction,
    pub user_id: UserId,
    pub user_uuid: Uuid,
    pub user_email: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRecord {
    pub id: i64,
    pub tenant_id: TenantId,
    pub actor: String,
    pub dialect: String,
    pub action: AuditAction,
    pub user_id: UserId,
    pub user_uuid: Uuid,
    pub user_email: String,
    pub at: Timestamp,
}
