//! Groups and their memberships: writes with the audit row that commits beside them, and
//! reads by uuid. Every write checks, inside its transaction, that each member is a user of
//! the group's tenant.

use std::collections::HashMap;

use async_trait::async_trait;
use uuid::Uuid;

use crate::error::CoreResult;
use crate::ids::TenantId;
use crate::model::{
    Group, GroupAuditRecord, GroupRecord, GroupRef, Members, NewGroupAudit, Timestamp,
};

/// A new group, its members (user uuids) and its audit row.
#[derive(Debug, Clone)]
pub struct NewGroupWrite {
    pub record: GroupRecord,
    pub members: Vec<Uuid>,
    pub audit: NewGroupAudit,
}

/// A change to a stored group, applied in one transaction if the stored version is still
/// `expected_version` (when given). Members: `replace_members` first, then
/// `remove_members`, then `add_members`; adding a member already in, or removing one not in,
/// changes nothing.
#[derive(Debug, Clone)]
pub struct GroupUpdateWrite {
    pub tenant: TenantId,
    pub uuid: Uuid,
    pub expected_version: Option<i64>,
    pub display_name: Option<String>,
    pub external_id: Option<Option<String>>,
    pub replace_members: Option<Vec<Uuid>>,
    pub add_members: Vec<Uuid>,
    pub remove_members: Vec<Uuid>,
    pub audit: NewGroupAudit,
}

#[async_trait]
pub trait GroupStore: Send + Sync {
    /// `Err(Conflict(GroupDisplayName | GroupExternalId))` on a clash, a validation error of
    /// `Field::Members` for a member that is no user of the tenant.
    async fn insert_group(&self, write: NewGroupWrite, now: Timestamp) -> CoreResult<Group>;
    async fn group(
        &self,
        tenant: TenantId,
        uuid: Uuid,
        members: Members,
    ) -> CoreResult<Option<Group>>;
    /// `Err(VersionConflict)` on a stale expected version, `Err(NotFound)` if the group is
    /// gone. The version goes up by one whatever changed.
    async fn update_group(&self, write: GroupUpdateWrite, now: Timestamp) -> CoreResult<Group>;
    /// Deletes the group (and with it every membership in it); false if absent.
    /// `Err(VersionConflict)` on a stale expected version.
    async fn delete_group(
        &self,
        tenant: TenantId,
        uuid: Uuid,
        expected_version: Option<i64>,
        audit: NewGroupAudit,
    ) -> CoreResult<bool>;
    /// The groups a user of the tenant belongs to, by group id; None if there is no such user.
    async fn groups_of_user(
        &self,
        tenant: TenantId,
        user: Uuid,
    ) -> CoreResult<Option<Vec<GroupRef>>>;
    /// The display names of those of `groups` that are groups of the tenant, in one read (a
    /// page of users shows its groups' names without a read per user).
    async fn group_names(
        &self,
        tenant: TenantId,
        groups: &[Uuid],
    ) -> CoreResult<HashMap<Uuid, String>>;
    /// Every audit row about one group of the tenant, oldest first.
    async fn group_audits(&self, tenant: TenantId, uuid: Uuid)
        -> CoreResult<Vec<GroupAuditRecord>>;
}
