//! The one error of the crate's SCIM logic (schema checks, filters against the schema,
//! projection, PATCH): what is wrong with a client's request, as RFC 7644 section 3.12 names it.
//! Every variant is a 400; the dialect's error wraps it (`scimType` from [`scim_type`]) and
//! renders the SCIM Error body.
//!
//! [`scim_type`]: RequestError::scim_type

use crate::filter::{FilterError, PathError};

/// Each variant holds the `detail` text, which names the attribute or operation at fault and
/// never echoes a value (it may be a password).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// A body that is not the shape the RFC asks for (e.g. a PatchOp without `Operations`).
    #[error("{0}")]
    InvalidSyntax(String),
    /// A PATCH `path` that does not parse or names no attribute of the resource.
    #[error("{0}")]
    InvalidPath(String),
    /// A `filter` that does not parse or does not fit the schema.
    #[error("{0}")]
    InvalidFilter(String),
    /// A value of the wrong type, a missing required attribute, a member without id.
    #[error("{0}")]
    InvalidValue(String),
    /// A PATCH value filter that matched no value to change, or a `remove` without `path`.
    #[error("{0}")]
    NoTarget(String),
    /// A change to a readOnly or immutable attribute, or the removal of a required one.
    #[error("{0}")]
    Mutability(String),
}

impl RequestError {
    /// The HTTP status: always 400 (RFC 7644 section 3.12, table 9).
    pub fn status(&self) -> u16 {
        400
    }

    /// The RFC 7644 `scimType`.
    pub fn scim_type(&self) -> &'static str {
        match self {
            Self::InvalidSyntax(_) => "invalidSyntax",
            Self::InvalidPath(_) => "invalidPath",
            Self::InvalidFilter(_) => "invalidFilter",
            Self::InvalidValue(_) => "invalidValue",
            Self::NoTarget(_) => "noTarget",
            Self::Mutability(_) => "mutability",
        }
    }

    /// The human-readable `detail`.
    pub fn detail(&self) -> &str {
        match self {
            Self::InvalidSyntax(d)
            | Self::InvalidPath(d)
            | Self::InvalidFilter(d)
            | Self::InvalidValue(d)
            | Self::NoTarget(d)
            | Self::Mutability(d) => d,
        }
    }
}

impl From<FilterError> for RequestError {
    fn from(e: FilterError) -> Self {
        Self::InvalidFilter(e.to_string())
    }
}

impl From<PathError> for RequestError {
    fn from(e: PathError) -> Self {
        Self::InvalidPath(e.to_string())
    }
}
