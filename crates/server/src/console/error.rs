//! The console's one error type: a redirect to the login, or a page saying what went wrong.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use maud::html;
use rosetta_core::CoreError;

use super::layout;

#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    /// No cookie, or one naming no live session.
    #[error("no console session")]
    NoSession,
    /// A form whose CSRF token is missing or is not the one issued.
    #[error("bad or missing CSRF token")]
    Csrf,
    #[error("no such console page")]
    NotFound,
    /// The database cannot be reached; the text is for logs only.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The text is for logs only.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<CoreError> for ConsoleError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::Unavailable(m) => Self::Unavailable(m),
            CoreError::NotFound => Self::NotFound,
            other => Self::Internal(other.to_string()),
        }
    }
}

impl ResponseError for ConsoleError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NoSession => StatusCode::SEE_OTHER,
            Self::Csrf => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (title, body) = match self {
            Self::NoSession => {
                return HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, "/console/login"))
                    .finish();
            }
            Self::Csrf => (
                "Form expired",
                html! {
                    p id="csrf-error" role="alert" {
                        "This form has expired or did not come from the console. "
                        "Go back, reload the page and try again."
                    }
                    p { a href="/console/login" { "Back to the login" } }
                },
            ),
            Self::NotFound => (
                "Not found",
                html! {
                    p role="alert" { "There is no such console page." }
                    p { a href="/console" { "Back to the overview" } }
                },
            ),
            Self::Unavailable(m) => {
                tracing::warn!(error = %m, "console: database unavailable");
                (
                    "Unavailable",
                    html! { p role="alert" { "The database cannot be reached right now. Try again shortly." } },
                )
            }
            Self::Internal(m) => {
                tracing::error!(error = %m, "console: internal error");
                (
                    "Error",
                    html! { p role="alert" { "Something went wrong; the gateway's log says what." } },
                )
            }
        };
        HttpResponse::build(self.status_code())
            .content_type("text/html; charset=utf-8")
            .body(layout::bare(title, body).into_string())
    }
}
