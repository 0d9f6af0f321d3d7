//! The canonical user of MAPPING.md and the records around it. None of these types holds a
//! secret: password hashes and encrypted memorable words live in [`UserSecrets`], which the
//! dialects never see, so serialising a [`User`] cannot leak one.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ids::{Email, Names, TenantId, UserId, Username};

pub type Timestamp = DateTime<Utc>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Active,
    Inactive,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Active => "active",
            Self::Inactive => "inactive",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.to_ascii_lowercase().as_str() {
            "pending" => Some(Self::Pending),
            "active" => Some(Self::Active),
            "inactive" => Some(Self::Inactive),
            _ => None,
        }
    }
}

/// The keaz profile: free text fields kept as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub employee_id: Option<String>,
    pub contact_number: Option<String>,
    pub license_number: Option<String>,
    pub license_expiry_month: Option<String>,
    pub license_expiry_year: Option<String>,
    pub license_type: Option<String>,
    pub license_country: Option<String>,
    pub cost_centre_id: Option<String>,
    pub activated_via_company_id: Option<String>,
}

/// A v2 `UserDevice`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub id: String,
    pub name: Option<String>,
    pub os: Option<String>,
    pub app_version: Option<String>,
    pub last_used: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    pub id: UserId,
    pub uuid: Uuid,
    pub tenant_id: TenantId,
    pub username: Username,
    pub email: Email,
    pub names: Names,
    pub status: Status,
    pub role_number: i32,
    pub perms: Vec<String>,
    pub website_role: Option<String>,
    pub default_account_id: Option<i64>,
    pub external_id: Option<String>,
    pub profile: Profile,
    pub license_types: Vec<String>,
    pub branch_ids: Vec<String>,
    pub groups: Vec<Uuid>,
    pub folders: Vec<Uuid>,
    pub devices: Vec<Device>,
    pub last_login_at: Option<Timestamp>,
    /// `ResetPassword`: the password no longer verifies until it is set again by activation.
    pub password_expired: bool,
    pub has_password: bool,
    pub has_memorable_word: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

/// What the store keeps beside a user and only the core reads.
#[derive(Clone, Default)]
pub struct UserSecrets {
    pub password_hash: Option<String>,
    pub memorable_word_enc: Option<String>,
    pub failed_logins: i32,
    pub locked_until: Option<Timestamp>,
}

impl std::fmt::Debug for UserSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserSecrets")
            .field(
                "password_hash",
                &self.password_hash.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "memorable_word_enc",
                &self.memorable_word_enc.as_ref().map(|_| "<redacted>"),
            )
            .field("failed_logins", &self.failed_logins)
            .field("locked_until", &self.locked_until)
            .finish()
    }
}

/// A complete, validated user as the service hands it to the store for insert or update.
/// `id`, `uuid` and timestamps of an update come from the stored row.
#[derive(Debug, Clone)]
pub struct UserRecord {
    pub uuid: Uuid,
    pub tenant_id: TenantId,
    pub username: Username,
    pub email: Email,
    pub names: Names,
    pub status: Status,
    pub role_number: i32,
    pub perms: Vec<String>,
    pub website_role: Option<String>,
    pub default_account_id: Option<i64>,
    pub external_id: Option<String>,
    pub profile: Profile,
    pub license_types: Vec<String>,
    pub branch_ids: Vec<String>,
    pub groups: Vec<Uuid>,
    pub folders: Vec<Uuid>,
    pub devices: Vec<Device>,
    pub password_expired: bool,
}

/// Secret columns to change with a write; `None` leaves the stored value alone.
#[derive(Clone, Default)]
pub struct SecretChange {
    pub password_hash: Option<String>,
    pub memorable_word_enc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tenant {
    pub id: TenantId,
    pub name: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub number: i32,
    pub name: String,
    pub admin: bool,
}

/// The catalogue every new tenant starts with (MAPPING.md).
pub fn default_roles() -> Vec<Role> {
    vec![
        Role {
            number: 2,
            name: "Standard".into(),
            admin: false,
        },
        Role {
            number: 6,
            name: "Full Access".into(),
            admin: true,
        },
        Role {
            number: 11,
            name: "Invoices & Customers (read only)".into(),
            admin: false,
        },
    ]
}

pub const DEFAULT_ROLE: i32 = 2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub id: i64,
    pub tenant_id: TenantId,
    pub dialect: String,
    pub name: Option<String>,
}

/// A login session (kashflow, keaz). `kind` tells a one-use temporary token from a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: i64,
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub dialect: String,
    pub kind: SessionKind,
    /// Dialect-owned state, e.g. the memorable-word positions asked for.
    pub data: Option<String>,
    pub created_at: Timestamp,
    pub last_used_at: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Temporary,
    Session,
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Temporary => "temporary",
            Self::Session => "session",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "temporary" => Some(Self::Temporary),
            "session" => Some(Self::Session),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub dialect: String,
    pub kind: SessionKind,
    pub token_hash: String,
    pub data: Option<String>,
    pub expires_at: Timestamp,
}

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

/// An activation ticket to store with a user (only its hash is kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTicket {
    pub token_hash: String,
    pub expires_at: Timestamp,
}

/// A message for the outbox, written in the same transaction as the change that causes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEmail {
    pub tenant_id: TenantId,
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEmail {
    pub id: i64,
    pub tenant_id: TenantId,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attempts: i32,
    pub created_at: Timestamp,
}

/// Which unique key a look-up uses. Text keys are matched in any letter case, except the
/// external id, which is exact (v2 spec).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserKey {
    Id(UserId),
    Uuid(Uuid),
    Email(String),
    Username(String),
    ExternalId(String),
}

/// Where a list page starts. Keyset (`After`) is what every dialect should use; `Offset` exists
/// for v2's `PageNo` and is turned into keyset by the store where it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    Start,
    After(UserId),
    Offset(u64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserFilter {
    /// Empty means every status.
    pub statuses: Vec<Status>,
    pub default_account_id: Option<i64>,
    /// Case-insensitive substring of full, first or last name.
    pub name_contains: Option<String>,
    /// Case-insensitive exact.
    pub email: Option<String>,
    /// Exact.
    pub external_id: Option<String>,
}

impl UserFilter {
    pub fn all() -> Self {
        Self {
            statuses: Vec::new(),
            default_account_id: None,
            name_contains: None,
            email: None,
            external_id: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub users: Vec<User>,
    /// Rows matching the filter, across all pages.
    pub total: u64,
    /// The cursor for the next page, when there is one.
    pub next: Option<UserId>,
}

/// Calls through one route of one dialect by one credential (`rosetta usage`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsageCount {
    pub dialect: String,
    pub credential: String,
    pub route: String,
    pub calls: i64,
}

/// A keaz asset: a JSON document a client stored under a tag for one user. The core keeps the
/// text exactly as the client sent it (key order included); the dialect checks it is JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub tag: String,
    pub data: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A booking of an asset by a user over `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBooking {
    pub asset: String,
    pub start: Timestamp,
    pub end: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    pub id: i64,
    pub user_id: UserId,
    pub asset: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub created_at: Timestamp,
}
