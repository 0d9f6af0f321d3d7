//! The keaz error envelope, `{"error": "<code>", "message": "<sentence>"}` (plus `"field"` on
//! 400 and `"errors"` on a rejected import), and the one mapping from [`CoreError`].

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use rosetta_core::{CoreError, Field, Problem, UniqueField};
use rosetta_dialect::{wording, BodyError, DialectError, Miss, Withdrawn};
use serde::Serialize;
use utoipa::ToSchema;

/// One bad row of a CSV import. Rows are numbered as a spreadsheet shows them: the header is
/// row 1, the first user row 2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RowError {
    pub row: u64,
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} {}: {}", .status.as_u16(), .code, .message)]
pub struct KeazError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    pub rows: Vec<RowError>,
}

/// The envelope of every refusal (`ErrorBody` in the OpenAPI document).
#[derive(Serialize, ToSchema)]
#[schema(as = ErrorBody)]
pub(crate) struct Envelope<'a> {
    error: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "<[RowError]>::is_empty")]
    errors: &'a [RowError],
}

impl KeazError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
            rows: Vec::new(),
        }
    }

    /// 400 with the keaz member name that is wrong.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        let field = field.into();
        let message = message.into();
        Self {
            message: format!("{field} {message}"),
            field: Some(field),
            ..Self::new(StatusCode::BAD_REQUEST, "invalid", "")
        }
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "no such resource")
    }

    pub fn duplicate(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "duplicate", message)
    }

    pub fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("the request body is over the limit of {limit} bytes"),
        )
    }

    pub fn unsupported(expected: &str) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("the body must be {expected}"),
        )
    }

    /// 422: a CSV import in which some rows are wrong; nothing was written.
    pub fn bad_rows(rows: Vec<RowError>) -> Self {
        let n = rows.len();
        Self {
            rows,
            ..Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_rows",
                format!(
                    "{n} problem{} in the file; no user was imported",
                    if n == 1 { "" } else { "s" }
                ),
            )
        }
    }

    /// 500; `detail` is logged, never sent.
    pub fn internal(detail: &str) -> Self {
        Self::server(StatusCode::INTERNAL_SERVER_ERROR, "internal", detail)
    }

    fn server(status: StatusCode, code: &'static str, detail: &str) -> Self {
        // The database being down is logged once, at ERROR, by the store; each request it
        // fails is a WARN.
        if status == StatusCode::SERVICE_UNAVAILABLE {
            tracing::warn!(%detail, "keaz: request failed");
        } else {
            tracing::error!(%detail, "keaz: request failed");
        }
        Self::new(
            status,
            code,
            if status == StatusCode::SERVICE_UNAVAILABLE {
                "the directory is unavailable; try again shortly"
            } else {
                "an internal error occurred"
            },
        )
    }
}

/// The keaz member for a canonical field name of MAPPING.md.
pub fn keaz_field(canonical: &str) -> &str {
    match canonical {
        "full_name" | "first_name" | "last_name" => "name",
        // keaz has no username: it is the email.
        "username" => "email",
        "license_types" => "license-types",
        "cost_centre_id" => "cost-centre_id",
        "activated_via_company_id" => "activated-via-company-id",
        other => other,
    }
}

impl KeazError {
    /// The one mapping from [`CoreError`]. `row` is the CSV row of an import the error is
    /// about: a validation error is then that row's problem (422), like the rows checked
    /// before anything was written.
    pub fn from_core(e: CoreError, row: Option<u64>) -> Self {
        match e {
            CoreError::Validation { field, problem } => {
                let (field, message) = validation(field, &problem);
                match row {
                    Some(row) => Self::bad_rows(vec![RowError {
                        row,
                        field,
                        message,
                    }]),
                    None => Self::invalid(field, message),
                }
            }
            CoreError::Conflict(UniqueField::Email | UniqueField::Username) => {
                Self::duplicate("email is already taken in this company")
            }
            CoreError::Conflict(other) => {
                Self::duplicate(format!("{} is already taken", other.as_str()))
            }
            CoreError::NotFound => Self::not_found(),
            CoreError::VersionConflict { .. } => Self::new(
                StatusCode::CONFLICT,
                "conflict",
                "the user changed while this request ran; try again",
            ),
            CoreError::Forbidden(why) => Self::forbidden(wording::refusal(why)),
            CoreError::Unauthorized => Self::unauthorized("the token is unknown or has expired"),
            CoreError::Locked => {
                Self::unauthorized("the account is locked after failed logins; try again later")
            }
            CoreError::Unavailable(detail) => {
                Self::server(StatusCode::SERVICE_UNAVAILABLE, "unavailable", &detail)
            }
            CoreError::Internal(detail) => Self::internal(&detail),
        }
    }
}

/// A core validation error as the keaz member it names and what is wrong with it, as
/// [`KeazError::from_core`] words it (for the checks that list every problem of a body, not
/// just the first).
pub fn field_problem(e: &CoreError) -> Option<(String, String)> {
    match e {
        CoreError::Validation { field, problem } => Some(validation(*field, problem)),
        _ => None,
    }
}

fn validation(field: Field, problem: &Problem) -> (String, String) {
    (
        keaz_field(field.as_str()).to_owned(),
        wording::problem(problem),
    )
}

impl From<CoreError> for KeazError {
    fn from(e: CoreError) -> Self {
        Self::from_core(e, None)
    }
}

impl From<Miss> for KeazError {
    fn from(miss: Miss) -> Self {
        match miss {
            Miss::NotFound => Self::not_found(),
            Miss::MethodNotAllowed { allow } => Self::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                format!("this path serves only {allow}"),
            ),
            Miss::UriTooLong { limit } => Self::new(
                StatusCode::URI_TOO_LONG,
                "uri_too_long",
                format!("the request URI is longer than {limit} bytes"),
            ),
            Miss::HeadersTooLarge { limit } => Self::new(
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                "headers_too_large",
                format!("the request headers are larger than {limit} bytes"),
            ),
        }
    }
}

impl From<BodyError> for KeazError {
    fn from(e: BodyError) -> Self {
        match e {
            BodyError::TooLarge { limit } => Self::too_large(limit),
            BodyError::Broken => Self::invalid("body", "could not be read"),
            BodyError::TimedOut => Self::new(
                StatusCode::REQUEST_TIMEOUT,
                "timeout",
                "the request body did not arrive in time",
            ),
        }
    }
}

impl ResponseError for KeazError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status).json(Envelope {
            error: self.code,
            message: &self.message,
            field: self.field.as_deref(),
            errors: &self.rows,
        })
    }
}

/// JSON is all keaz speaks, so the answer is the same for every request.
impl DialectError for KeazError {
    fn render(&self, _: &HttpRequest) -> HttpResponse {
        self.error_response()
    }

    fn withdrawn(refusal: &Withdrawn) -> Option<Self> {
        let code = if refusal.is_gone() {
            "gone"
        } else {
            "unavailable"
        };
        Some(Self::new(refusal.status, code, refusal.message()))
    }
}
