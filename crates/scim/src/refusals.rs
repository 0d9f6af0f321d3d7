//! The answers the toolkit asks of the dialect outside any handler: a request no route matches
//! (`Miss`) and a call withdrawn by a brownout or a refusing sunset (migration.md), both as the
//! SCIM Error (RFC 7644 section 3.12) with the status in `status`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use rosetta_dialect::{DialectError, Miss, Withdrawn};

use crate::errors::ScimError;

impl DialectError for ScimError {
    fn render(&self, _: &HttpRequest) -> HttpResponse {
        self.error_response()
    }

    fn withdrawn(refusal: &Withdrawn) -> Option<Self> {
        Some(Self::new(refusal.status, None, refusal.message()))
    }
}

impl From<Miss> for ScimError {
    fn from(miss: Miss) -> Self {
        match miss {
            Miss::NotFound => Self::no_endpoint(),
            Miss::MethodNotAllowed { allow } => Self::new(
                StatusCode::METHOD_NOT_ALLOWED,
                None,
                format!("This endpoint serves only {allow}."),
            ),
            Miss::UriTooLong { limit } => Self::new(
                StatusCode::URI_TOO_LONG,
                None,
                format!("The request URI is longer than {limit} bytes."),
            ),
            Miss::HeadersTooLarge { limit } => Self::new(
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                None,
                format!("The request headers are larger than {limit} bytes."),
            ),
        }
    }
}
