//! The one error of the crate's SCIM logic (schema checks, projection, PATCH): an RFC 7644
//! section 3.12 error with its HTTP status and `scimType`. The dialect wraps it in its own error
//! and renders [`ScimError::to_body`].

use serde_json::{json, Value};

use crate::filter::{FilterError, PathError};
use crate::schema::urn;

/// What is wrong with a request, as SCIM names it. Each variant holds the `detail` text, which
/// names the attribute or operation at fault and never echoes a value (it may be a password).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScimError {
    /// A body that is not the shape the RFC asks for (e.g. a PatchOp without `Operations`).
    #[error("{0}")]
    InvalidSyntax(String),
    /// A PATCH `path` that does not parse or names no attribute of the resource.
    #[error("{0}")]
    InvalidPath(String),
    /// A `filter` that does not parse or cannot be applied.
    #[error("{0}")]
    InvalidFilter(String),
    /// A value of the wrong type, a missing required attribute, a bad member.
    #[error("{0}")]
    InvalidValue(String),
    /// A PATCH value filter that matched no value to replace or remove.
    #[error("{0}")]
    NoTarget(String),
    /// A change to a readOnly or immutable attribute, or the removal of a required one.
    #[error("{0}")]
    Mutability(String),
    /// More results or operations than the service provider gives.
    #[error("{0}")]
    TooMany(String),
    /// A unique attribute that another resource already holds (raised by the dialect).
    #[error("{0}")]
    Uniqueness(String),
    /// No such resource, schema or resource type.
    #[error("{0}")]
    NotFound(String),
}

impl ScimError {
    /// The HTTP status, also the body's `status`.
    pub fn status(&self) -> u16 {
        match self {
            Self::Uniqueness(_) => 409,
            Self::NotFound(_) => 404,
            Self::InvalidSyntax(_)
            | Self::InvalidPath(_)
            | Self::InvalidFilter(_)
            | Self::InvalidValue(_)
            | Self::NoTarget(_)
            | Self::Mutability(_)
            | Self::TooMany(_) => 400,
        }
    }

    /// The RFC 7644 `scimType`; a 404 has none.
    pub fn scim_type(&self) -> Option<&'static str> {
        Some(match self {
            Self::InvalidSyntax(_) => "invalidSyntax",
            Self::InvalidPath(_) => "invalidPath",
            Self::InvalidFilter(_) => "invalidFilter",
            Self::InvalidValue(_) => "invalidValue",
            Self::NoTarget(_) => "noTarget",
            Self::Mutability(_) => "mutability",
            Self::TooMany(_) => "tooMany",
            Self::Uniqueness(_) => "uniqueness",
            Self::NotFound(_) => return None,
        })
    }

    /// The human-readable `detail`.
    pub fn detail(&self) -> &str {
        match self {
            Self::InvalidSyntax(d)
            | Self::InvalidPath(d)
            | Self::InvalidFilter(d)
            | Self::InvalidValue(d)
            | Self::NoTarget(d)
            | Self::Mutability(d)
            | Self::TooMany(d)
            | Self::Uniqueness(d)
            | Self::NotFound(d) => d,
        }
    }

    /// The SCIM Error body (`status` is a string, as RFC 7644 section 3.12 shows it).
    pub fn to_body(&self) -> Value {
        let mut body = json!({
            "schemas": [urn::ERROR],
            "status": self.status().to_string(),
            "detail": self.detail(),
        });
        if let (Some(kind), Some(map)) = (self.scim_type(), body.as_object_mut()) {
            map.insert("scimType".to_owned(), Value::from(kind));
        }
        body
    }
}

impl From<FilterError> for ScimError {
    fn from(e: FilterError) -> Self {
        Self::InvalidFilter(e.to_string())
    }
}

impl From<PathError> for ScimError {
    fn from(e: PathError) -> Self {
        Self::InvalidPath(e.to_string())
    }
}
