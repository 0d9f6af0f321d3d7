//! The refusal of a call to a dialect in a brownout or past its sunset. Every dialect renders
//! it in its own shape through [`crate::DialectError::withdrawn`]; one that does not (yet)
//! answers with the generic JSON below, so a new dialect is never left without an answer.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use rosetta_core::Timestamp;
use serde_json::json;

/// Why the call is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WithdrawnReason {
    /// A scheduled brownout window, ending at the given time.
    Brownout { until: Timestamp },
    /// Past the sunset, with `after_sunset = "refuse"`.
    Sunset,
}

/// A refused call: the status (410 or 503) and the sentence to tell the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawn {
    pub status: StatusCode,
    pub reason: WithdrawnReason,
    pub link: Option<String>,
}

impl Withdrawn {
    /// `true` for 410: the dialects' code is then their "gone" one, else their "unavailable".
    pub fn is_gone(&self) -> bool {
        self.status == StatusCode::GONE
    }

    /// The sentence every dialect puts in its error, naming where to read about migrating.
    pub fn message(&self) -> String {
        let what = match self.reason {
            WithdrawnReason::Brownout { until } => format!(
                "This API is switched off for a scheduled brownout until {}, because it is deprecated",
                until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
            WithdrawnReason::Sunset => "This API has been retired".to_owned(),
        };
        match &self.link {
            Some(link) => format!("{what}; see {link} to migrate."),
            None => format!("{what}."),
        }
    }
}

impl fmt::Display for Withdrawn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl ResponseError for Withdrawn {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    /// The answer of a dialect that has no shape of its own for this refusal.
    fn error_response(&self) -> HttpResponse {
        let code = if self.is_gone() {
            "gone"
        } else {
            "unavailable"
        };
        HttpResponse::build(self.status).json(json!({"error": code, "message": self.message()}))
    }
}
