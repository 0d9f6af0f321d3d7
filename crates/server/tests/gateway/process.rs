//! The `rosetta` binary as an operator runs it: serve, shutdown, start-up failures and the
//! administration commands, each against a real database.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use diesel::{Connection, PgConnection, RunQueryDsl};
use reqwest::Method;
use rosetta_core::{Actor, Cursor, UserFilter};
use rosetta_e2e::{gateway_config, TestGateway};
use rosetta_testkit::{backend_tests, Backend, TestDatabase};

use crate::{free_port, BIN};

pub(crate) fn rosetta(dir: &Path, db_url: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .env_remove("ROSETTA_DATABASE_URL")
        .env("ROSETTA_SECURITY_BCRYPT_COST", "4")
        .args(["--database-url", db_url])
        .args(args)
        .output()
        .unwrap()
}

fn one_line_error(out: &Output) -> String {
    assert!(!out.status.success(), "expected failure, got {out:?}");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err:?}");
    assert!(err.starts_with("rosetta: "), "{err}");
    err
}

pub(crate) fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn wait_ready(client: &reqwest::Client, base: &str, child: &mut Child) {
    let started = Instant::now();
    loop {
        if let Ok(r) = client.get(format!("{base}/readyz")).send().await {
            if r.status() == 200 {
                return;
            }
        }
        assert!(child.try_wait().unwrap().is_none(), "server exited early");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "server never became ready"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `rosetta serve` creates and migrates its database, answers, and stops cleanly on SIGTERM.
async fn serve_answers_and_stops_on_sigterm(backend: Backend) {
    let database = tokio::task::spawn_blocking(move || TestDatabase::empty(backend))
        .await
        .unwrap();
    let config = gateway_config(&database);
    let port = free_port();
    let mut cmd = Command::new(BIN);
    cmd.current_dir(database.dir())
        .arg("serve")
        .env("ROSETTA_LISTEN", format!("127.0.0.1:{port}"))
        .env("ROSETTA_SECURITY_BCRYPT_COST", "4")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    match backend {
        // The default: no URL at all, so `rosetta.db` in the working directory.
        Backend::Sqlite => cmd.env_remove("ROSETTA_DATABASE_URL"),
        Backend::Postgres => cmd.env("ROSETTA_DATABASE_URL", &config.database.url),
    };
    let mut child = cmd.spawn().unwrap();
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&client, &base, &mut child).await;
    let health = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    if backend == Backend::Sqlite {
        assert!(database.dir().join("rosetta.db").exists());
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    let exit = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "no exit after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(exit.code(), Some(0));
}

/// The administration commands, their `--json` output, and bad input refused in one line with
/// nothing half-written.
async fn admin_commands(backend: Backend) {
    let database = tokio::task::spawn_blocking(move || TestDatabase::empty(backend))
        .await
        .unwrap();
    let config = gateway_config(&database);
    let url = config.database.url.clone();
    let dir = database.dir();

    let out = rosetta(dir, &url, &["migrate", "--json"]);
    assert!(out.status.success(), "{out:?}");

    let t = json(&rosetta(
        dir,
        &url,
        &["tenant", "create", "--name", "Acme", "--json"],
    ));
    let tenant = t["tenant_id"].as_i64().unwrap();
    assert_eq!(t["company_id"], t["tenant_id"]);
    assert!(t["integration_key"].as_str().unwrap().len() >= 40);
    let tenant_s = tenant.to_string();

    let u = json(&rosetta(
        dir,
        &url,
        &[
            "user",
            "create",
            "--tenant",
            &tenant_s,
            "--username",
            "admin",
            "--email",
            "admin@example.com",
            "--password",
            "letmein",
            "--full-name",
            "Ada Admin",
            "--memorable-word",
            "aardvark",
            "--perms",
            "admin,keaz",
            "--json",
        ],
    ));
    assert!(u["user_id"].as_i64().unwrap() > 0);
    assert_eq!(u["uuid"].as_str().unwrap().len(), 36);

    let c = json(&rosetta(
        dir,
        &url,
        &[
            "credential",
            "create",
            "--tenant",
            &tenant_s,
            "--dialect",
            "usr",
            "--name",
            "erp",
            "--json",
        ],
    ));
    assert!(c["credential_id"].as_i64().unwrap() > 0);
    assert!(c["token"].as_str().unwrap().len() >= 40);

    let r = json(&rosetta(
        dir,
        &url,
        &[
            "role", "set", "--tenant", &tenant_s, "--number", "7", "--name", "Auditors", "--json",
        ],
    ));
    assert_eq!(r["number"], 7);

    // Bad input: one line, exit 1.
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "user",
                "create",
                "--tenant",
                "999",
                "--username",
                "x",
                "--email",
                "x@example.com",
                "--password",
                "p",
            ],
            "tenant 999 does not exist",
        ),
        (
            vec![
                "user",
                "create",
                "--tenant",
                &tenant_s,
                "--username",
                "ADMIN",
                "--email",
                "other@example.com",
                "--password",
                "p",
            ],
            "username",
        ),
        (
            vec![
                "user",
                "create",
                "--tenant",
                &tenant_s,
                "--username",
                "bob",
                "--email",
                "not-an-email",
                "--password",
                "p",
            ],
            "email",
        ),
        (
            vec![
                "user",
                "create",
                "--tenant",
                &tenant_s,
                "--username",
                "bob",
                "--email",
                "bob@example.com",
                "--password",
                "p",
                "--role-number",
                "99",
            ],
            "role",
        ),
        (
            vec![
                "credential",
                "create",
                "--tenant",
                "999",
                "--dialect",
                "usr",
            ],
            "tenant 999",
        ),
        (
            vec![
                "credential",
                "create",
                "--tenant",
                &tenant_s,
                "--dialect",
                "soap",
            ],
            "unknown dialect",
        ),
        (
            vec![
                "role", "set", "--tenant", "999", "--number", "3", "--name", "X",
            ],
            "tenant 999",
        ),
    ];
    for (args, needle) in cases {
        let err = one_line_error(&rosetta(dir, &url, &args));
        assert!(err.contains(needle), "{args:?}: {err}");
    }

    // Nothing half-written: still exactly the one user.
    let (directory, _db) = rosetta_server::app::open(&config, String::new())
        .await
        .unwrap();
    let page = directory
        .list_users(
            &Actor::cli(rosetta_core::TenantId(tenant)),
            &UserFilter::all(),
            Cursor::Start,
            100,
        )
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    let roles = directory
        .roles(rosetta_core::TenantId(tenant))
        .await
        .unwrap();
    assert_eq!(
        roles.iter().map(|r| r.number).collect::<Vec<_>>(),
        vec![2, 6, 7, 11]
    );
}

backend_tests!(serve_answers_and_stops_on_sigterm, admin_commands);

#[test]
fn unreachable_database_is_one_line_and_exit_1() {
    let tmp = tempfile::tempdir().unwrap();
    let err = one_line_error(&rosetta(
        tmp.path(),
        "postgres://nobody@127.0.0.1:1/nothing",
        &["serve"],
    ));
    assert!(err.contains("database"), "{err}");
    let err = one_line_error(&rosetta(tmp.path(), "mysql://x@y/z", &["serve"]));
    assert!(err.contains("unsupported database URL"), "{err}");
}

#[test]
fn port_in_use_is_one_line_and_exit_1() {
    let tmp = tempfile::tempdir().unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = Command::new(BIN)
        .current_dir(tmp.path())
        .env("ROSETTA_LISTEN", &addr)
        .arg("serve")
        .output()
        .unwrap();
    let err = one_line_error(&out);
    assert!(err.contains("cannot listen"), "{err}");
}

#[test]
fn bad_config_is_one_line_and_exit_1() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("bad.toml"),
        "[security]\nbcrypt_cost = 99\n",
    )
    .unwrap();
    let out = Command::new(BIN)
        .current_dir(tmp.path())
        .args(["--config", "bad.toml", "serve"])
        .output()
        .unwrap();
    let err = one_line_error(&out);
    assert!(err.contains("bcrypt_cost"), "{err}");
    std::fs::write(
        tmp.path().join("unknown.toml"),
        "[dialects.soap]\nenabled = true\n",
    )
    .unwrap();
    let out = Command::new(BIN)
        .current_dir(tmp.path())
        .args(["--config", "unknown.toml", "serve"])
        .output()
        .unwrap();
    let err = one_line_error(&out);
    assert!(err.contains("unknown dialect"), "{err}");
}

/// A database that goes away turns `/readyz` to 503, and it recovers by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_follows_the_database() {
    if !Backend::Postgres.available() {
        eprintln!(
            "{} is not set: readiness against a vanishing PostgreSQL not checked",
            rosetta_testkit::POSTGRES_ENV
        );
        return;
    }
    let app = TestGateway::start(Backend::Postgres).await;
    let (admin_url, name) = app
        .database
        .postgres()
        .map(|(u, n)| (u.to_owned(), n.to_owned()))
        .unwrap();
    let ready = || async {
        app.client
            .call(Method::GET, "/readyz", &[], None)
            .await
            .status
    };
    assert_eq!(ready().await, 200);

    let sql = |stmt: String| {
        let url = admin_url.clone();
        std::thread::spawn(move || {
            let mut c = PgConnection::establish(&url).unwrap();
            diesel::sql_query(stmt).execute(&mut c).unwrap();
        })
        .join()
        .unwrap();
    };
    sql(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"));
    sql(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
    ));
    assert_eq!(ready().await, 503);
    assert_eq!(
        app.client
            .call(Method::GET, "/healthz", &[], None)
            .await
            .status,
        200,
        "alive though not ready"
    );

    sql(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"));
    let started = Instant::now();
    while ready().await != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "readyz never recovered"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// `ROSETTA_LOG_FORMAT=json` makes every log line one JSON object.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs() {
    let tmp = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = Command::new(BIN)
        .current_dir(tmp.path())
        .arg("serve")
        .env_remove("ROSETTA_DATABASE_URL")
        .env("ROSETTA_LISTEN", format!("127.0.0.1:{port}"))
        .env("ROSETTA_LOG_FORMAT", "json")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    wait_ready(&client, &format!("http://127.0.0.1:{port}"), &mut child).await;
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 2, "{text}");
    for line in lines {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(
            v.get("level").is_some() && v.get("timestamp").is_some(),
            "{line}"
        );
    }
}

/// Calls through a dialect are counted and `rosetta usage` reports them, from another process.
async fn usage_counts_calls(backend: Backend) {
    let mut app = TestGateway::start(backend).await;
    for _ in 0..3 {
        let r = app
            .client
            .call(Method::GET, "/kashflow/users", &[], None)
            .await;
        assert_eq!(r.status, 401);
    }
    let r = app
        .client
        .call(Method::GET, "/kashflow/users/7", &[], None)
        .await;
    assert_eq!(r.status, 401);
    app.client.call(Method::GET, "/healthz", &[], None).await;
    app.stop().await; // flushes what is still in memory
    let url = app.config.database.url.clone();
    let out = rosetta(
        app.database.dir(),
        &url,
        &["usage", "--since", "1h", "--json"],
    );
    let v = json(&out);
    let calls = v["calls"].as_array().unwrap();
    let find = |route: &str| {
        calls
            .iter()
            .find(|c| c["route"] == route)
            .map(|c| c["calls"].as_i64().unwrap())
    };
    assert_eq!(find("/kashflow/users"), Some(3), "{v}");
    assert_eq!(find("/kashflow/users/{number}"), Some(1), "{v}");
    assert_eq!(
        find("/healthz"),
        None,
        "operational endpoints are not dialect usage"
    );
    assert_eq!(v["total"], 4);
    assert!(calls.iter().all(|c| c["dialect"] == "kashflow"));
    // Nobody authenticated: no tenant, caller `none`, every call a 4xx.
    assert!(calls
        .iter()
        .all(|c| c["caller"] == "none" && c["tenant"].is_null()));
    assert!(
        calls.iter().all(|c| c["statuses"].get("4xx").is_some()),
        "{v}"
    );
}

backend_tests!(usage_counts_calls);
