#![doc = include_str!("../README.md")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use diesel::{Connection, PgConnection, RunQueryDsl};
use rosetta_core::{
    Actor, CreateCredentialRequest, CreateUserRequest, Directory, NameInput, NewUser, Onboarding,
    TenantId, User,
};
use rosetta_server::{Config, Gateway};

pub use rosetta_core;
pub use rosetta_server;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const POSTGRES_ENV: &str = "ROSETTA_TEST_POSTGRES_URL";

impl Backend {
    pub fn available(self) -> bool {
        match self {
            Self::Sqlite => true,
            Self::Postgres => std::env::var(POSTGRES_ENV).is_ok_and(|v| !v.is_empty()),
        }
    }
}

/// Runs each named `async fn(Backend)` on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::Backend::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if $crate::Backend::Postgres.available() {
                    super::$name($crate::Backend::Postgres).await;
                } else {
                    eprintln!("{} is not set: the PostgreSQL run of this test was not made", $crate::POSTGRES_ENV);
                }
            }
        }
    )+};
}

/// A fresh PostgreSQL database, dropped when the test is done.
struct PgDatabase {
    admin_url: String,
    name: String,
}

impl PgDatabase {
    fn create() -> (Self, String) {
        let admin_url = std::env::var(POSTGRES_ENV).expect("ROSETTA_TEST_POSTGRES_URL");
        let name = format!("rosetta_t_{}", uuid::Uuid::new_v4().simple());
        let mut conn =
            PgConnection::establish(&admin_url).expect("connect to ROSETTA_TEST_POSTGRES_URL");
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .expect("create test database");
        let url = with_database(&admin_url, &name);
        (Self { admin_url, name }, url)
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (url, name) = (self.admin_url.clone(), self.name.clone());
        // A thread of its own: Drop may run inside the async runtime.
        let _ = std::thread::spawn(move || {
            if let Ok(mut conn) = PgConnection::establish(&url) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn);
            }
        })
        .join();
    }
}

/// The URL with its database name replaced.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let root = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

pub struct TestApp {
    pub backend: Backend,
    pub addr: SocketAddr,
    pub config: Config,
    pub client: reqwest::Client,
    pub directory: Arc<Directory>,
    pub dir: PathBuf,
    gateway: Option<Gateway>,
    _pg: Option<PgDatabase>,
    _tmp: tempfile::TempDir,
}

/// A test configuration: port 0, bcrypt cost 4, files in `tmp`.
pub fn test_config(backend: Backend, tmp: &std::path::Path) -> (Config, Option<PgDatabaseHandle>) {
    let mut config = Config::default();
    config.server.listen = "127.0.0.1:0".into();
    config.server.workers = Some(2);
    config.server.shutdown_timeout = std::time::Duration::from_secs(5);
    config.security.bcrypt_cost = 4;
    config.database.pool_size = Some(4);
    config.email.dir = tmp.join("outbox");
    config.email.poll_interval = std::time::Duration::from_millis(100);
    let pg = match backend {
        Backend::Sqlite => {
            config.database.url = format!("sqlite://{}", tmp.join("rosetta.db").display());
            None
        }
        Backend::Postgres => {
            let (db, url) = PgDatabase::create();
            config.database.url = url;
            Some(PgDatabaseHandle(db))
        }
    };
    (config, pg)
}

/// Keeps a test PostgreSQL database alive; dropping it drops the database.
pub struct PgDatabaseHandle(PgDatabase);

impl PgDatabaseHandle {
    pub fn name(&self) -> &str {
        &self.0.name
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// Boots the gateway with a fresh database after `adjust` has changed the test configuration.
pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (mut config, pg) = tokio::task::spawn_blocking({
        let path = tmp.path().to_owned();
        move || test_config(backend, &path)
    })
    .await
    .expect("provision database");
    adjust(&mut config);
    let gateway = rosetta_server::start(&config)
        .await
        .expect("gateway starts");
    let addr = gateway.main_addr().expect("main listener");
    TestApp {
        backend,
        addr,
        directory: gateway.directory.clone(),
        client: reqwest::Client::builder().build().expect("client"),
        dir: tmp.path().to_owned(),
        config,
        gateway: Some(gateway),
        _pg: pg.map(|h| h.0),
        _tmp: tmp,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Addresses of every listener ("main" and dialects with their own).
    pub fn gateway(&self) -> &Gateway {
        self.gateway.as_ref().expect("running")
    }

    /// The name of this test's PostgreSQL database (None on SQLite).
    pub fn pg_database(&self) -> Option<(&str, &str)> {
        self._pg
            .as_ref()
            .map(|p| (p.admin_url.as_str(), p.name.as_str()))
    }

    /// Stops the gateway gracefully.
    pub async fn stop(&mut self) {
        if let Some(g) = self.gateway.take() {
            g.stop().await;
        }
    }

    /// A tenant and its v2 integration key.
    pub async fn tenant(&self, name: &str) -> (TenantId, String) {
        let (t, key) = self.directory.create_tenant(name).await.expect("tenant");
        (t.id, key)
    }

    /// An active user created as an operator would, with the CLI's defaults (role 6).
    pub async fn user(
        &self,
        tenant: TenantId,
        username: &str,
        email: &str,
        password: &str,
    ) -> User {
        self.user_with(tenant, username, email, password, |_| {})
            .await
    }

    pub async fn user_with(
        &self,
        tenant: TenantId,
        username: &str,
        email: &str,
        password: &str,
        adjust: impl FnOnce(&mut NewUser),
    ) -> User {
        let mut new = NewUser::new(email, NameInput::Full(username.to_owned()));
        new.username = Some(username.to_owned());
        new.password = Some(password.to_owned());
        new.role_number = Some(6);
        adjust(&mut new);
        self.directory
            .create_user(
                &Actor::cli(tenant),
                CreateUserRequest {
                    user: new,
                    onboarding: Onboarding::Plain,
                },
            )
            .await
            .expect("user")
    }

    /// A machine credential of `dialect` (e.g. usr's bearer token).
    pub async fn credential(&self, tenant: TenantId, dialect: &str) -> String {
        self.directory
            .create_credential(CreateCredentialRequest {
                tenant,
                dialect,
                name: Some("test"),
            })
            .await
            .expect("credential")
            .1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_name_is_replaced() {
        assert_eq!(
            with_database("postgres://u@h:5432/ci", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            with_database("postgres://u@h/ci?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}

/// A message the file transport wrote (`email.dir`), read back for assertions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentEmail {
    pub file: String,
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl SentEmail {
    /// The activation ticket: the last path segment of the first `http` link in the body.
    pub fn ticket(&self) -> Option<String> {
        let link = self
            .body
            .split_whitespace()
            .find(|w| w.starts_with("http"))?;
        link.trim_end_matches('/')
            .rsplit('/')
            .next()
            .map(str::to_owned)
    }
}

fn parse_eml(file: String, text: &str) -> SentEmail {
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((text, ""));
    let header = |name: &str| {
        head.lines()
            .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_owned()))
            .unwrap_or_default()
    };
    let body = if header("Content-Transfer-Encoding:").eq_ignore_ascii_case("quoted-printable") {
        decode_quoted_printable(body)
    } else {
        body.to_owned()
    };
    SentEmail {
        file,
        to: header("To:"),
        subject: header("Subject:"),
        body: body.replace("\r\n", "\n"),
    }
}

/// Enough of RFC 2045 quoted-printable for assertions: soft breaks and `=XX` escapes.
fn decode_quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl TestApp {
    /// Every message the file transport has written so far, oldest first.
    pub fn emails(&self) -> Vec<SentEmail> {
        read_eml_dir(&self.config.email.dir)
    }

    /// Waits (up to 10 s) until at least `n` messages have been written; returns them all.
    pub async fn wait_for_emails(&self, n: usize) -> Vec<SentEmail> {
        for _ in 0..100 {
            let found = self.emails();
            if found.len() >= n {
                return found;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        self.emails()
    }
}

/// Every `.eml` file in `dir` (the file transport's `email.dir`, or what a test's own SMTP
/// server stored), oldest first by file name. Bare LF line ends are accepted, since the SMTP
/// sink writes them where the file transport writes CRLF.
pub fn read_eml_dir(dir: &std::path::Path) -> Vec<SentEmail> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".eml") && !n.starts_with('.'))
        .collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|n| {
            let text = std::fs::read_to_string(dir.join(&n)).ok()?;
            let text = text.replace("\r\n", "\n").replace('\n', "\r\n");
            Some(parse_eml(n, &text))
        })
        .collect()
}
