//! A leaked credential revoked or rotated with the `rosetta` binary, on the database a running
//! gateway uses: the gateway refuses it (in the dialect's own 401) once its memory of verified
//! credentials (`security.credential_cache_ttl`, short here) has lapsed; a rotation's overlap
//! keeps the old secret working; every change is in the audit log; secrets are printed once
//! and never stored.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use rosetta_e2e::TestGateway;
use rosetta_testkit::callers::{Usr, V2};
use rosetta_testkit::{backend_tests, Backend, Fixtures, Resp};
use serde_json::Value;

use crate::{raw, BIN};

fn rosetta(dir: &Path, db_url: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .env_remove("ROSETTA_DATABASE_URL")
        .args(["--database-url", db_url])
        .args(args)
        .output()
        .unwrap()
}

/// Runs a command with `--json`; its one JSON object.
fn cli(app: &TestGateway, args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.push("--json");
    let out = rosetta(app.database.dir(), app.database.url(), &args);
    assert!(out.status.success(), "{args:?}: {out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.trim_end().lines().count(), 1, "{text}");
    serde_json::from_str(&text).unwrap()
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

/// Calls `call` until it answers `status` (10 s at most): how long a refusal takes is the
/// cache's business, not the test's.
async fn until_status<F, Fut>(status: u16, what: &str, mut call: F) -> Resp
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Resp>,
{
    let started = Instant::now();
    loop {
        let r = call().await;
        if r.status == status {
            return r;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{what}: still {} ({})",
            r.status,
            r.text
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn revoked_and_rotated_credentials_are_refused(backend: Backend) {
    let app = TestGateway::start_with(backend, |c| {
        c.security.credential_cache_ttl = Duration::from_millis(300);
    })
    .await;
    let (tenant, first_key) = app.tenant("Acme").await;
    let user = app.user(tenant, "ada", "ada@acme.test", "pw12").await;
    let t = tenant.0.to_string();
    let create = |name: &str| {
        cli(
            &app,
            &[
                "credential",
                "create",
                "--tenant",
                &t,
                "--dialect",
                "usr",
                "--name",
                name,
            ],
        )
    };
    let leaked = create("leaked");
    let kept = create("kept");
    let (leaked_id, kept_id) = (
        leaked["credential_id"].as_i64().unwrap(),
        kept["credential_id"].as_i64().unwrap(),
    );
    let usr = |token: &Value| Usr::new(&app.client, token.as_str().unwrap());
    let leaked_usr = usr(&leaked["token"]);
    leaked_usr.user(user.id.0).await.expect(200);
    let refused = Usr::new(&app.client, "never-issued").user(user.id.0).await;
    assert_eq!(refused.status, 401, "{}", refused.text);

    // list: the exact shape, nothing revoked, the used one used.
    let listed = cli(&app, &["credential", "list", "--tenant", &t]);
    assert_eq!(keys(&listed), BTreeSet::from(["credentials"]));
    let rows = listed["credentials"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{listed}");
    for row in rows {
        assert_eq!(
            keys(row),
            BTreeSet::from([
                "credential_id",
                "dialect",
                "name",
                "created_at",
                "last_used_at",
                "revoked"
            ]),
            "{row}"
        );
        assert_eq!(row["dialect"], "usr");
        assert_eq!(row["revoked"], false);
        assert!(row["created_at"].as_str().unwrap().ends_with('Z'), "{row}");
    }
    assert_eq!(rows[0]["credential_id"], leaked_id);
    assert_eq!(rows[0]["name"], "leaked");
    assert!(rows[0]["last_used_at"].is_string(), "{listed}");
    assert!(rows[1]["last_used_at"].is_null(), "{listed}");

    // revoke: refused like a token never issued, on this running gateway.
    let revoked = cli(
        &app,
        &["credential", "revoke", "--id", &leaked_id.to_string()],
    );
    assert_eq!(
        revoked,
        serde_json::json!({"credential_id": leaked_id, "revoked": true})
    );
    let r = until_status(401, "revoked usr token", || leaked_usr.user(user.id.0)).await;
    assert_eq!(r.text, refused.text);
    let listed = cli(&app, &["credential", "list", "--tenant", &t]);
    assert_eq!(listed["credentials"][0]["revoked"], true, "{listed}");
    assert_eq!(listed["credentials"][1]["revoked"], false, "{listed}");
    // A revoked credential stays revoked: it cannot be rotated back to life.
    let out = rosetta(
        app.database.dir(),
        app.database.url(),
        &["credential", "rotate", "--id", &leaked_id.to_string()],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");

    // rotate with an overlap: old and new both work; then without: the old ones stop.
    let kept_usr = usr(&kept["token"]);
    let kept_arg = kept_id.to_string();
    let second = cli(
        &app,
        &["credential", "rotate", "--id", &kept_arg, "--overlap", "1h"],
    );
    assert_eq!(keys(&second), BTreeSet::from(["credential_id", "token"]));
    assert_eq!(second["credential_id"], kept_id);
    assert_ne!(second["token"], kept["token"]);
    let second_usr = usr(&second["token"]);
    kept_usr.user(user.id.0).await.expect(200);
    second_usr.user(user.id.0).await.expect(200);
    let third = cli(&app, &["credential", "rotate", "--id", &kept_arg]);
    let third_usr = usr(&third["token"]);
    third_usr.user(user.id.0).await.expect(200);
    for (old, what) in [(&kept_usr, "first token"), (&second_usr, "second token")] {
        let r = until_status(401, what, || old.user(user.id.0)).await;
        assert_eq!(r.text, refused.text);
    }
    third_usr.user(user.id.0).await.expect(200);

    // tenant rotate-key: the same for v2 integration keys.
    let v2 = |key: &str| V2::new(&app.client, tenant.0, key);
    let bogus = v2("never-issued").by_email("ada@acme.test").await;
    assert_eq!(bogus.status, 401, "{}", bogus.text);
    let first = v2(&first_key);
    first.by_email("ada@acme.test").await.expect(200);
    let rotated = cli(
        &app,
        &["tenant", "rotate-key", "--tenant", &t, "--overlap", "24h"],
    );
    assert_eq!(
        keys(&rotated),
        BTreeSet::from(["tenant_id", "integration_key"])
    );
    assert_eq!(rotated["tenant_id"], tenant.0);
    let second_key = v2(rotated["integration_key"].as_str().unwrap());
    first.by_email("ada@acme.test").await.expect(200);
    second_key.by_email("ada@acme.test").await.expect(200);
    let rotated = cli(&app, &["tenant", "rotate-key", "--tenant", &t]);
    let third_key = v2(rotated["integration_key"].as_str().unwrap());
    third_key.by_email("ada@acme.test").await.expect(200);
    for (old, what) in [(&first, "first key"), (&second_key, "second key")] {
        let r = until_status(401, what, || old.by_email("ada@acme.test")).await;
        assert_eq!(r.text, bogus.text);
    }

    // The audit log names who did what to which credential, and holds no secret or hash.
    let url = app.database.url();
    let audit = raw::texts(
        url,
        "SELECT actor || ' ' || action || ' ' || tenant_id || ' ' || \
         COALESCE(CAST(credential_id AS TEXT), '-') || ' ' || \
         CASE WHEN overlap_until IS NULL THEN 'no-overlap' ELSE 'overlap' END \
         FROM credential_audit ORDER BY id",
    );
    assert_eq!(
        audit,
        [
            format!("cli credential.revoke {t} {leaked_id} no-overlap"),
            format!("cli credential.rotate {t} {kept_id} overlap"),
            format!("cli credential.rotate {t} {kept_id} no-overlap"),
            format!("cli integration-key.rotate {t} - overlap"),
            format!("cli integration-key.rotate {t} - no-overlap"),
        ]
    );
    // Secrets at rest: hashes only.
    let at_rest = raw::texts(
        url,
        "SELECT token_hash || ' ' || COALESCE(previous_token_hash, '') FROM credentials \
         UNION ALL SELECT integration_key_hash || ' ' || COALESCE(previous_key_hash, '') \
         FROM tenants",
    )
    .join(" ");
    for secret in [
        &leaked["token"],
        &kept["token"],
        &second["token"],
        &third["token"],
    ] {
        assert!(!at_rest.contains(secret.as_str().unwrap()));
    }
    assert!(!at_rest.contains(rotated["integration_key"].as_str().unwrap()));
}

/// Bad input at the command line: one line, exit 1, nothing written.
async fn credential_commands_refuse_what_does_not_exist(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let (tenant, _) = app.tenant("Acme").await;
    let (dir, url) = (app.database.dir(), app.database.url());
    for args in [
        &["credential", "revoke", "--id", "999"][..],
        &["credential", "rotate", "--id", "999", "--overlap", "1h"],
        &["credential", "list", "--tenant", "999"],
        &["tenant", "rotate-key", "--tenant", "999"],
        &[
            "tenant",
            "rotate-key",
            "--tenant",
            &tenant.0.to_string(),
            "--overlap",
            "soon",
        ],
    ] {
        let out = rosetta(dir, url, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    }
    let audit = raw::texts(url, "SELECT action FROM credential_audit");
    assert!(audit.is_empty(), "{audit:?}");
}

/// `--dialect scim` makes a credential (scim.md "Mount and auth"); a dialect that takes none
/// is refused, naming those that do.
async fn scim_credentials_are_made(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let (tenant, _) = app.tenant("Acme").await;
    let t = tenant.0.to_string();
    let made = cli(
        &app,
        &["credential", "create", "--tenant", &t, "--dialect", "scim"],
    );
    assert_eq!(keys(&made), BTreeSet::from(["credential_id", "token"]));
    let listed = cli(&app, &["credential", "list", "--tenant", &t]);
    assert_eq!(listed["credentials"][0]["dialect"], "scim", "{listed}");
    let out = rosetta(
        app.database.dir(),
        app.database.url(),
        &["credential", "create", "--tenant", &t, "--dialect", "ldap"],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("scim"), "{err}");
}

backend_tests!(
    revoked_and_rotated_credentials_are_refused,
    credential_commands_refuse_what_does_not_exist,
    scim_credentials_are_made
);
