//! `[dialects.<name>.deprecation]` checked against the dialect's route table and turned into
//! the policies its mount enforces (migration.md). Every mistake is one line naming the key.

use actix_web::http::{Method, StatusCode};
use rosetta_dialect::deprecation::{AfterSunset, Deprecations, Policy, RoutePolicy};
use rosetta_dialect::{Clock, Dialect};

use crate::config::deprecation::{DeprecationConfig, RouteDeprecationConfig, TimeText};

mod interval;

/// The keys of one level (the dialect's, or a route's over the dialect's).
#[derive(Clone, Copy)]
struct Keys<'a> {
    deprecated_at: Option<&'a TimeText>,
    sunset: Option<&'a TimeText>,
    link: Option<&'a String>,
    after_sunset: Option<&'a String>,
    brownouts: Option<&'a Vec<String>>,
    brownout_status: Option<u16>,
}

impl<'a> Keys<'a> {
    fn of_dialect(c: &'a DeprecationConfig) -> Self {
        let DeprecationConfig {
            deprecated_at,
            sunset,
            link,
            after_sunset,
            brownouts,
            brownout_status,
            routes: _,
        } = c;
        Self {
            deprecated_at: deprecated_at.as_ref(),
            sunset: sunset.as_ref(),
            link: link.as_ref(),
            after_sunset: after_sunset.as_ref(),
            brownouts: brownouts.as_ref(),
            brownout_status: *brownout_status,
        }
    }

    /// A route's keys, each one it leaves out taken from `dialect`.
    fn of_route(r: &'a RouteDeprecationConfig, dialect: Self) -> Self {
        let RouteDeprecationConfig {
            method: _,
            path: _,
            deprecated_at,
            sunset,
            link,
            after_sunset,
            brownouts,
            brownout_status,
        } = r;
        Self {
            deprecated_at: deprecated_at.as_ref().or(dialect.deprecated_at),
            sunset: sunset.as_ref().or(dialect.sunset),
            link: link.as_ref().or(dialect.link),
            after_sunset: after_sunset.as_ref().or(dialect.after_sunset),
            brownouts: brownouts.as_ref().or(dialect.brownouts),
            brownout_status: brownout_status.or(dialect.brownout_status),
        }
    }

    fn policy(self, key: &str) -> Result<Policy, String> {
        let at = |name: &str, t: &TimeText| {
            interval::instant(&t.text()).map_err(|e| format!("{key}.{name}: {e}"))
        };
        let deprecated_at = at(
            "deprecated_at",
            self.deprecated_at
                .ok_or_else(|| format!("{key}.deprecated_at is required"))?,
        )?;
        let sunset = self.sunset.map(|s| at("sunset", s)).transpose()?;
        if sunset.is_some_and(|s| s < deprecated_at) {
            return Err(format!("{key}.sunset is before {key}.deprecated_at"));
        }
        if let Some(link) = self.link {
            let scheme = link.starts_with("https://") || link.starts_with("http://");
            let clean = !link
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>\"".contains(c));
            if !(scheme && clean && link.len() > "https://".len()) {
                return Err(format!(
                    "{key}.link must be an http(s) URL without spaces, quotes or <>"
                ));
            }
        }
        let after_sunset = match self.after_sunset.map(String::as_str) {
            None | Some("serve") => AfterSunset::Serve,
            Some("refuse") => AfterSunset::Refuse,
            Some(_) => return Err(format!("{key}.after_sunset must be serve or refuse")),
        };
        let brownout_status = match self.brownout_status {
            None | Some(410) => StatusCode::GONE,
            Some(503) => StatusCode::SERVICE_UNAVAILABLE,
            Some(_) => return Err(format!("{key}.brownout_status must be 410 or 503")),
        };
        let mut brownouts = Vec::new();
        for (i, text) in self.brownouts.into_iter().flatten().enumerate() {
            brownouts
                .push(interval::interval(text).map_err(|e| format!("{key}.brownouts[{i}]: {e}"))?);
        }
        brownouts.sort_by_key(|w| w.start);
        Ok(Policy {
            deprecated_at,
            sunset,
            link: self.link.cloned(),
            after_sunset,
            brownouts,
            brownout_status,
        })
    }
}

/// The deprecation of `dialect` as configured (`None`: not configured), checked: every time
/// and interval parses, no sunset is before its deprecation, every route is in the table.
pub fn resolve(
    dialect: &Dialect,
    config: Option<&DeprecationConfig>,
    clock: &Clock,
) -> Result<Deprecations, String> {
    let Some(config) = config else {
        return Ok(Deprecations {
            clock: clock.clone(),
            ..Deprecations::default()
        });
    };
    let key = format!("dialects.{}.deprecation", dialect.name);
    let keys = Keys::of_dialect(config);
    // A table with only routes deprecates only them.
    let dialect_policy = if keys.deprecated_at.is_some() || config.routes.is_empty() {
        Some(keys.policy(&key)?)
    } else {
        None
    };
    let mut routes: Vec<RoutePolicy> = Vec::new();
    for (i, r) in config.routes.iter().enumerate() {
        let route_key = format!("{key}.routes[{i}]");
        let method = Method::from_bytes(r.method.trim().to_ascii_uppercase().as_bytes())
            .map_err(|_| format!("{route_key}.method: '{}' is not a method", r.method))?;
        if !dialect
            .routes
            .iter()
            .any(|t| t.method == method && t.path == r.path)
        {
            return Err(format!(
                "{route_key}: {} has no route {method} {} (paths as its route table spells them, under the prefix)",
                dialect.name, r.path
            ));
        }
        if routes
            .iter()
            .any(|p| p.method == method && p.path == r.path)
        {
            return Err(format!("{route_key}: {method} {} is listed twice", r.path));
        }
        routes.push(RoutePolicy {
            method,
            path: r.path.clone(),
            policy: Keys::of_route(r, keys).policy(&route_key)?,
        });
    }
    Ok(Deprecations {
        dialect: dialect_policy,
        routes,
        clock: clock.clone(),
    })
}

#[cfg(test)]
mod tests;
