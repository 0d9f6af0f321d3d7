//! `rosetta usage` and `rosetta usage callers`: who still calls what (migration.md). The
//! figures are every replica's, from the database, by UTC day.

use rosetta_core::{TenantId, Timestamp, UsageQuery};
use serde_json::{json, Value};

use super::{explain, open};
use crate::config::{parse_duration, Config};
use crate::labels::Labels;

fn since(text: &str) -> Result<Timestamp, String> {
    let window = parse_duration(text).map_err(|e| format!("--since: {e}"))?;
    Ok(chrono::Utc::now() - chrono::Duration::from_std(window).unwrap_or_default())
}

fn time(t: Timestamp) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn check_dialect(name: &str) -> Result<(), String> {
    if crate::app::DIALECTS.iter().any(|d| d.name == name) {
        Ok(())
    } else {
        Err(format!(
            "unknown dialect '{name}' (known: kashflow, usr, keaz, v2)"
        ))
    }
}

pub(super) struct UsageArgs<'a> {
    pub since: &'a str,
    pub dialect: Option<&'a str>,
    pub tenant: Option<i64>,
    pub json_out: bool,
}

/// `rosetta usage`: calls by dialect, caller and route.
pub(super) async fn by_route(config: &Config, args: UsageArgs<'_>) -> Result<(), String> {
    let from = since(args.since)?;
    if let Some(d) = args.dialect {
        check_dialect(d)?;
    }
    let (dir, _db) = open(config).await?;
    let rows = dir
        .usage()
        .by_route(UsageQuery {
            since: Some(from),
            dialect: args.dialect.map(str::to_owned),
            tenant: args.tenant.map(TenantId),
        })
        .await
        .map_err(explain)?;
    let total: i64 = rows.iter().map(|r| r.calls).sum();
    if args.json_out {
        let calls: Vec<Value> = rows
            .iter()
            .map(|r| {
                json!({
                    "tenant": r.tenant.map(|t| t.0),
                    "dialect": r.dialect,
                    "caller": r.caller,
                    "route": r.route,
                    "calls": r.calls,
                    "statuses": r.statuses,
                    "first_seen": time(r.first_seen),
                    "last_seen": time(r.last_seen),
                })
            })
            .collect();
        println!(
            "{}",
            json!({"since": time(from), "total": total, "calls": calls})
        );
        return Ok(());
    }
    println!(
        "{total} call(s) since {} (by UTC day)",
        from.format("%Y-%m-%d")
    );
    for r in rows {
        println!(
            "{:>8}  {:<9} {:<6} {:<28} {}",
            r.calls,
            r.dialect,
            r.tenant.map_or_else(|| "-".into(), |t| t.0.to_string()),
            r.caller,
            r.route
        );
    }
    Ok(())
}

/// `rosetta usage callers --dialect NAME`: one row per caller, the list a migration team
/// works through.
pub(super) async fn callers(
    config: &Config,
    dialect: &str,
    since_text: &str,
    json_out: bool,
) -> Result<(), String> {
    check_dialect(dialect)?;
    let from = since(since_text)?;
    let (dir, _db) = open(config).await?;
    let callers = dir
        .usage()
        .callers(UsageQuery {
            since: Some(from),
            dialect: Some(dialect.to_owned()),
            tenant: None,
        })
        .await
        .map_err(explain)?;
    let mut labels = Labels::default();
    let mut rows = Vec::new();
    for c in &callers {
        rows.push((c, labels.of(&dir, c).await));
    }
    if json_out {
        let out: Vec<Value> = rows
            .iter()
            .map(|(c, label)| {
                json!({
                    "tenant": c.tenant.map(|t| t.0),
                    "caller": c.caller,
                    "label": label,
                    "calls": c.calls,
                    "first_seen": time(c.first_seen),
                    "last_seen": time(c.last_seen),
                    "routes": c.routes,
                })
            })
            .collect();
        println!(
            "{}",
            json!({"dialect": dialect, "since": time(from), "callers": out})
        );
        return Ok(());
    }
    println!(
        "{} caller(s) of {dialect} since {}",
        rows.len(),
        from.format("%Y-%m-%d")
    );
    for (c, label) in rows {
        println!(
            "{:<6} {:<28} {:<20} {:>8}  {} .. {}  {}",
            c.tenant.map_or_else(|| "-".into(), |t| t.0.to_string()),
            c.caller,
            label.as_deref().unwrap_or("-"),
            c.calls,
            time(c.first_seen),
            time(c.last_seen),
            c.routes.join(" ")
        );
    }
    Ok(())
}
