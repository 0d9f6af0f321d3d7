//! Calls counted for `rosetta usage` (migration.md): per UTC day, tenant, dialect, caller,
//! route pattern and status class, with the first and last call of each.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::time::Timestamp;
use crate::ids::TenantId;

/// One daily bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsageCount {
    /// The start of the UTC day.
    pub day: Timestamp,
    /// `None`: a call that named no tenant (it never authenticated).
    pub tenant: Option<TenantId>,
    pub dialect: String,
    /// `credential:3`, `user:17`, `integration-key:tenant-2`, or `none`.
    pub caller: String,
    /// The route table's pattern with the prefix, never the raw path.
    pub route: String,
    /// `2xx`, `4xx`, ...
    pub status_class: String,
    pub calls: i64,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
}

/// Which buckets to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsageQuery {
    /// Buckets of the day holding `since` and later (a day is the resolution).
    pub since: Option<Timestamp>,
    pub dialect: Option<String>,
    pub tenant: Option<TenantId>,
}

/// Calls of one caller through one route (`rosetta usage`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteUsage {
    pub tenant: Option<TenantId>,
    pub dialect: String,
    pub caller: String,
    pub route: String,
    pub calls: i64,
    /// Calls per status class (`2xx`: 12, `4xx`: 1).
    pub statuses: BTreeMap<String, i64>,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
}

/// One caller of a dialect and everything it called (`rosetta usage callers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallerUsage {
    pub tenant: Option<TenantId>,
    pub caller: String,
    pub calls: i64,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    pub routes: Vec<String>,
}

/// Calls of one dialect on one UTC day, every caller and route together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DailyUsage {
    pub day: Timestamp,
    pub dialect: String,
    pub calls: i64,
}

impl DailyUsage {
    /// Buckets summed per day and dialect; by day, then dialect.
    pub fn sum(counts: &[UsageCount]) -> Vec<Self> {
        let mut sums: BTreeMap<(Timestamp, &str), i64> = BTreeMap::new();
        for c in counts {
            *sums.entry((c.day, c.dialect.as_str())).or_default() += c.calls;
        }
        sums.into_iter()
            .map(|((day, dialect), calls)| Self {
                day,
                dialect: dialect.to_owned(),
                calls,
            })
            .collect()
    }
}

/// The start of the UTC day holding `t`.
pub fn day_of(t: Timestamp) -> Timestamp {
    let secs = t.timestamp();
    chrono::DateTime::from_timestamp(secs - secs.rem_euclid(86_400), 0).unwrap_or(t)
}

/// `2xx` for 200..=299, and so on.
pub fn status_class(status: u16) -> String {
    format!("{}xx", status / 100)
}

type Span = (i64, Timestamp, Timestamp);

fn add(into: &mut Span, c: &UsageCount) {
    into.0 += c.calls;
    into.1 = into.1.min(c.first_seen);
    into.2 = into.2.max(c.last_seen);
}

impl RouteUsage {
    /// Buckets summed per tenant, dialect, caller and route; most calls first.
    pub fn sum(counts: &[UsageCount]) -> Vec<Self> {
        type Key<'a> = (Option<TenantId>, &'a str, &'a str, &'a str);
        let mut sums: BTreeMap<Key<'_>, (Span, BTreeMap<String, i64>)> = BTreeMap::new();
        for c in counts {
            let key = (
                c.tenant,
                c.dialect.as_str(),
                c.caller.as_str(),
                c.route.as_str(),
            );
            let entry = sums
                .entry(key)
                .or_insert(((0, c.first_seen, c.last_seen), BTreeMap::new()));
            add(&mut entry.0, c);
            *entry.1.entry(c.status_class.clone()).or_default() += c.calls;
        }
        let mut rows: Vec<Self> = sums
            .into_iter()
            .map(|(key, ((calls, first_seen, last_seen), statuses))| {
                let (tenant, dialect, caller, route) = key;
                Self {
                    tenant,
                    dialect: dialect.to_owned(),
                    caller: caller.to_owned(),
                    route: route.to_owned(),
                    calls,
                    statuses,
                    first_seen,
                    last_seen,
                }
            })
            .collect();
        rows.sort_by(|a, b| b.calls.cmp(&a.calls).then_with(|| a.route.cmp(&b.route)));
        rows
    }
}

impl CallerUsage {
    /// Buckets summed per tenant and caller; the most recent caller first.
    pub fn sum(counts: &[UsageCount]) -> Vec<Self> {
        type Routes<'a> = (Span, BTreeSet<&'a str>);
        let mut sums: BTreeMap<(Option<TenantId>, &str), Routes<'_>> = BTreeMap::new();
        for c in counts {
            let entry = sums
                .entry((c.tenant, c.caller.as_str()))
                .or_insert(((0, c.first_seen, c.last_seen), BTreeSet::new()));
            add(&mut entry.0, c);
            entry.1.insert(c.route.as_str());
        }
        let mut rows: Vec<Self> = sums
            .into_iter()
            .map(
                |((tenant, caller), ((calls, first_seen, last_seen), routes))| Self {
                    tenant,
                    caller: caller.to_owned(),
                    calls,
                    first_seen,
                    last_seen,
                    routes: routes.into_iter().map(str::to_owned).collect(),
                },
            )
            .collect();
        rows.sort_by(|a, b| {
            b.last_seen
                .cmp(&a.last_seen)
                .then_with(|| a.caller.cmp(&b.caller))
        });
        rows
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn at(s: &str) -> Timestamp {
        chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    fn count(
        day: &str,
        caller: &str,
        route: &str,
        calls: i64,
        first: &str,
        last: &str,
    ) -> UsageCount {
        UsageCount {
            day: at(day),
            tenant: Some(TenantId(1)),
            dialect: "kashflow".into(),
            caller: caller.into(),
            route: route.into(),
            status_class: "2xx".into(),
            calls,
            first_seen: at(first),
            last_seen: at(last),
        }
    }

    #[test]
    fn days_and_classes() {
        assert_eq!(
            day_of(at("2026-12-01T23:59:59Z")),
            at("2026-12-01T00:00:00Z")
        );
        assert_eq!(status_class(204), "2xx");
        assert_eq!(status_class(410), "4xx");
    }

    #[test]
    fn callers_sum_their_days_and_routes() {
        let counts = [
            count(
                "2026-11-30T00:00:00Z",
                "user:1",
                "/a",
                2,
                "2026-11-30T08:00:00Z",
                "2026-11-30T09:00:00Z",
            ),
            count(
                "2026-12-01T00:00:00Z",
                "user:1",
                "/b",
                3,
                "2026-12-01T08:00:00Z",
                "2026-12-01T10:00:00Z",
            ),
            count(
                "2026-12-01T00:00:00Z",
                "credential:2",
                "/a",
                1,
                "2026-12-01T07:00:00Z",
                "2026-12-01T07:00:00Z",
            ),
        ];
        let callers = CallerUsage::sum(&counts);
        assert_eq!(callers[0].caller, "user:1");
        assert_eq!(callers[0].calls, 5);
        assert_eq!(callers[0].first_seen, at("2026-11-30T08:00:00Z"));
        assert_eq!(callers[0].last_seen, at("2026-12-01T10:00:00Z"));
        assert_eq!(callers[0].routes, vec!["/a", "/b"]);
        assert_eq!(callers[1].caller, "credential:2");
        let routes = RouteUsage::sum(&counts);
        assert_eq!(routes.len(), 3);
        assert_eq!(routes[0].calls, 3);
    }
}
