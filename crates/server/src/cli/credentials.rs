//! `rosetta credential list|revoke|rotate` and `rosetta tenant rotate-key`: what an operator
//! does about a leaked secret. New secrets are printed once; the audit log names the operator
//! as `cli`.

use std::time::Duration;

use rosetta_core::{CoreError, CredentialChange, CredentialSummary, TenantId, Timestamp};
use serde_json::{json, Value};

use super::{explain, open, print};
use crate::config::{parse_duration, Config};

/// Who the audit log names for a change made at the command line.
const OPERATOR: &str = "cli";

pub(super) async fn list(config: &Config, tenant: i64, json_out: bool) -> Result<(), String> {
    let (dir, _db) = open(config).await?;
    let credentials = dir
        .credentials_of(TenantId(tenant))
        .await
        .map_err(|e| no_tenant(e, tenant))?;
    if json_out {
        let rows: Vec<Value> = credentials.iter().map(listed).collect();
        println!("{}", json!({ "credentials": rows }));
        return Ok(());
    }
    println!("{} credential(s) of tenant {tenant}", credentials.len());
    for c in &credentials {
        println!(
            "{:>6}  {:<9} {:<20} created {}  last used {}{}",
            c.id,
            c.dialect,
            c.name.as_deref().unwrap_or("-"),
            shown(c.created_at),
            c.last_used_at.map_or_else(|| "never".into(), shown),
            if c.revoked { "  REVOKED" } else { "" }
        );
    }
    Ok(())
}

pub(super) async fn revoke(config: &Config, id: i64, json_out: bool) -> Result<(), String> {
    let (dir, _db) = open(config).await?;
    let text = match dir.revoke_credential(OPERATOR, id).await.map_err(explain)? {
        CredentialChange::Done(c) => format!(
            "credential {id} ({}, tenant {}) revoked",
            c.dialect, c.tenant_id
        ),
        CredentialChange::Revoked => format!("credential {id} was already revoked"),
        CredentialChange::NoSuchCredential => return Err(no_credential(id)),
    };
    print(
        json_out,
        json!({"credential_id": id, "revoked": true}),
        &text,
    );
    Ok(())
}

pub(super) async fn rotate(
    config: &Config,
    id: i64,
    overlap: Option<&str>,
    json_out: bool,
) -> Result<(), String> {
    let overlap = overlap_of(overlap)?;
    let (dir, _db) = open(config).await?;
    match dir
        .rotate_credential(OPERATOR, id, overlap)
        .await
        .map_err(explain)?
    {
        CredentialChange::Done((_, token)) => {
            print(
                json_out,
                json!({"credential_id": id, "token": token}),
                &format!("credential {id} rotated{}; token: {token}", kept(overlap)),
            );
            Ok(())
        }
        CredentialChange::Revoked => Err(format!(
            "credential {id} is revoked; create a new one instead"
        )),
        CredentialChange::NoSuchCredential => Err(no_credential(id)),
    }
}

pub(super) async fn rotate_key(
    config: &Config,
    tenant: i64,
    overlap: Option<&str>,
    json_out: bool,
) -> Result<(), String> {
    let overlap = overlap_of(overlap)?;
    let (dir, _db) = open(config).await?;
    let key = dir
        .rotate_integration_key(OPERATOR, TenantId(tenant), overlap)
        .await
        .map_err(|e| no_tenant(e, tenant))?;
    print(
        json_out,
        json!({"tenant_id": tenant, "integration_key": key}),
        &format!(
            "integration key of tenant {tenant} rotated{}; integration key: {key}",
            kept(overlap)
        ),
    );
    Ok(())
}

fn listed(c: &CredentialSummary) -> Value {
    let CredentialSummary {
        id,
        tenant_id: _,
        dialect,
        name,
        created_at,
        last_used_at,
        revoked,
    } = c;
    json!({
        "credential_id": id,
        "dialect": dialect,
        "name": name,
        "created_at": shown(*created_at),
        "last_used_at": last_used_at.map(shown),
        "revoked": revoked,
    })
}

fn shown(t: Timestamp) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// `--overlap`: how long the replaced secret keeps working (absent: not at all).
fn overlap_of(raw: Option<&str>) -> Result<Duration, String> {
    raw.map_or(Ok(Duration::ZERO), |r| {
        parse_duration(r).map_err(|e| format!("--overlap: {e}"))
    })
}

fn kept(overlap: Duration) -> String {
    if overlap.is_zero() {
        " (the old secret stops working within security.credential_cache_ttl)".into()
    } else {
        format!(" (the old secret keeps working for {}s)", overlap.as_secs())
    }
}

fn no_credential(id: i64) -> String {
    format!("credential {id} does not exist")
}

fn no_tenant(e: CoreError, tenant: i64) -> String {
    match e {
        CoreError::NotFound => format!("tenant {tenant} does not exist"),
        other => explain(other),
    }
}
