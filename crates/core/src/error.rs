//! The core's one error type. Dialects map each variant to their own envelope; nothing here
//! ever carries a password, a hash or a memorable word.

use thiserror::Error;

/// Which unique value clashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UniqueField {
    Username,
    Email,
    ExternalId,
}

impl UniqueField {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Username => "username",
            Self::Email => "email",
            Self::ExternalId => "external_id",
        }
    }
}

#[derive(Debug, Error)]
pub enum CoreError {
    /// Canonical field name (see MAPPING.md); dialects rename it to their own member.
    #[error("{field} {message}")]
    Validation {
        field: &'static str,
        message: String,
    },
    #[error("{} is already taken", .0.as_str())]
    Conflict(UniqueField),
    #[error("not found")]
    NotFound,
    #[error("the record changed since it was read (now at version {current})")]
    VersionConflict { current: i64 },
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("unauthorized")]
    Unauthorized,
    #[error("account locked")]
    Locked,
    /// The database could not be reached or answered with an error; the text is for logs only.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl CoreError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Validation {
            field,
            message: message.into(),
        }
    }

    /// Whether the client should see a 5xx (and the details stay in the log).
    pub fn is_server_error(&self) -> bool {
        matches!(self, Self::Unavailable(_) | Self::Internal(_))
    }
}

pub type CoreResult<T> = Result<T, CoreError>;
