//! One deprecation policy and what it says at a given time.

use actix_web::http::header::{HeaderName, HeaderValue, InvalidHeaderValue, LINK};
use actix_web::http::StatusCode;
use rosetta_core::Timestamp;

/// What a dialect does once its sunset has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterSunset {
    /// Keeps answering, still with the headers (the default).
    Serve,
    /// Answers every call with the brownout status.
    Refuse,
}

/// A brownout: `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Window {
    pub fn contains(&self, t: Timestamp) -> bool {
        self.start <= t && t < self.end
    }
}

/// A dialect's, or one route's, deprecation as the configuration gives it (already checked:
/// the sunset is not before the deprecation, every window ends after it starts, the status is
/// 410 or 503).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub deprecated_at: Timestamp,
    pub sunset: Option<Timestamp>,
    pub link: Option<String>,
    pub after_sunset: AfterSunset,
    /// Sorted by start.
    pub brownouts: Vec<Window>,
    pub brownout_status: StatusCode,
}

/// What a policy says about a call at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Answered as usual (with the headers).
    Open,
    /// Refused until `until`, the end of the brownout window.
    Brownout { until: Timestamp },
    /// Refused for good: past the sunset with `after_sunset = "refuse"`.
    Retired,
}

impl Policy {
    pub fn state_at(&self, now: Timestamp) -> State {
        if self.after_sunset == AfterSunset::Refuse && self.sunset.is_some_and(|s| s <= now) {
            return State::Retired;
        }
        match self.brownouts.iter().find(|w| w.contains(now)) {
            Some(w) => State::Brownout { until: w.end },
            None => State::Open,
        }
    }

    /// The window `now` is in, else the next one to start.
    pub fn current_or_next_brownout(&self, now: Timestamp) -> Option<Window> {
        self.brownouts.iter().copied().find(|w| w.end > now)
    }

    /// The headers every answer under this policy carries, formatted as the RFCs give them:
    /// `Deprecation: @<epoch seconds>` (an RFC 9651 date), `Sunset: <IMF-fixdate>` and
    /// `Link: <url>; rel="deprecation"; type="text/html"`. Fails only on a link that cannot be
    /// a header value, which the configuration refuses first.
    pub fn headers(&self) -> Result<Vec<(HeaderName, HeaderValue)>, InvalidHeaderValue> {
        let mut headers = vec![(
            HeaderName::from_static("deprecation"),
            HeaderValue::from_str(&format!("@{}", self.deprecated_at.timestamp()))?,
        )];
        if let Some(sunset) = self.sunset {
            headers.push((
                HeaderName::from_static("sunset"),
                HeaderValue::from_str(&imf_fixdate(sunset))?,
            ));
        }
        if let Some(link) = &self.link {
            headers.push((
                LINK,
                HeaderValue::from_str(&format!(
                    "<{link}>; rel=\"deprecation\"; type=\"text/html\""
                ))?,
            ));
        }
        Ok(headers)
    }
}

/// An HTTP date as RFC 9110 prefers it: `Tue, 01 Jun 2027 00:00:00 GMT`.
pub fn imf_fixdate(t: Timestamp) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::{DateTime, Utc};

    fn at(s: &str) -> Timestamp {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn policy() -> Policy {
        Policy {
            deprecated_at: at("2026-06-01T00:00:00Z"),
            sunset: Some(at("2027-06-01T00:00:00Z")),
            link: Some("https://example.com/migrate-kashflow".into()),
            after_sunset: AfterSunset::Refuse,
            brownouts: vec![Window {
                start: at("2026-12-01T10:00:00Z"),
                end: at("2026-12-01T11:00:00Z"),
            }],
            brownout_status: StatusCode::GONE,
        }
    }

    #[test]
    fn headers_as_the_rfcs_format_them() {
        let headers = policy().headers().unwrap();
        let shown: Vec<(String, &str)> = headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap()))
            .collect();
        assert_eq!(
            shown,
            vec![
                ("deprecation".to_owned(), "@1780272000"),
                ("sunset".to_owned(), "Tue, 01 Jun 2027 00:00:00 GMT"),
                (
                    "link".to_owned(),
                    "<https://example.com/migrate-kashflow>; rel=\"deprecation\"; type=\"text/html\""
                ),
            ]
        );
    }

    #[test]
    fn states_before_during_and_after() {
        let p = policy();
        assert_eq!(p.state_at(at("2026-12-01T09:59:59Z")), State::Open);
        assert_eq!(
            p.state_at(at("2026-12-01T10:00:00Z")),
            State::Brownout {
                until: at("2026-12-01T11:00:00Z")
            }
        );
        assert_eq!(p.state_at(at("2026-12-01T11:00:00Z")), State::Open);
        assert_eq!(p.state_at(at("2027-06-01T00:00:00Z")), State::Retired);
        let serve = Policy {
            after_sunset: AfterSunset::Serve,
            ..p.clone()
        };
        assert_eq!(serve.state_at(at("2028-01-01T00:00:00Z")), State::Open);
        assert_eq!(
            p.current_or_next_brownout(at("2026-01-01T00:00:00Z")),
            p.brownouts.first().copied()
        );
        assert_eq!(p.current_or_next_brownout(at("2026-12-01T11:00:00Z")), None);
    }
}
