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
mod outage;
mod stderr;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

/// The `rosetta` binary: `ROSETTA_BIN`, else the one beside this test's own directory
/// (`target/debug/rosetta` for `target/debug/deps/faults-*`).
pub fn bin() -> PathBuf {
    if let Ok(path) = std::env::var("ROSETTA_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().unwrap();
    let path = exe.parent().unwrap().parent().unwrap().join("rosetta");
    assert!(
        path.exists(),
        "{} is missing: cargo build -p rosetta-server --bin rosetta",
        path.display()
    );
    path
}

/// A local port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One `rosetta serve` process.
pub struct Serve {
    pub child: Child,
    pub base: String,
}

impl Serve {
    /// Starts `rosetta serve` in `dir` over `db_url` on a free port, stderr to `stderr`.
    pub fn start(dir: &Path, db_url: &str, stderr: Stdio) -> Self {
        let port = free_port();
        let child = Command::new(bin())
            .current_dir(dir)
            .arg("serve")
            .env("ROSETTA_DATABASE_URL", db_url)
            .env("ROSETTA_LISTEN", format!("127.0.0.1:{port}"))
            .env("ROSETTA_SECURITY_BCRYPT_COST", "4")
            .env("ROSETTA_SERVER_WORKERS", "2")
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap();
        Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Waits (20 s at most) until `/readyz` answers 200.
    pub async fn ready(&mut self, client: &reqwest::Client) {
        let started = Instant::now();
        loop {
            if let Ok(r) = client.get(format!("{}/readyz", self.base)).send().await {
                if r.status() == 200 {
                    return;
                }
            }
            assert!(
                self.child.try_wait().unwrap().is_none(),
                "rosetta serve exited early"
            );
            assert!(started.elapsed() < Duration::from_secs(20), "never ready");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn signal(&self, signal: &str) {
        let ok = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
    }

    /// Waits (20 s at most) for the process to exit.
    pub async fn exit(&mut self) -> ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no exit within 20 s"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a `rosetta` command with `--json` and returns its object.
pub fn cli(dir: &Path, db_url: &str, args: &[&str]) -> serde_json::Value {
    let out: Output = Command::new(bin())
        .current_dir(dir)
        .env("ROSETTA_SECURITY_BCRYPT_COST", "4")
        .args(["--database-url", db_url])
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

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
