//! The v2 documents as clients see them. Member names are spelled exactly as the spec (and the
//! ServiceStack DTOs it comes from) spell them; JSON member order follows the spec's tables,
//! XML order is alphabetical and lives in `xml.rs`. Dates are already formatted here, so both
//! formats print exactly the same text.

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A user as read. Write-only members (`Password`, `DoNotEmail`, `ResetPassword`,
/// `IntegrationKey`) are absent on purpose: they are read from requests into [`UserInput`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct User {
    pub id: Uuid,
    pub company_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_activity: Option<String>,
    pub folders: Vec<Uuid>,
    pub groups: Vec<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website_role: Option<String>,
    pub user_devices: Vec<UserDevice>,
    pub created_date: String,
    pub last_updated: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct UserDevice {
    #[serde(rename = "Id")]
    pub id: String,
    #[serde(rename = "Name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "OS", skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    #[serde(rename = "AppVersion", skip_serializing_if = "Option::is_none")]
    pub app_version: Option<String>,
    #[serde(rename = "LastUsed", skip_serializing_if = "Option::is_none")]
    pub last_used: Option<String>,
}

/// One entry of `DeletedUsers` (`IncludeDeletedUserAudits=true`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct DeletedUser {
    pub id: Uuid,
    pub email: String,
    /// `dialect:actor`, e.g. `v2:integration-key` or `keaz:user:5`.
    pub deleted_by: String,
    pub deleted_date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ResponseStatus {
    pub error_code: String,
    pub message: String,
    pub errors: Vec<ResponseError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ResponseError {
    pub error_code: String,
    pub field_name: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct UserResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_status: Option<ResponseStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct UserSearchResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub users: Option<Vec<User>>,
    pub total_rows: u64,
    pub page_no: u64,
    pub page_size: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_status: Option<ResponseStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_users: Option<Vec<DeletedUser>>,
}

/// A `User` as written by a client (POST). Absent and null members are both `None`; the
/// read-only members (`Id`, `CreatedDate`, ...) are not kept, except `CompanyId`, which must
/// agree with the caller's key when present.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserInput {
    pub company_id: Option<String>,
    pub external_id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub status: Option<String>,
    pub folders: Option<Vec<Uuid>>,
    pub groups: Option<Vec<Uuid>>,
    pub website_role: Option<String>,
    pub user_devices: Option<Vec<DeviceInput>>,
    pub password: Option<String>,
    pub do_not_email: Option<bool>,
    pub reset_password: Option<bool>,
    pub integration_key: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceInput {
    pub id: String,
    pub name: Option<String>,
    pub os: Option<String>,
    pub app_version: Option<String>,
    pub last_used: Option<chrono::DateTime<chrono::Utc>>,
}

/// The members of a search, from the query string and (for POST) the body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchInput {
    pub name: Option<String>,
    pub email: Option<String>,
    pub external_id: Option<String>,
    pub status: Option<String>,
    pub page_no: Option<String>,
    pub page_size: Option<String>,
    pub include_deleted_user_audits: Option<String>,
    pub company_id: Option<String>,
    pub integration_key: Option<String>,
}
