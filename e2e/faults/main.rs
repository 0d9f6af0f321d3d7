#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The fault suite: the `rosetta` binary (or the gateway in-process) under faults a production
//! gateway meets (a crash, a database outage, a full or read-only disk, SIGTERM under load, a
//! stderr that fails), each bounded in time and on loopback. Every test is `#[ignore]`d so the
//! ordinary test run skips it; `.ci/run` runs them in a stage of their own with `--ignored`
//! after building the binary. `ROSETTA_BIN` overrides where the binary is found.

/// `name(Backend)` as two ignored tests, `name::sqlite` and `name::postgres` (the latter
/// only when `ROSETTA_TEST_POSTGRES_URL` names a server).
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[ignore = "fault suite: .ci/run runs it with --ignored"]
            async fn sqlite() {
                super::$name(rosetta_testkit::Backend::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[ignore = "fault suite: .ci/run runs it with --ignored"]
            async fn postgres() {
                assert!(
                    rosetta_testkit::Backend::Postgres.available(),
                    "the fault suite needs ROSETTA_TEST_POSTGRES_URL"
                );
                super::$name(rosetta_testkit::Backend::Postgres).await;
            }
        }
    };
}

mod crash;
mod disk;
mod import_crash;
mod outage;
mod stderr;

#[path = "../support/process.rs"]
mod process;

use std::path::Path;

pub use process::{bin, cli, free_port, Serve};

/// A tenant and a usr credential for it: (tenant id, bearer token).
pub fn usr_tenant(dir: &Path, db_url: &str) -> (i64, String) {
    let t = cli(dir, db_url, &["tenant", "create", "--name", "Acme"]);
    let tenant = t["tenant_id"].as_i64().unwrap();
    let c = cli(
        dir,
        db_url,
        &[
            "credential",
            "create",
            "--tenant",
            &tenant.to_string(),
            "--dialect",
            "usr",
        ],
    );
    (tenant, c["token"].as_str().unwrap().to_owned())
}

/// Creates user `name` through usr; its status (0 when no answer came).
pub async fn create_user(client: &reqwest::Client, base: &str, token: &str, name: &str) -> u16 {
    let body = serde_json::json!({
        "contactName": name, "emailAddress": format!("{name}@example.com"),
        "username": name, "password": "pw-of-the-test", "active": true, "defaultAccountId": 1,
    });
    match client
        .post(format!("{base}/usr/new"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
    {
        Ok(r) => r.status().as_u16(),
        Err(_) => 0,
    }
}
