//! The SCIM Error (RFC 7644 section 3.12), the one place where core errors become SCIM
//! answers. The HTTP status is always the `status` member; `scimType` is one of the RFC's.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use rosetta_core::{CoreError, Field, Problem, UniqueField};
use rosetta_dialect::{wording, BodyError, DialectError};

use crate::filter::{FilterError, PathError};
use crate::request_error::RequestError;
use crate::schema::urn;
use crate::wire::{ErrorBody, SCIM_JSON};

/// The `scimType` values of RFC 7644 table 9.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScimType {
    InvalidFilter,
    TooMany,
    Uniqueness,
    Mutability,
    InvalidSyntax,
    InvalidPath,
    NoTarget,
    InvalidValue,
    InvalidVers,
    Sensitive,
}

impl ScimType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidFilter => "invalidFilter",
            Self::TooMany => "tooMany",
            Self::Uniqueness => "uniqueness",
            Self::Mutability => "mutability",
            Self::InvalidSyntax => "invalidSyntax",
            Self::InvalidPath => "invalidPath",
            Self::NoTarget => "noTarget",
            Self::InvalidValue => "invalidValue",
            Self::InvalidVers => "invalidVers",
            Self::Sensitive => "sensitive",
        }
    }
}

/// An answer that is not a success.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} {:?}: {}", .status.as_u16(), .scim_type, .detail)]
pub struct ScimError {
    pub status: StatusCode,
    pub scim_type: Option<ScimType>,
    pub detail: String,
    /// The `Allow` header of a 405.
    pub allow: Option<&'static str>,
}

impl ScimError {
    pub fn new(status: StatusCode, scim_type: Option<ScimType>, detail: impl Into<String>) -> Self {
        Self {
            status,
            scim_type,
            detail: detail.into(),
            allow: None,
        }
    }

    /// A 400 with its `scimType`.
    pub fn bad(scim_type: ScimType, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some(scim_type), detail)
    }

    pub fn invalid_value(detail: impl Into<String>) -> Self {
        Self::bad(ScimType::InvalidValue, detail)
    }

    pub fn invalid_syntax(detail: impl Into<String>) -> Self {
        Self::bad(ScimType::InvalidSyntax, detail)
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, None, detail)
    }

    /// The same answer for a missing resource and another tenant's.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            None,
            format!("No {what} exists with this id."),
        )
    }

    /// A URL under the prefix that names no endpoint.
    pub fn no_endpoint() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            None,
            "No SCIM endpoint has this path.",
        )
    }

    pub fn precondition_failed() -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            None,
            "The resource has changed since the version named by If-Match.",
        )
    }

    pub fn unsupported_media_type(got: &str) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            None,
            format!(
                "Content-Type {got} is not accepted; send application/scim+json or application/json."
            ),
        )
    }

    /// `allow` lists the methods the path does serve.
    pub fn method_not_allowed(allow: &'static str) -> Self {
        Self {
            allow: Some(allow),
            ..Self::new(
                StatusCode::METHOD_NOT_ALLOWED,
                None,
                format!("This endpoint serves only {allow}."),
            )
        }
    }

    pub fn not_implemented(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_IMPLEMENTED, None, detail)
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            None,
            "An internal error occurred.",
        )
    }
}

impl From<BodyError> for ScimError {
    fn from(e: BodyError) -> Self {
        match e {
            BodyError::TooLarge { limit } => Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                None,
                format!("The request body is larger than {limit} bytes."),
            ),
            BodyError::Broken => Self::invalid_syntax("The request body could not be read."),
            BodyError::TimedOut => Self::new(
                StatusCode::REQUEST_TIMEOUT,
                None,
                "The request body did not arrive in time.",
            ),
        }
    }
}

/// What the schema logic found wrong with a request: always a 400 with its `scimType`.
impl From<RequestError> for ScimError {
    fn from(e: RequestError) -> Self {
        let (scim_type, detail) = match e {
            RequestError::InvalidSyntax(d) => (ScimType::InvalidSyntax, d),
            RequestError::InvalidPath(d) => (ScimType::InvalidPath, d),
            RequestError::InvalidFilter(d) => (ScimType::InvalidFilter, d),
            RequestError::InvalidValue(d) => (ScimType::InvalidValue, d),
            RequestError::NoTarget(d) => (ScimType::NoTarget, d),
            RequestError::Mutability(d) => (ScimType::Mutability, d),
        };
        Self::bad(scim_type, capitalised(&detail))
    }
}

impl From<FilterError> for ScimError {
    fn from(e: FilterError) -> Self {
        RequestError::from(e).into()
    }
}

impl From<PathError> for ScimError {
    fn from(e: PathError) -> Self {
        RequestError::from(e).into()
    }
}

/// A detail as a sentence: capital first letter, full stop.
fn capitalised(text: &str) -> String {
    let text = text.trim_end_matches('.');
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => format!("{}{}.", c.to_uppercase(), chars.as_str()),
        None => "The request is invalid.".into(),
    }
}

/// The SCIM attribute that carries a canonical field (scim.md's mapping table).
pub fn attribute(field: Field) -> &'static str {
    match field {
        Field::Name => "displayName",
        Field::Username => "userName",
        Field::Email => "emails",
        Field::FullName => "name.formatted",
        Field::FirstName => "name.givenName",
        Field::LastName => "name.familyName",
        Field::Password => "password",
        Field::Status => "active",
        Field::RoleNumber => "roles",
        Field::Perms => "entitlements",
        Field::ExternalId => "externalId",
        Field::ContactNumber => "phoneNumbers",
        Field::EmployeeId => "employeeNumber",
        Field::CostCentreId => "costCenter",
        Field::DisplayName => "displayName",
        Field::Members => "members",
        // Fields SCIM does not carry: named canonically, so the detail still says which.
        other => other.as_str(),
    }
}

/// "must not be empty" after its attribute: "userName must not be empty."; a phrase that
/// names its own subject ("99 is not a role of this tenant") after a colon.
fn sentence(attr: &str, problem: &Problem) -> String {
    let phrase = wording::problem(problem);
    let phrase = phrase.trim_end_matches('.');
    match problem {
        Problem::UnknownRole { .. }
        | Problem::NotPermName { .. }
        | Problem::NotPending
        | Problem::UnknownMember { .. } => {
            format!("{attr}: {phrase}.")
        }
        _ => format!("{attr} {phrase}."),
    }
}

impl From<CoreError> for ScimError {
    fn from(e: CoreError) -> Self {
        match e {
            // A query the core cannot run (an operator the attribute does not take).
            CoreError::Validation {
                field: Field::Filter,
                problem,
            } => Self::bad(
                ScimType::InvalidFilter,
                capitalised(&format!("the filter {}", wording::problem(&problem))),
            ),
            CoreError::Validation { field, problem } => {
                Self::invalid_value(sentence(attribute(field), &problem))
            }
            CoreError::Conflict(which) => {
                let (kind, what) = match which {
                    UniqueField::Username => ("User", "userName"),
                    UniqueField::Email => ("User", "email address (emails)"),
                    UniqueField::ExternalId => ("User", "externalId"),
                    UniqueField::GroupDisplayName => ("Group", "displayName"),
                    UniqueField::GroupExternalId => ("Group", "externalId"),
                };
                Self::new(
                    StatusCode::CONFLICT,
                    Some(ScimType::Uniqueness),
                    format!("Another {kind} already has this {what}."),
                )
            }
            CoreError::NotFound => Self::new(
                StatusCode::NOT_FOUND,
                None,
                "No resource exists with this id.",
            ),
            // Only a write with an If-Match version can fail this way (without one the core
            // retries), so it is the RFC's precondition failure.
            CoreError::VersionConflict { .. } => Self::precondition_failed(),
            CoreError::Forbidden(why) => Self::new(
                StatusCode::FORBIDDEN,
                None,
                capitalised(wording::refusal(why)),
            ),
            // A missing token never reaches the core: `auth.rs` answers that itself.
            CoreError::Unauthorized | CoreError::Locked => {
                Self::unauthorized("The bearer token is not valid.")
            }
            CoreError::Unavailable(detail) => {
                tracing::error!(error = %detail, "scim: store unavailable");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    None,
                    "The service is temporarily unavailable.",
                )
            }
            CoreError::Internal(detail) => {
                tracing::error!(error = %detail, "scim: internal error");
                Self::internal()
            }
        }
    }
}

impl ResponseError for ScimError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status);
        res.content_type(SCIM_JSON);
        if self.status == StatusCode::UNAUTHORIZED {
            res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        if let Some(allow) = self.allow {
            res.insert_header((header::ALLOW, allow));
        }
        let body = ErrorBody {
            schemas: [urn::ERROR],
            status: self.status.as_u16().to_string(),
            scim_type: self.scim_type.map(ScimType::as_str),
            detail: self.detail.clone(),
        };
        match serde_json::to_vec(&body) {
            Ok(bytes) => res.body(bytes),
            Err(_) => res.finish(),
        }
    }
}

/// One format only, so the answer is the same for every request.
impl DialectError for ScimError {
    fn render(&self, _: &HttpRequest) -> HttpResponse {
        self.error_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_fields_become_scim_attributes() {
        let e = ScimError::from(CoreError::invalid(Field::Email, Problem::NotEmail));
        assert_eq!(e.detail, "emails is not a valid email address.");
        assert_eq!(e.scim_type, Some(ScimType::InvalidValue));
        let e = ScimError::from(CoreError::Conflict(UniqueField::Username));
        assert_eq!(
            (e.status, e.scim_type),
            (StatusCode::CONFLICT, Some(ScimType::Uniqueness))
        );
        let e = ScimError::from(CoreError::VersionConflict { current: 3 });
        assert_eq!(e.status, StatusCode::PRECONDITION_FAILED);
    }

    #[test]
    fn server_errors_hide_details() {
        let e = ScimError::from(CoreError::Internal("secret detail".into()));
        assert!(!e.detail.contains("secret"));
        assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
    }
}
