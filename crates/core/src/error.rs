//! The core's one error type. It names what went wrong by code (which field, which rule, what
//! was refused) and carries no English for the wire: each dialect words it in its own envelope.
//! Nothing here ever carries a password, a hash or a memorable word.

use std::fmt;

use thiserror::Error;
use uuid::Uuid;

use crate::model::query::problem::QueryProblem;

use crate::text::kind::TextKind;

/// Which unique value clashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UniqueField {
    Username,
    Email,
    ExternalId,
    /// A group's display name (in any letter case).
    GroupDisplayName,
    /// A group's external id.
    GroupExternalId,
}

impl UniqueField {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Username => "username",
            Self::Email => "email",
            Self::ExternalId => "external_id",
            Self::GroupDisplayName => "display_name",
            Self::GroupExternalId => "group external_id",
        }
    }
}

/// A canonical field (MAPPING.md) a validation failure names; dialects rename it to their own
/// member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// A tenant's or a role's name, or the name a search looks for.
    Name,
    Username,
    Email,
    FullName,
    FirstName,
    LastName,
    Password,
    MemorableWord,
    Status,
    RoleNumber,
    Perms,
    ExternalId,
    WebsiteRole,
    /// v2 `UserDevices`: a device's id, name, OS or app version.
    Devices,
    LicenseTypes,
    BranchIds,
    /// The keaz profile's text fields, each by its own name.
    EmployeeId,
    ContactNumber,
    LicenseNumber,
    LicenseExpiryMonth,
    LicenseExpiryYear,
    LicenseType,
    LicenseCountry,
    CostCentreId,
    ActivatedViaCompanyId,
    /// A keaz asset's tag.
    Tag,
    /// A booking's asset name, start and end.
    Asset,
    Start,
    End,
    /// A group's display name.
    DisplayName,
    /// A group's members.
    Members,
    /// A query's condition or sort.
    Filter,
    /// The dialect a credential is for.
    Dialect,
}

impl Field {
    /// The canonical name of MAPPING.md.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Username => "username",
            Self::Email => "email",
            Self::FullName => "full_name",
            Self::FirstName => "first_name",
            Self::LastName => "last_name",
            Self::Password => "password",
            Self::MemorableWord => "memorable_word",
            Self::Status => "status",
            Self::RoleNumber => "role_number",
            Self::Perms => "perms",
            Self::ExternalId => "external_id",
            Self::WebsiteRole => "website_role",
            Self::Devices => "devices",
            Self::LicenseTypes => "license_types",
            Self::BranchIds => "branch_ids",
            Self::EmployeeId => "employee_id",
            Self::ContactNumber => "contact_number",
            Self::LicenseNumber => "license_number",
            Self::LicenseExpiryMonth => "license_expiry_month",
            Self::LicenseExpiryYear => "license_expiry_year",
            Self::LicenseType => "license_type",
            Self::LicenseCountry => "license_country",
            Self::CostCentreId => "cost_centre_id",
            Self::ActivatedViaCompanyId => "activated_via_company_id",
            Self::Tag => "tag",
            Self::Asset => "asset",
            Self::Start => "start",
            Self::End => "end",
            Self::DisplayName => "display_name",
            Self::Members => "members",
            Self::Filter => "filter",
            Self::Dialect => "dialect",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which rule a value broke, with what the rule needs to be worded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Empty,
    NotEmail,
    /// A character the text rule (MAPPING.md, [`crate::text`]) refuses for this kind of field.
    NotText {
        kind: TextKind,
    },
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    /// Not `min` to `max` characters.
    Length {
        min: usize,
        max: usize,
    },
    /// A permission name outside `[a-z0-9_-]{1,max}`; `name` is what was sent (never a secret).
    NotPermName {
        name: String,
        max: usize,
    },
    /// An asset tag outside 1 to `max` of `A-Z a-z 0-9 _ - . :`.
    NotAssetTag {
        max: usize,
    },
    UnknownRole {
        number: i32,
    },
    /// Must come after the other field's value.
    NotAfter {
        other: Field,
    },
    /// The user is not waiting for activation.
    NotPending,
    /// A group member that is no user of the tenant.
    UnknownMember {
        uuid: Uuid,
    },
    /// A query the attributes cannot answer.
    Query(QueryProblem),
    /// No dialect of that name takes credentials.
    UnknownDialect,
}

/// What an actor was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Only an administrator may create, change or delete users.
    NotAdmin,
    /// Only a `keaz` user may give `keaz`.
    GrantKeaz,
    /// Only an `admin` or `keaz` user may give `admin`.
    GrantAdmin,
    /// Only a `keaz` user may change a `keaz` user's secrets, status or perms, or delete it.
    ReachKeaz,
    /// Only an `admin` or `keaz` user may change an `admin` user's secrets, status or perms,
    /// or delete it.
    ReachAdmin,
}

#[derive(Debug, Error)]
pub enum CoreError {
    #[error("invalid {field}: {problem:?}")]
    Validation { field: Field, problem: Problem },
    #[error("{} is already taken", .0.as_str())]
    Conflict(UniqueField),
    #[error("not found")]
    NotFound,
    #[error("the record changed since it was read (now at version {current})")]
    VersionConflict { current: i64 },
    #[error("forbidden: {0:?}")]
    Forbidden(Refusal),
    #[error("unauthorized")]
    Unauthorized,
    #[error("account locked")]
    Locked,
    /// The database could not be reached or answered with an error; the text is for logs only.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// The text is for logs only.
    #[error("internal error: {0}")]
    Internal(String),
}

impl CoreError {
    pub fn invalid(field: Field, problem: Problem) -> Self {
        Self::Validation { field, problem }
    }

    /// Whether the client should see a 5xx (and the details stay in the log).
    pub fn is_server_error(&self) -> bool {
        matches!(self, Self::Unavailable(_) | Self::Internal(_))
    }
}

pub type CoreResult<T> = Result<T, CoreError>;
