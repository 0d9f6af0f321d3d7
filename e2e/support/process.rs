//! The real `rosetta` binary for the suites that run it as a process (the fault suite and the
//! browser suite): where it is, a free port, `rosetta serve` and one-shot CLI calls. Included
//! by each of those test targets with `#[path]`; each uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

/// The `rosetta` binary: `ROSETTA_BIN`, else the one beside this test's own directory
/// (`target/debug/rosetta` for `target/debug/deps/<suite>-*`).
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

/// Runs a `rosetta` command in `dir` and returns its output, whatever its status.
pub fn run(dir: &Path, db_url: &str, args: &[&str]) -> Output {
    Command::new(bin())
        .current_dir(dir)
        .env("ROSETTA_SECURITY_BCRYPT_COST", "4")
        .args(["--database-url", db_url])
        .args(args)
        .output()
        .unwrap()
}

/// Runs a `rosetta` command with `--json` and returns its object.
pub fn cli(dir: &Path, db_url: &str, args: &[&str]) -> serde_json::Value {
    let mut with_json = args.to_vec();
    with_json.push("--json");
    let out = run(dir, db_url, &with_json);
    assert!(out.status.success(), "{args:?}: {out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// One `rosetta serve` process.
pub struct Serve {
    pub child: Child,
    pub base: String,
}

impl Serve {
    /// Starts `rosetta serve` in `dir` (its `rosetta.toml`, if any) over `db_url` on a free
    /// port, stderr to `stderr`.
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

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Waits (30 s at most) until `/readyz` answers 200.
    pub async fn ready(&mut self, client: &reqwest::Client) {
        let started = Instant::now();
        loop {
            if let Ok(r) = client.get(self.url("/readyz")).send().await {
                if r.status() == 200 {
                    return;
                }
            }
            assert!(
                self.child.try_wait().unwrap().is_none(),
                "rosetta serve exited early"
            );
            assert!(started.elapsed() < Duration::from_secs(30), "never ready");
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
