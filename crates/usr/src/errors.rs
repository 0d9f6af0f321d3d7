//! The usr error envelope, `{"error":{"code","message","field"}}`, and the one place where
//! core errors become usr answers.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use rosetta_core::{CoreError, UniqueField};
use rosetta_dialect::{wording, BodyError, DialectError};

use crate::wire::{ErrorBody, ErrorDetail};

/// An answer that is not a success. `field` is a usr member name, never a canonical one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} {}: {}", .status.as_u16(), .code, .message)]
pub struct UsrError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<&'static str>,
    /// The `Allow` header of a 405.
    pub allow: Option<&'static str>,
}

impl UsrError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
            allow: None,
        }
    }

    pub fn invalid(field: Option<&'static str>, message: impl Into<String>) -> Self {
        Self {
            field,
            ..Self::new(StatusCode::BAD_REQUEST, "invalid", message)
        }
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "No such user exists.")
    }

    pub fn unsupported_media_type(got: &str) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!(
                "Content-Type {got} is not accepted; send text/javascript, application/json or text/json."
            ),
        )
    }

    pub fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("The request body is larger than {limit} bytes."),
        )
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "An internal error occurred.",
        )
    }

    pub fn not_found_account() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "No such account exists.",
        )
    }

    /// `allow` lists the methods the path does serve.
    pub fn method_not_allowed(allow: &'static str) -> Self {
        Self {
            allow: Some(allow),
            ..Self::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                format!("This path serves only {allow}."),
            )
        }
    }
}

impl From<BodyError> for UsrError {
    fn from(e: BodyError) -> Self {
        match e {
            BodyError::TooLarge { limit } => Self::too_large(limit),
            BodyError::Broken => Self::invalid(None, "The request body could not be read."),
            BodyError::TimedOut => Self::new(
                StatusCode::REQUEST_TIMEOUT,
                "timeout",
                "The request body did not arrive in time.",
            ),
        }
    }
}

/// The usr member that carries a canonical field (MAPPING.md), or `None` for fields usr does
/// not show.
fn member(canonical: &str) -> Option<&'static str> {
    match canonical {
        "full_name" | "first_name" | "last_name" => Some("contactName"),
        "email" => Some("emailAddress"),
        "username" => Some("username"),
        "password" => Some("password"),
        "default_account_id" => Some("defaultAccountId"),
        "status" => Some("active"),
        _ => None,
    }
}

/// Turns "must not be empty" into "contactName must not be empty.".
fn sentence(field: Option<&str>, message: &str) -> String {
    let message = message.trim_end_matches('.');
    match field {
        Some(f) => format!("{f} {message}."),
        None => {
            let mut chars = message.chars();
            match chars.next() {
                Some(c) => format!("{}{}.", c.to_uppercase(), chars.as_str()),
                None => "The request is invalid.".into(),
            }
        }
    }
}

impl From<CoreError> for UsrError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::Validation { field, problem } => {
                let member = member(field.as_str());
                Self::invalid(member, sentence(member, &wording::problem(&problem)))
            }
            CoreError::Conflict(which) => {
                let (field, what) = match which {
                    UniqueField::Username => (Some("username"), "username"),
                    UniqueField::Email => (Some("emailAddress"), "email address"),
                    UniqueField::ExternalId => (None, "external id"),
                    UniqueField::GroupDisplayName => (None, "group display name"),
                    UniqueField::GroupExternalId => (None, "group external id"),
                };
                Self {
                    field,
                    ..Self::new(
                        StatusCode::CONFLICT,
                        "conflict",
                        format!("Another user already has this {what}."),
                    )
                }
            }
            CoreError::NotFound => Self::not_found(),
            CoreError::VersionConflict { .. } => Self::new(
                StatusCode::CONFLICT,
                "conflict",
                "The user was changed by someone else at the same time; try again.",
            ),
            CoreError::Forbidden(why) => Self::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                sentence(None, wording::refusal(why)),
            ),
            // The core refuses only a credential it does not know (usr has no logins to
            // lock), and a missing one never reaches it: `auth.rs` answers that itself.
            CoreError::Unauthorized | CoreError::Locked => {
                Self::unauthorized("The bearer token is not valid.")
            }
            CoreError::Unavailable(detail) => {
                tracing::error!(error = %detail, "usr: store unavailable");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "The service is temporarily unavailable.",
                )
            }
            CoreError::Internal(detail) => {
                tracing::error!(error = %detail, "usr: internal error");
                Self::internal()
            }
        }
    }
}

impl ResponseError for UsrError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status);
        if self.status == StatusCode::UNAUTHORIZED {
            res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        if let Some(allow) = self.allow {
            res.insert_header((header::ALLOW, allow));
        }
        res.json(ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message.clone(),
                field: self.field,
            },
        })
    }
}

/// JSON is all usr speaks, so the answer is the same for every request.
impl DialectError for UsrError {
    fn render(&self, _: &HttpRequest) -> HttpResponse {
        self.error_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rosetta_core::{Field, Problem};

    #[test]
    fn canonical_fields_become_usr_members() {
        let e = UsrError::from(CoreError::invalid(Field::Email, Problem::NotEmail));
        assert_eq!(e.field, Some("emailAddress"));
        assert_eq!(e.message, "emailAddress is not a valid email address.");
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        let e = UsrError::from(CoreError::invalid(Field::FullName, Problem::Empty));
        assert_eq!(e.field, Some("contactName"));
        let e = UsrError::from(CoreError::Conflict(UniqueField::Email));
        assert_eq!(
            (e.status, e.field),
            (StatusCode::CONFLICT, Some("emailAddress"))
        );
    }

    #[test]
    fn server_errors_hide_details() {
        let e = UsrError::from(CoreError::Internal("secret detail".into()));
        assert!(!e.message.contains("secret"));
        assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
    }
}
