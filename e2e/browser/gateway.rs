//! The real `rosetta` binary for the browser: a configuration file, the CLI set-up (tenant,
//! credentials, operator), `rosetta serve`, and dialect calls whose usage reaches the table.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub use crate::process::{cli, free_port, Serve};

/// The dialect the console hides: unmounted, so the chart must not draw it.
pub const UNMOUNTED: &str = "keaz";

/// `rosetta.toml` of the test directory, read by `serve` and every CLI call alike: keaz
/// unmounted (so "one series per mounted dialect" is not "one per dialect"), and usr
/// deprecated with a brownout far ahead, so the dialect page has settings to show while
/// its calls are still served.
const CONFIG: &str = r#"
[dialects.keaz]
enabled = false

[dialects.usr.deprecation]
deprecated_at = "2026-06-01T00:00:00Z"
sunset = "2031-06-01T00:00:00Z"
link = "https://example.com/migrate-usr"
brownouts = ["2031-03-01T10:00:00Z/PT1H"]
"#;

pub fn write_config(dir: &Path) {
    std::fs::write(dir.join("rosetta.toml"), CONFIG).unwrap();
}

/// The mounted dialects in `DIALECTS` order: what the chart's series must be.
pub fn mounted() -> Vec<&'static str> {
    rosetta_server::app::DIALECTS
        .iter()
        .map(|d| d.name)
        .filter(|n| *n != UNMOUNTED)
        .collect()
}

/// What the set-up made, for the pages to show.
pub struct Fixture {
    pub tenant: i64,
    pub tenant_name: &'static str,
    /// The usr credential's caller (`credential:N`) and its name, the label.
    pub caller: String,
    pub label: &'static str,
    /// The scim credential's caller.
    pub scim_caller: String,
    pub operator: &'static str,
    pub password: &'static str,
}

/// Tenant, two named credentials (usr and scim) and an operator, all with the CLI.
pub fn set_up(dir: &Path, db_url: &str) -> (Fixture, String, String) {
    let tenant_name = "Acme Browser Co";
    let t = cli(dir, db_url, &["tenant", "create", "--name", tenant_name]);
    let tenant = t["tenant_id"].as_i64().unwrap();
    let credential = |dialect: &str, name: &str| {
        let c = cli(
            dir,
            db_url,
            &[
                "credential",
                "create",
                "--tenant",
                &tenant.to_string(),
                "--dialect",
                dialect,
                "--name",
                name,
            ],
        );
        (
            c["credential_id"].as_i64().unwrap(),
            c["token"].as_str().unwrap().to_owned(),
        )
    };
    let label = "billing-sync";
    let (usr_id, usr_token) = credential("usr", label);
    let (scim_id, scim_token) = credential("scim", "okta-provisioning");
    let (operator, password) = ("ops-alice", "correct horse battery staple");
    let o = cli(
        dir,
        db_url,
        &[
            "operator",
            "create",
            "--username",
            operator,
            "--password",
            password,
        ],
    );
    assert_eq!(o["username"], operator, "{o}");
    assert!(o["operator_id"].as_i64().is_some(), "{o}");
    let fixture = Fixture {
        tenant,
        tenant_name,
        caller: format!("credential:{usr_id}"),
        label,
        scim_caller: format!("credential:{scim_id}"),
        operator,
        password,
    };
    (fixture, usr_token, scim_token)
}

/// Real dialect calls: users created and read through usr, the list read through scim.
pub async fn call_dialects(client: &reqwest::Client, serve: &Serve, usr: &str, scim: &str) {
    for name in ["ada", "grace", "edsger"] {
        let body = json!({
            "contactName": name, "emailAddress": format!("{name}@example.com"),
            "username": name, "password": "pw-of-the-browser-test", "active": true,
            "defaultAccountId": 1,
        });
        let r = client
            .post(serve.url("/usr/new"))
            .bearer_auth(usr)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "usr/new {name}: {}", r.status());
    }
    for _ in 0..2 {
        let r = client
            .get(serve.url("/scim/v2/Users"))
            .bearer_auth(scim)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "scim Users");
    }
}

/// Waits until `rosetta usage callers` lists `caller` for `dialect`: the gateway adds counted
/// calls to the table in batches (every few seconds, not per request), so the pages can
/// only show them after a flush. Bounded at 60 s.
pub async fn usage_flushed(dir: &Path, db_url: &str, dialect: &str, caller: &str) -> Value {
    let started = Instant::now();
    loop {
        let callers = cli(
            dir,
            db_url,
            &["usage", "callers", "--dialect", dialect, "--since", "30d"],
        );
        let found = callers["callers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["caller"] == caller)
            .cloned();
        if let Some(row) = found {
            return row;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{caller} never reached the usage table: {callers}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
