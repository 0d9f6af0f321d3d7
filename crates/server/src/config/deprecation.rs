//! `[dialects.<name>.deprecation]` and its `[[...routes]]` as written: text, checked and turned
//! into policies by `crate::deprecation` (which knows the route tables).

use serde::Deserialize;

use super::values::opt_num;

/// A time: a TOML string (`"2026-06-01T00:00:00Z"`) or a bare TOML datetime.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum TimeText {
    Text(String),
    Toml(toml::value::Datetime),
}

impl TimeText {
    pub fn text(&self) -> String {
        match self {
            Self::Text(t) => t.clone(),
            Self::Toml(t) => t.to_string(),
        }
    }
}

/// The keys a dialect's deprecation and a route's override share.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeprecationConfig {
    pub deprecated_at: Option<TimeText>,
    pub sunset: Option<TimeText>,
    pub link: Option<String>,
    /// `serve` (default) or `refuse`.
    pub after_sunset: Option<String>,
    /// ISO 8601 intervals: `start/PT1H`, `start/end`.
    pub brownouts: Option<Vec<String>>,
    /// 410 (default) or 503.
    #[serde(deserialize_with = "opt_num")]
    pub brownout_status: Option<u16>,
    pub routes: Vec<RouteDeprecationConfig>,
}

/// One route's override: `method` and `path` as the route table spells them, then any of the
/// dialect's keys (the ones left out are the dialect's).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RouteDeprecationConfig {
    pub method: String,
    pub path: String,
    pub deprecated_at: Option<TimeText>,
    pub sunset: Option<TimeText>,
    pub link: Option<String>,
    pub after_sunset: Option<String>,
    pub brownouts: Option<Vec<String>>,
    #[serde(deserialize_with = "opt_num")]
    pub brownout_status: Option<u16>,
}
