//! The KashFlow error envelope `{"Error": "<Code>", "Message": "<sentence>"}`, in one place.
//! Messages name members as the document spells them and never carry a submitted value that
//! could be a secret.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use rosetta_core::{CoreError, Refusal, UniqueField};
use rosetta_dialect::{wording, BodyError, DialectError};

use crate::format::Format;
use crate::reply::write;
use crate::wire::ErrorBody;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} {}: {}", .status.as_u16(), .code, .message)]
pub struct KfError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl KfError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "ValidationError", message)
    }

    pub fn required(member: &str) -> Self {
        Self::validation(format!("{member} is required."))
    }

    /// Missing, malformed, unknown, expired and deleted session tokens all read the same, as
    /// the KashFlow authentication page documents.
    pub fn invalid_session() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "InvalidSessionToken",
            "Session token provided is invalid.",
        )
    }

    /// Unknown, expired and already used temporary tokens read the same.
    pub fn invalid_temporary() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "InvalidTemporaryToken",
            "Temporary token provided is invalid or has expired. Please log in again.",
        )
    }

    /// Unknown user, wrong password and disabled account read the same, so that names cannot
    /// be probed.
    pub fn invalid_credentials() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "InvalidCredentials",
            "Username or password is incorrect.",
        )
    }

    pub fn invalid_memorable_word() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "InvalidMemorableWord",
            "The memorable word characters provided are incorrect.",
        )
    }

    pub fn locked() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "AccountLocked",
            "User account is locked due to too many failed login attempts. Please try again later.",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "Forbidden", message)
    }

    pub fn user_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "UserNotFound", "User not found.")
    }

    pub fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestTooLarge",
            format!("The request body is larger than {limit} bytes."),
        )
    }

    pub fn unsupported_media_type(media_type: &str) -> Self {
        // The media type is echoed only when it looks like one, so no body text is reflected.
        let shown = if media_type.len() <= 100
            && media_type
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/+-.".contains(&b))
        {
            media_type
        } else {
            "this type"
        };
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            format!("Request bodies must be application/json or application/xml, not {shown}."),
        )
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            "An internal error occurred.",
        )
    }

    fn response(&self, format: Format) -> HttpResponse {
        let body = ErrorBody {
            error: self.code,
            message: self.message.clone(),
        };
        write(format, self.status, &body)
    }
}

impl ResponseError for KfError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    /// JSON, the default format; [`DialectError::render`] answers in the negotiated one.
    fn error_response(&self) -> HttpResponse {
        self.response(Format::Json)
    }
}

impl DialectError for KfError {
    fn render(&self, req: &HttpRequest) -> HttpResponse {
        self.response(Format::of(req))
    }
}

impl From<BodyError> for KfError {
    fn from(e: BodyError) -> Self {
        match e {
            BodyError::TooLarge { limit } => Self::too_large(limit),
            BodyError::Broken => Self::validation("The request body could not be read."),
            BodyError::TimedOut => Self::new(
                StatusCode::REQUEST_TIMEOUT,
                "RequestTimeout",
                "The request body did not arrive in time.",
            ),
        }
    }
}

/// The KashFlow member a canonical field is written through.
pub fn member(field: &str) -> &str {
    match field {
        "full_name" | "first_name" | "last_name" => "FullName",
        "email" => "Email",
        "username" => "Username",
        "password" => "Password",
        "memorable_word" => "MemorableWord",
        "role_number" => "RoleNumber",
        "status" => "UserAccountDisabled",
        other => other,
    }
}

impl From<CoreError> for KfError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::Validation { field, problem } => Self::validation(format!(
                "{} {}.",
                member(field.as_str()),
                wording::problem(&problem).trim_end_matches('.')
            )),
            CoreError::Conflict(UniqueField::Username) => Self::new(
                StatusCode::CONFLICT,
                "DuplicateUsername",
                "A user with this Username already exists.",
            ),
            CoreError::Conflict(UniqueField::Email) => Self::new(
                StatusCode::CONFLICT,
                "DuplicateEmail",
                "A user with this Email already exists.",
            ),
            CoreError::Conflict(
                UniqueField::ExternalId
                | UniqueField::GroupDisplayName
                | UniqueField::GroupExternalId,
            ) => Self::new(
                StatusCode::CONFLICT,
                "Conflict",
                "The user clashes with another user.",
            ),
            CoreError::VersionConflict { .. } => Self::new(
                StatusCode::CONFLICT,
                "Conflict",
                "The user was changed by someone else; please read it again.",
            ),
            CoreError::NotFound => Self::user_not_found(),
            CoreError::Forbidden(Refusal::NotAdmin) => {
                Self::forbidden("Only an administrator may create, change or delete users.")
            }
            // KashFlow writes set no permission names, so of the grant refusals only the
            // rights rule's (a user out of the caller's reach) arise here.
            CoreError::Forbidden(why) => Self::forbidden(sentence(wording::refusal(why))),
            CoreError::Unauthorized => Self::invalid_session(),
            CoreError::Locked => Self::locked(),
            CoreError::Unavailable(detail) => {
                tracing::error!(error = %detail, "store unavailable");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "ServiceUnavailable",
                    "The service is temporarily unavailable.",
                )
            }
            CoreError::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                Self::internal()
            }
        }
    }
}

/// A clause of the shared wording as a KashFlow message: capitalised, with a full stop.
fn sentence(clause: &str) -> String {
    let mut chars = clause.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rosetta_core::{Field, Problem};

    #[test]
    fn core_fields_are_named_as_kashflow_spells_them() {
        let e: KfError =
            CoreError::invalid(Field::MemorableWord, Problem::TooShort { min: 3 }).into();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(e.message, "MemorableWord must be at least 3 characters.");
        let e: KfError =
            CoreError::invalid(Field::RoleNumber, Problem::UnknownRole { number: 9 }).into();
        assert_eq!(e.message, "RoleNumber 9 is not a role of this tenant.");
        let e: KfError = CoreError::Conflict(UniqueField::Email).into();
        assert_eq!((e.status, e.code), (StatusCode::CONFLICT, "DuplicateEmail"));
    }
}
