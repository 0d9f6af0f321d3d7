//! `rosetta deprecation status`: per deprecated dialect and route, what the configuration
//! says (deprecated since, sunset, the current or next brownout) and who still calls it (calls
//! in the last 7 days, every replica's).

use rosetta_core::UsageQuery;
use rosetta_dialect::deprecation::{AfterSunset, Policy, State};
use rosetta_dialect::join;
use serde_json::{json, Value};

use super::{explain, open};
use crate::app::resolve_mounts;
use crate::config::Config;

const WINDOW_DAYS: i64 = 7;

pub(super) async fn status(config: &Config, json_out: bool) -> Result<(), String> {
    let mounts = resolve_mounts(config).map_err(|e| e.to_string())?;
    let now = config.clock.now();
    let deprecated: Vec<_> = mounts
        .iter()
        .filter(|m| m.deprecations.dialect.is_some() || !m.deprecations.routes.is_empty())
        .collect();
    let mut rows: Vec<Value> = Vec::new();
    if !deprecated.is_empty() {
        let (dir, _db) = open(config).await?;
        for m in deprecated {
            let usage = dir
                .usage()
                .by_route(UsageQuery {
                    since: Some(now - chrono::Duration::days(WINDOW_DAYS)),
                    dialect: Some(m.dialect.name.to_owned()),
                    tenant: None,
                })
                .await
                .map_err(explain)?;
            if let Some(p) = &m.deprecations.dialect {
                let calls: i64 = usage.iter().map(|u| u.calls).sum();
                rows.push(row(m.dialect.name, None, p, now, calls));
            }
            for r in &m.deprecations.routes {
                let pattern = join(&m.prefix, &r.path);
                let calls: i64 = usage
                    .iter()
                    .filter(|u| u.route == pattern)
                    .map(|u| u.calls)
                    .sum();
                let route = format!("{} {}", r.method, r.path);
                rows.push(row(m.dialect.name, Some(&route), &r.policy, now, calls));
            }
        }
    }
    if json_out {
        println!("{}", json!({ "deprecations": rows }));
        return Ok(());
    }
    if rows.is_empty() {
        println!("no dialect or route is deprecated");
    }
    for r in &rows {
        let s = |k: &str| r[k].as_str().unwrap_or("-").to_owned();
        let brownout = match (&r["brownout"]["start"], &r["brownout"]["end"]) {
            (Value::String(a), Value::String(b)) => format!("{a}/{b}"),
            _ => "none".into(),
        };
        println!(
            "{:<9} {:<28} {:<9} deprecated {}  sunset {}  brownout {}{}  {} call(s) in {WINDOW_DAYS}d",
            s("dialect"),
            r["route"].as_str().unwrap_or("(every route)"),
            s("state"),
            s("deprecated_at"),
            s("sunset"),
            brownout,
            if r["brownout"]["current"] == true { " (now)" } else { "" },
            r["calls_7d"]
        );
    }
    Ok(())
}

fn time(t: rosetta_core::Timestamp) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn row(
    dialect: &str,
    route: Option<&str>,
    p: &Policy,
    now: rosetta_core::Timestamp,
    calls: i64,
) -> Value {
    let state = match p.state_at(now) {
        State::Open => "serving",
        State::Brownout { .. } => "brownout",
        State::Retired => "refused",
    };
    let brownout = p.current_or_next_brownout(now).map_or(
        Value::Null,
        |w| json!({"start": time(w.start), "end": time(w.end), "current": w.contains(now)}),
    );
    json!({
        "dialect": dialect,
        "route": route,
        "state": state,
        "deprecated_at": time(p.deprecated_at),
        "sunset": p.sunset.map(time),
        "after_sunset": match p.after_sunset { AfterSunset::Serve => "serve", AfterSunset::Refuse => "refuse" },
        "link": p.link,
        "brownout_status": p.brownout_status.as_u16(),
        "brownout": brownout,
        "calls_7d": calls,
    })
}
