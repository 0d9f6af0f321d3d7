//! The v2 error: a status and a ServiceStack `ResponseStatus`. Every failure of this dialect
//! becomes one of these, in one place, so no path can answer with a bare text or a trace.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use rosetta_core::{CoreError, UniqueField};
use rosetta_dialect::{wording, BodyError, DialectError};

use crate::format::{format_of, Format, Refusal};
use crate::reply::{write, Shape};
use crate::wire::{ResponseError, ResponseStatus, UserResponse, UserSearchResponse};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} {}: {}", .status.as_u16(), .code, .message)]
pub struct V2Error {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub errors: Vec<ResponseError>,
}

impl V2Error {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            errors: Vec::new(),
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// A validation failure of one member: `ValidationException` with one field error.
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self::fields(vec![(field.to_owned(), code.to_owned(), message.into())])
    }

    /// Several member failures at once (e.g. every missing required member of a create).
    pub fn fields(errors: Vec<(String, String, String)>) -> Self {
        let message = errors
            .first()
            .map(|(_, _, m)| m.clone())
            .unwrap_or_else(|| "the request is not valid".into());
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "ValidationException",
            message,
            errors: errors
                .into_iter()
                .map(|(field_name, error_code, message)| ResponseError {
                    error_code,
                    field_name,
                    message,
                })
                .collect(),
        }
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "CompanyId and IntegrationKey do not identify a company",
        )
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "NotFound", "User not found")
    }

    pub fn unsupported_media_type(media: &str) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            format!(
                "Content-Type '{media}' is not supported: send application/json or application/xml"
            ),
        )
    }

    pub fn too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLarge",
            "the request body is too large",
        )
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            "this method is not supported on this path",
        )
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            "an internal error occurred",
        )
    }

    pub fn response_status(&self) -> ResponseStatus {
        ResponseStatus {
            error_code: self.code.to_owned(),
            message: self.message.clone(),
            errors: self.errors.clone(),
        }
    }

    /// The path's envelope with no user(s) and this `ResponseStatus`.
    fn response(&self, format: Format, shape: Shape) -> HttpResponse {
        let status = Some(self.response_status());
        match shape {
            Shape::User => write(
                format,
                self.status,
                &UserResponse {
                    user: None,
                    response_status: status,
                },
            ),
            Shape::Search => write(
                format,
                self.status,
                &UserSearchResponse {
                    users: None,
                    total_rows: 0,
                    page_no: 0,
                    page_size: 0,
                    response_status: status,
                    deleted_users: None,
                },
            ),
        }
    }
}

impl actix_web::ResponseError for V2Error {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    /// XML in a `UserResponse`, the defaults; [`DialectError::render`] answers in the format and
    /// envelope of the request.
    fn error_response(&self) -> HttpResponse {
        self.response(Format::Xml, Shape::User)
    }
}

impl DialectError for V2Error {
    fn render(&self, req: &HttpRequest) -> HttpResponse {
        self.response(format_of(req), Shape::of(req))
    }
}

impl From<Refusal> for V2Error {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::MalformedQuery => {
                Self::bad_request("InvalidQueryString", "the query string is malformed")
            }
            Refusal::BadFormat => {
                Self::field("format", "InvalidValue", "format must be json or xml")
            }
        }
    }
}

impl From<BodyError> for V2Error {
    fn from(e: BodyError) -> Self {
        match e {
            BodyError::TooLarge { .. } => Self::too_large(),
            BodyError::Broken => Self::bad_request(
                "SerializationException",
                "the request body could not be read",
            ),
            BodyError::TimedOut => Self::new(
                StatusCode::REQUEST_TIMEOUT,
                "RequestTimeout",
                "the request body did not arrive in time",
            ),
        }
    }
}

/// The v2 member a canonical field name (MAPPING.md) is written as.
pub fn member_name(canonical: &str) -> &'static str {
    match canonical {
        // The username defaults to the email in v2, so a clash of either is a clash of Email.
        "email" | "username" => "Email",
        "first_name" | "full_name" => "FirstName",
        "last_name" => "LastName",
        "password" => "Password",
        "external_id" => "ExternalId",
        // Only a search names a plain name in v2 (its users have first and last names).
        "name" => "Name",
        "website_role" => "WebsiteRole",
        "groups" => "Groups",
        "folders" => "Folders",
        "devices" => "UserDevices",
        "status" => "Status",
        _ => "User",
    }
}

impl From<CoreError> for V2Error {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::Validation { field, problem } => {
                let member = member_name(field.as_str());
                Self::field(
                    member,
                    "InvalidValue",
                    format!("{member} {}", wording::problem(&problem)),
                )
            }
            CoreError::Conflict(which) => {
                let member = match which {
                    UniqueField::Username | UniqueField::Email => "Email",
                    UniqueField::ExternalId => "ExternalId",
                    // A GUID written in `Groups` that names no group yet creates one named
                    // by the GUID's text, which another group may already be called.
                    UniqueField::GroupDisplayName | UniqueField::GroupExternalId => "Groups",
                };
                let message = format!("a user with this {member} already exists");
                Self {
                    status: StatusCode::CONFLICT,
                    code: "Conflict",
                    message: message.clone(),
                    errors: vec![ResponseError {
                        error_code: "Conflict".into(),
                        field_name: member.into(),
                        message,
                    }],
                }
            }
            CoreError::NotFound => Self::not_found(),
            CoreError::VersionConflict { .. } => Self::new(
                StatusCode::CONFLICT,
                "Conflict",
                "the user changed while this request ran; try again",
            ),
            CoreError::Forbidden(reason) => {
                Self::new(StatusCode::FORBIDDEN, "Forbidden", wording::refusal(reason))
            }
            CoreError::Unauthorized => Self::unauthorized(),
            CoreError::Locked => {
                Self::new(StatusCode::FORBIDDEN, "Locked", "the account is locked")
            }
            CoreError::Unavailable(detail) => {
                tracing::error!(error = %detail, "v2: store unavailable");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "ServiceUnavailable",
                    "the service is unavailable; try again later",
                )
            }
            CoreError::Internal(detail) => {
                tracing::error!(error = %detail, "v2: internal error");
                Self::internal()
            }
        }
    }
}
