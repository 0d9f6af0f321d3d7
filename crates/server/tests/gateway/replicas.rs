//! Scaling out: two `rosetta serve` processes on one PostgreSQL database, started at the same
//! moment on a fresh database. Sessions, temporary tokens, users and the email outbox live in
//! the database, so either process honours what the other issued, and an outbox message is
//! delivered once although both senders poll the same table and write into one `email.dir`.
//!
//! The dialect clients and the leak scan are the testkit's, as in the e2e suites: only this
//! package can start the `rosetta` binary.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use reqwest::Method;
use rosetta_testkit::callers::{Keaz, Kf};
use rosetta_testkit::{read_eml_dir, Backend, Client, TestDatabase, POSTGRES_ENV};
use serde_json::{json, Value};

use crate::{free_port, BIN};

/// One `rosetta serve`, JSON logs into `<dir>/<name>.log`.
struct Replica {
    child: Child,
    base: String,
    log: std::path::PathBuf,
}

impl Replica {
    fn start(dir: &Path, name: &str, db_url: &str) -> Self {
        let port = free_port();
        let log = dir.join(format!("{name}.log"));
        let child = Command::new(BIN)
            .current_dir(dir)
            .arg("serve")
            .env("ROSETTA_DATABASE_URL", db_url)
            .env("ROSETTA_LISTEN", format!("127.0.0.1:{port}"))
            .env("ROSETTA_SECURITY_BCRYPT_COST", "4")
            .env("ROSETTA_EMAIL_TRANSPORT", "file")
            .env("ROSETTA_EMAIL_DIR", dir.join("outbox"))
            .env("ROSETTA_EMAIL_POLL_INTERVAL", "100ms")
            .env("ROSETTA_LOG_FORMAT", "json")
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    async fn wait_ready(&mut self, client: &reqwest::Client) {
        let started = Instant::now();
        loop {
            if let Ok(r) = client.get(format!("{}/readyz", self.base)).send().await {
                if r.status() == 200 {
                    return;
                }
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("{} exited early ({status}): {}", self.base, self.log_text());
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{} never became ready: {}",
                self.base,
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn stop(mut self) -> String {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let started = Instant::now();
        let exit = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no exit after SIGTERM"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let log = self.log_text();
        assert_eq!(exit.code(), Some(0), "{log}");
        log
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        // A failed test must not leave a gateway running.
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn cli(dir: &Path, db_url: &str, args: &[&str]) -> Value {
    let out: Output = Command::new(BIN)
        .current_dir(dir)
        .env_remove("ROSETTA_DATABASE_URL")
        .env("ROSETTA_SECURITY_BCRYPT_COST", "4")
        .args(["--database-url", db_url])
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Outbox ids the log says this process delivered.
fn sent_ids(log: &str) -> Vec<i64> {
    log.lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| {
            let fields = v.get("fields").unwrap_or(&v);
            (fields["message"] == "outbox: sent").then(|| fields["id"].as_i64().unwrap())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_gateways_share_one_postgres() {
    if !Backend::Postgres.available() {
        eprintln!("{POSTGRES_ENV} is not set: the two-gateways-on-one-PostgreSQL test was not run");
        return;
    }
    let database = tokio::task::spawn_blocking(|| TestDatabase::empty(Backend::Postgres))
        .await
        .unwrap();
    let url = database.url().to_owned();
    let dir = database.dir();

    // Both start at once on a database neither has migrated yet.
    let mut one = Replica::start(dir, "one", &url);
    let mut two = Replica::start(dir, "two", &url);
    let client = reqwest::Client::new();
    one.wait_ready(&client).await;
    two.wait_ready(&client).await;

    // The first administrator, as an operator makes it (on the same database, while both run).
    let password = "Repl1ca-Adm1n";
    let word = "pineapple";
    let tenant = cli(dir, &url, &["tenant", "create", "--name", "Acme"]);
    let tenant = tenant["tenant_id"].to_string();
    cli(
        dir,
        &url,
        &[
            "user",
            "create",
            "--tenant",
            &tenant,
            "--username",
            "root",
            "--email",
            "root@acme.test",
            "--password",
            password,
            "--memorable-word",
            word,
            "--role-number",
            "6",
            "--perms",
            "admin,keaz",
        ],
    );

    let gw1 = Client::new(one.base.clone());
    let gw2 = gw1.at(two.base.clone());
    gw1.secret(password);
    gw1.secret(word);

    // kashflow: a login begun on one is finished on the other, and the session works on both.
    let step1 = Kf::start(&gw1, "root", password).await.expect(200);
    let step2 = Kf::finish(&gw2, &step1, word).await.expect(200);
    let session = step2["SessionToken"].as_str().unwrap();
    let kf1 = Kf::with_token(&gw1, session);
    let kf2 = Kf::with_token(&gw2, session);
    assert_eq!(
        kf1.get("/users").await.expect(200),
        kf2.get("/users").await.expect(200)
    );
    let kf_other = Kf::login(&gw2, "root", password, word).await;
    kf_other.get("/users").await.expect(200);
    Kf::with_token(&gw1, &kf_other.token)
        .get("/users")
        .await
        .expect(200);

    // keaz: a token issued by one works on the other.
    let keaz2 = Keaz::login(&gw2, "root@acme.test", password).await;
    let keaz1 = Keaz {
        gw: gw1.clone(),
        token: keaz2.token.clone(),
    };
    keaz1.send(Method::GET, "/users", None).await.expect(200);

    // A user created through one is read through the other, in both dialects.
    let user_pw = gw1.secret("Made-On-One");
    let created = kf1
        .send(
            Method::POST,
            "/users",
            Some(
                &json!({"Email": "made@acme.test", "FullName": "Made On One",
                         "Password": user_pw, "RoleNumber": 2, "Username": "made",
                         "MemorableWord": "abcdef"}),
            ),
        )
        .await
        .expect(201);
    let id = created["Number"].as_i64().unwrap();
    assert_eq!(kf2.user(id).await.expect(200), created);
    let z = keaz2.user(id).await.expect(200);
    assert_eq!(
        (z["name"].as_str(), z["status"].as_str()),
        (Some("Made On One"), Some("active"))
    );
    // A change through two shows on one; its login works on one.
    keaz2
        .send(
            Method::PUT,
            &format!("/user/{id}"),
            Some(&json!({"name": "Made On Two"})),
        )
        .await
        .expect(200);
    assert_eq!(kf1.user(id).await.expect(200)["FullName"], "Made On Two");
    Keaz::login(&gw1, "made@acme.test", &user_pw).await;
    // A logout on one ends the session on two.
    kf_other
        .gw
        .call(
            Method::DELETE,
            "/kashflow/sessiontoken",
            &[("Authorization", &format!("KfToken {}", kf_other.token))],
            None,
        )
        .await;
    let r = Kf::with_token(&gw1, &kf_other.token).get("/users").await;
    assert_eq!(r.expect(401)["Error"], "InvalidSessionToken");

    // The outbox: 1 + 20 activation emails, written through both; each delivered exactly once.
    keaz1
        .send(
            Method::POST,
            "/user",
            Some(&json!({"name": "Pat Pending", "email": "pat@acme.test"})),
        )
        .await
        .expect(201);
    let mut csv = String::from("name,email\n");
    for i in 0..20 {
        csv.push_str(&format!("Imported {i},imp{i}@acme.test\n"));
    }
    let imported = keaz2
        .send_raw(Method::POST, "/import/users", "text/csv", &csv)
        .await;
    assert_eq!(imported.expect(201).as_array().unwrap().len(), 20);
    let outbox = dir.join("outbox");
    let started = Instant::now();
    loop {
        let n = read_eml_dir(&outbox).len();
        if n >= 21 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "only {n} of 21 emails sent"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Several more polls of both senders: nothing is sent again.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let emails = read_eml_dir(&outbox);
    let mut per_recipient: BTreeMap<String, usize> = BTreeMap::new();
    for e in &emails {
        *per_recipient.entry(e.to.clone()).or_default() += 1;
    }
    assert_eq!(emails.len(), 21, "{per_recipient:?}");
    assert!(per_recipient.values().all(|n| *n == 1), "{per_recipient:?}");

    gw1.assert_no_leaks();
    let (log1, log2) = (one.stop().await, two.stop().await);
    // The file transport skips a file that exists, so the logs (not the files) tell whether a
    // message was delivered twice.
    let (sent1, sent2) = (sent_ids(&log1), sent_ids(&log2));
    let mut all: Vec<i64> = sent1.iter().chain(&sent2).copied().collect();
    all.sort_unstable();
    let before = all.len();
    all.dedup();
    assert_eq!(
        before,
        all.len(),
        "delivered twice: one {sent1:?}, two {sent2:?}"
    );
    assert_eq!(all.len(), 21, "one {sent1:?}, two {sent2:?}");
    eprintln!(
        "outbox: replica one sent {}, replica two {}",
        sent1.len(),
        sent2.len()
    );
}
