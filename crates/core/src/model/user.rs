//! The canonical user of MAPPING.md, what the store keeps beside it, and how users are looked
//! up and listed.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::time::Timestamp;
use crate::error::{CoreError, Field, Problem};
use crate::ids::{Email, Names, TenantId, UserId, Username};
use crate::tags::PermName;
use crate::text::TextKind;

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
    pub perms: Vec<PermName>,
    pub website_role: Option<String>,
    pub default_account_id: Option<i64>,
    pub external_id: Option<String>,
    pub profile: Profile,
    pub license_types: Vec<String>,
    pub branch_ids: Vec<String>,
    /// The user's groups (memberships) after the write; None leaves them as they are, so a
    /// write that did not ask to change them cannot undo a membership added meanwhile. An
    /// unknown uuid creates that group (display name = its text).
    pub groups: Option<Vec<Uuid>>,
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

impl UserKey {
    /// Whether a stored user could have this key: a text the rule (MAPPING.md) refuses was
    /// never stored, so it matches nobody, and is not sent to the database (PostgreSQL
    /// refuses a NUL in a parameter).
    pub fn can_match(&self) -> bool {
        match self {
            Self::Id(_) | Self::Uuid(_) => true,
            Self::Email(t) | Self::Username(t) | Self::ExternalId(t) => TextKind::Name.carries(t),
        }
    }
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

/// MAPPING.md Text: a search term is at most this many characters. Past it a backend may fail
/// (SQLite refuses a LIKE pattern over 50,000 bytes, and the store escapes `_` and `%` into
/// two bytes each), so the bound is checked here, once, for every dialect's search.
pub const SEARCH_TERM_MAX: usize = 256;

impl UserFilter {
    /// Whether any stored user could match: as [`UserKey::can_match`], a text no user can
    /// hold matches nobody.
    pub fn can_match(&self) -> bool {
        let Self {
            statuses: _,
            default_account_id: _,
            name_contains,
            email,
            external_id,
        } = self;
        [name_contains, email, external_id]
            .into_iter()
            .flatten()
            .all(|t| TextKind::Name.carries(t))
    }

    /// Every term within [`SEARCH_TERM_MAX`]; the first that is not, as a validation error of
    /// its field (a name search names `Field::Name`).
    pub fn check(&self) -> Result<(), CoreError> {
        let Self {
            statuses: _,
            default_account_id: _,
            name_contains,
            email,
            external_id,
        } = self;
        for (field, term) in [
            (Field::Name, name_contains),
            (Field::Email, email),
            (Field::ExternalId, external_id),
        ] {
            if term
                .as_deref()
                .is_some_and(|t| t.chars().count() > SEARCH_TERM_MAX)
            {
                return Err(CoreError::invalid(
                    field,
                    Problem::TooLong {
                        max: SEARCH_TERM_MAX,
                    },
                ));
            }
        }
        Ok(())
    }

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
