//! The attributes a query may name, and what each holds: which operators and values it takes.

use crate::text::{FREE_MAX, NAME_MAX};

/// The canonical user's attributes (MAPPING.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserAttr {
    Uuid,
    Username,
    Email,
    ExternalId,
    FullName,
    FirstName,
    LastName,
    /// pending / active / inactive.
    Status,
    /// `status == active`.
    Active,
    CreatedAt,
    UpdatedAt,
    RoleNumber,
    /// One of the perms (multi-valued).
    Perm,
    EmployeeId,
    CostCentreId,
    ContactNumber,
    /// The uuid of a group the user is a member of (multi-valued).
    Group,
}

/// The canonical group's attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupAttr {
    Uuid,
    DisplayName,
    ExternalId,
    CreatedAt,
    UpdatedAt,
    /// The uuid of a member user (multi-valued).
    Member,
}

/// What an attribute holds, which decides its operators and values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrKind {
    /// One text of at most `max` characters (longer values match nothing).
    Text {
        max: usize,
    },
    /// A uuid, compared as its lower-case text.
    Uuid,
    Bool,
    /// A status name.
    Status,
    Int,
    Time,
    /// A set of permission names.
    Perms,
    /// A set of uuids (memberships).
    Uuids,
}

impl AttrKind {
    /// Whether `op` applies to an attribute of this kind.
    pub fn takes(self, op: super::problem::CompareOp) -> bool {
        use super::problem::CompareOp::{Co, Eq, Ew, Ne, Sw};
        match self {
            Self::Text { .. } | Self::Uuid => true,
            Self::Int | Self::Time => !matches!(op, Co | Sw | Ew),
            Self::Bool | Self::Status | Self::Uuids => matches!(op, Eq | Ne),
            Self::Perms => matches!(op, Eq | Ne | Co | Sw | Ew),
        }
    }

    /// Whether a query can sort by it.
    pub fn sortable(self) -> bool {
        !matches!(self, Self::Perms | Self::Uuids)
    }
}

/// An attribute of a queried entity.
pub trait QueryAttr: Copy + std::fmt::Debug + PartialEq + Send + Sync + 'static {
    fn kind(self) -> AttrKind;
    /// The canonical name, for errors.
    fn as_str(self) -> &'static str;
}

impl QueryAttr for UserAttr {
    fn kind(self) -> AttrKind {
        match self {
            Self::Uuid => AttrKind::Uuid,
            Self::Username
            | Self::Email
            | Self::ExternalId
            | Self::FullName
            | Self::FirstName
            | Self::LastName => AttrKind::Text { max: NAME_MAX },
            Self::EmployeeId | Self::CostCentreId | Self::ContactNumber => {
                AttrKind::Text { max: FREE_MAX }
            }
            Self::Status => AttrKind::Status,
            Self::Active => AttrKind::Bool,
            Self::CreatedAt | Self::UpdatedAt => AttrKind::Time,
            Self::RoleNumber => AttrKind::Int,
            Self::Perm => AttrKind::Perms,
            Self::Group => AttrKind::Uuids,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Uuid => "uuid",
            Self::Username => "username",
            Self::Email => "email",
            Self::ExternalId => "external_id",
            Self::FullName => "full_name",
            Self::FirstName => "first_name",
            Self::LastName => "last_name",
            Self::Status => "status",
            Self::Active => "active",
            Self::CreatedAt => "created_at",
            Self::UpdatedAt => "updated_at",
            Self::RoleNumber => "role_number",
            Self::Perm => "perms",
            Self::EmployeeId => "employee_id",
            Self::CostCentreId => "cost_centre_id",
            Self::ContactNumber => "contact_number",
            Self::Group => "groups",
        }
    }
}

impl QueryAttr for GroupAttr {
    fn kind(self) -> AttrKind {
        match self {
            Self::Uuid => AttrKind::Uuid,
            Self::DisplayName | Self::ExternalId => AttrKind::Text { max: NAME_MAX },
            Self::CreatedAt | Self::UpdatedAt => AttrKind::Time,
            Self::Member => AttrKind::Uuids,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Uuid => "uuid",
            Self::DisplayName => "display_name",
            Self::ExternalId => "external_id",
            Self::CreatedAt => "created_at",
            Self::UpdatedAt => "updated_at",
            Self::Member => "members",
        }
    }
}
