//! What a dialect asks the directory to write about groups, one struct per write.

use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateGroupRequest {
    pub display_name: String,
    pub external_id: Option<String>,
    /// User uuids of the tenant.
    pub members: Vec<Uuid>,
}

/// A whole group written over the stored one (SCIM PUT).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplaceGroupRequest {
    pub uuid: Uuid,
    pub expected_version: Option<i64>,
    pub display_name: String,
    pub external_id: Option<String>,
    pub members: Vec<Uuid>,
}

/// A partial change (SCIM PATCH), in one transaction. `None` leaves a field as it is;
/// `external_id: Some(None)` clears it. Members: `replace_members` first, then
/// `remove_members`, then `add_members`; adding a member already in, or removing one that is
/// not, is no error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModifyGroupRequest {
    pub uuid: Uuid,
    pub expected_version: Option<i64>,
    pub display_name: Option<String>,
    pub external_id: Option<Option<String>>,
    pub replace_members: Option<Vec<Uuid>>,
    pub add_members: Vec<Uuid>,
    pub remove_members: Vec<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeleteGroupRequest {
    pub uuid: Uuid,
    pub expected_version: Option<i64>,
}
