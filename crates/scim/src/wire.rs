//! SCIM's JSON (RFC 7643, RFC 7644), member for member as the RFCs spell them.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::schema::urn;

/// The media type of every answer; requests may also say `application/json`.
pub const SCIM_JSON: &str = "application/scim+json";

/// The SCIM Error of RFC 7644 section 3.12.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub schemas: [&'static str; 1],
    /// The HTTP status, as text.
    pub status: String,
    #[serde(rename = "scimType", skip_serializing_if = "Option::is_none")]
    pub scim_type: Option<&'static str>,
    pub detail: String,
}

/// `meta` of every resource.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Meta {
    #[serde(rename = "resourceType")]
    pub resource_type: &'static str,
    /// RFC 3339, UTC.
    pub created: String,
    #[serde(rename = "lastModified")]
    pub last_modified: String,
    /// The absolute URL of the resource.
    pub location: String,
    /// `W/"<version>"`, the resource's ETag.
    pub version: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NameOut {
    pub formatted: String,
    /// Absent when empty (a one-word name has no family name).
    #[serde(rename = "familyName", skip_serializing_if = "String::is_empty")]
    pub family_name: String,
    #[serde(rename = "givenName", skip_serializing_if = "String::is_empty")]
    pub given_name: String,
}

/// The one email: `primary`, of type `work`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EmailOut {
    pub value: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub primary: bool,
}

/// The keaz contact number, as the `work` phone number.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PhoneOut {
    pub value: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// The one role: the RoleNumber as text and its name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleOut {
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

/// An entitlement: a perm name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ValueOut {
    pub value: String,
}

/// A group the user is a member of (read only), or a member of a group.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RefOut {
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    #[serde(rename = "$ref")]
    pub reference: String,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
}

/// The enterprise extension's members Rosetta stores.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EnterpriseOut {
    #[serde(rename = "employeeNumber", skip_serializing_if = "Option::is_none")]
    pub employee_number: Option<String>,
    #[serde(rename = "costCenter", skip_serializing_if = "Option::is_none")]
    pub cost_center: Option<String>,
}

/// A User as read. `password` has no member: it is never returned.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserOut {
    pub schemas: Vec<&'static str>,
    pub id: String,
    #[serde(rename = "externalId", skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(rename = "userName")]
    pub user_name: String,
    pub name: NameOut,
    #[serde(rename = "displayName")]
    pub display_name: String,
    pub emails: Vec<EmailOut>,
    #[serde(rename = "phoneNumbers", skip_serializing_if = "Vec::is_empty")]
    pub phone_numbers: Vec<PhoneOut>,
    pub active: bool,
    pub roles: Vec<RoleOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entitlements: Vec<ValueOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<RefOut>,
    #[serde(
        rename = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        skip_serializing_if = "Option::is_none"
    )]
    pub enterprise: Option<EnterpriseOut>,
    pub meta: Meta,
}

/// A User as written (POST, PUT, and a User after a PATCH). Members stay raw JSON, each
/// converted by `convert` so the error names the attribute; attribute names are matched in any
/// letter case (RFC 7643 section 2.1) before this is read. Read-only members (`id`, `meta`,
/// `groups`) may be sent back and are ignored.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct UserIn {
    #[serde(rename = "userName")]
    pub user_name: Option<Value>,
    #[serde(rename = "externalId")]
    pub external_id: Option<Value>,
    pub name: Option<Value>,
    #[serde(rename = "displayName")]
    pub display_name: Option<Value>,
    pub emails: Option<Value>,
    #[serde(rename = "phoneNumbers")]
    pub phone_numbers: Option<Value>,
    pub active: Option<Value>,
    /// Write only.
    pub password: Option<Value>,
    pub roles: Option<Value>,
    pub entitlements: Option<Value>,
    #[serde(rename = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")]
    pub enterprise: Option<Value>,
}

/// The top-level members of a written User, in their RFC spelling.
pub const USER_MEMBERS: &[&str] = &[
    "schemas",
    "id",
    "meta",
    "groups",
    "userName",
    "externalId",
    "name",
    "displayName",
    "emails",
    "phoneNumbers",
    "active",
    "password",
    "roles",
    "entitlements",
    urn::ENTERPRISE_USER,
];

/// A page of a query (RFC 7644 section 3.4.2).
#[derive(Debug, Serialize, ToSchema)]
pub struct ListResponse {
    pub schemas: [&'static str; 1],
    #[serde(rename = "totalResults")]
    pub total_results: u64,
    #[serde(rename = "itemsPerPage")]
    pub items_per_page: u64,
    #[serde(rename = "startIndex")]
    pub start_index: u64,
    #[serde(rename = "Resources")]
    pub resources: Vec<Value>,
}

/// `POST /.search` (RFC 7644 section 3.4.3). Members stay raw so each is checked by name.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SearchRequest {
    pub schemas: Option<Value>,
    pub attributes: Option<Value>,
    #[serde(rename = "excludedAttributes")]
    pub excluded_attributes: Option<Value>,
    pub filter: Option<Value>,
    #[serde(rename = "sortBy")]
    pub sort_by: Option<Value>,
    #[serde(rename = "sortOrder")]
    pub sort_order: Option<Value>,
    #[serde(rename = "startIndex")]
    pub start_index: Option<Value>,
    pub count: Option<Value>,
}

pub const SEARCH_MEMBERS: &[&str] = &[
    "schemas",
    "attributes",
    "excludedAttributes",
    "filter",
    "sortBy",
    "sortOrder",
    "startIndex",
    "count",
];

/// A PatchOp body (RFC 7644 section 3.5.2), for the document; `patch::PatchOp` reads it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PatchOpIn {
    pub schemas: Vec<String>,
    #[serde(rename = "Operations")]
    pub operations: Vec<PatchOperationIn>,
}

/// One operation: `op` is `add`, `replace` or `remove` in any letter case.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PatchOperationIn {
    pub op: String,
    pub path: Option<String>,
    pub value: Option<Value>,
}

/// A Group as read.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupOut {
    pub schemas: Vec<&'static str>,
    pub id: String,
    #[serde(rename = "externalId", skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(rename = "displayName")]
    pub display_name: String,
    pub members: Vec<RefOut>,
    pub meta: Meta,
}

/// A Group as written (POST, PUT, the result of a PATCH).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct GroupIn {
    #[serde(rename = "displayName")]
    pub display_name: Option<Value>,
    #[serde(rename = "externalId")]
    pub external_id: Option<Value>,
    pub members: Option<Value>,
}
