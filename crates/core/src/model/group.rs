//! The canonical group (MAPPING.md "Groups", scim.md): a named set of a tenant's users. v2's
//! `Groups` of a user are the uuids of the groups it belongs to.

use serde::Serialize;
use uuid::Uuid;

use super::time::Timestamp;
use crate::ids::TenantId;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// The SCIM `id`; unique within the tenant (a v2 GUID names a group of its tenant only).
    pub uuid: Uuid,
    pub tenant_id: TenantId,
    /// Unique in the tenant in any letter case.
    pub display_name: String,
    /// Unique in the tenant when set, case-exact.
    pub external_id: Option<String>,
    /// In the order they joined the tenant (user id); empty when read without members.
    pub members: Vec<Member>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// 1 when created, one more on every write, member changes included.
    pub version: i64,
}

/// A member as a group shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    pub user: Uuid,
    /// The user's full name.
    pub display: String,
}

/// A group as a user's list of groups shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupRef {
    pub uuid: Uuid,
    pub display_name: String,
}

/// Whether a read loads a group's members (SCIM `excludedAttributes=members` spares them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Members {
    Include,
    Exclude,
}

/// A validated group as the directory hands it to the store; members by user uuid, each a
/// user of the tenant (the store refuses one that is not, inside the write).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRecord {
    pub uuid: Uuid,
    pub tenant_id: TenantId,
    pub display_name: String,
    pub external_id: Option<String>,
}

/// One row of a group's audit trail, written in the same transaction as the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGroupAudit {
    pub tenant_id: TenantId,
    pub actor: String,
    pub dialect: String,
    /// Create, Update or Delete.
    pub action: super::AuditAction,
    pub group_uuid: Uuid,
    pub display_name: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupAuditRecord {
    pub id: i64,
    pub tenant_id: TenantId,
    pub actor: String,
    pub dialect: String,
    pub action: super::AuditAction,
    pub group_uuid: Uuid,
    pub display_name: String,
    pub at: Timestamp,
}
