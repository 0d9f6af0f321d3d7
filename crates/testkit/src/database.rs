//! A fresh database per test: a SQLite file in a temporary directory, or a PostgreSQL database
//! cloned from a template migrated once per test process.

use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use diesel::{Connection, PgConnection, RunQueryDsl};
use rosetta_store::DbUrl;

use crate::backend::{Backend, POSTGRES_ENV};

/// One test's database, with a temporary directory for whatever else the test writes. Dropping
/// it drops the PostgreSQL database (and deletes the directory, with a SQLite file in it).
pub struct TestDatabase {
    backend: Backend,
    url: String,
    pg: Option<PgDatabase>,
    dir: tempfile::TempDir,
}

impl TestDatabase {
    /// A fresh, migrated database. Blocking (it talks to PostgreSQL): call it on the blocking
    /// pool from async code, or use [`TestDatabase::create_async`].
    pub fn create(backend: Backend) -> Self {
        Self::make(backend, true)
    }

    /// A database nothing has touched (on SQLite, no file yet), for a test of what the
    /// gateway does with one: create it, migrate it, two processes at once.
    pub fn empty(backend: Backend) -> Self {
        Self::make(backend, false)
    }

    fn make(backend: Backend, migrated: bool) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let (url, pg) = match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}", dir.path().join("rosetta.db").display());
                if migrated {
                    rosetta_store::run_migrations(&DbUrl::parse(&url).expect("sqlite URL"))
                        .expect("migrate the SQLite database");
                }
                (url, None)
            }
            Backend::Postgres => {
                let db = PgDatabase::create(migrated);
                (with_database(&db.admin_url, &db.name), Some(db))
            }
        };
        Self {
            backend,
            url,
            pg,
            dir,
        }
    }

    pub async fn create_async(backend: Backend) -> Self {
        tokio::task::spawn_blocking(move || Self::create(backend))
            .await
            .expect("provision the test database")
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The database URL, as `database.url` takes it.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The test's temporary directory (the SQLite file is `rosetta.db` in it).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The administrative URL and this database's name (None on SQLite), for a test that
    /// needs to act on the database from outside (terminate its connections, say).
    pub fn postgres(&self) -> Option<(&str, &str)> {
        self.pg
            .as_ref()
            .map(|p| (p.admin_url.as_str(), p.name.as_str()))
    }
}

/// A PostgreSQL database of one test, dropped with it.
struct PgDatabase {
    admin_url: String,
    name: String,
}

/// A migrated database to copy, made once per test process: `CREATE DATABASE .. TEMPLATE`
/// copies files, where migrating every test's database again runs every migration's SQL.
static TEMPLATE: OnceLock<Result<String, String>> = OnceLock::new();

impl PgDatabase {
    /// A copy of the migrated template, or (`migrated` false) an empty database.
    fn create(migrated: bool) -> Self {
        let admin_url = std::env::var(POSTGRES_ENV).expect("ROSETTA_TEST_POSTGRES_URL");
        let name = format!("rosetta_t_{}", uuid::Uuid::new_v4().simple());
        let mut conn =
            PgConnection::establish(&admin_url).expect("connect to ROSETTA_TEST_POSTGRES_URL");
        if !migrated {
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .expect("create a test database");
            return Self { admin_url, name };
        }
        let template = TEMPLATE
            .get_or_init(|| migrate_template(&admin_url))
            .as_ref()
            .unwrap_or_else(|e| panic!("the PostgreSQL test template: {e}"));
        // Another process of the same run may be migrating the template right now (it holds
        // a connection to it, which a copy refuses): wait for it, a little.
        let mut tries = 0;
        loop {
            let created = diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}"))
                .execute(&mut conn);
            match created {
                Ok(_) => break,
                Err(e) if tries < 50 && e.to_string().contains("being accessed by other users") => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => panic!("create a test database from {template}: {e}"),
            }
        }
        Self { admin_url, name }
    }
}

/// Makes (or brings up to date) the template of this run: named after the database of
/// `ROSETTA_TEST_POSTGRES_URL`, so that `scripts/test`, which makes that database per run,
/// drops it with it, and two runs side by side never share one. The advisory lock keeps two
/// processes of one run from making it at once.
fn migrate_template(admin_url: &str) -> Result<String, String> {
    let template = format!("{}_template", database_name(admin_url));
    let mut admin = PgConnection::establish(admin_url).map_err(|e| e.to_string())?;
    diesel::sql_query("SELECT pg_advisory_lock(7463812)")
        .execute(&mut admin)
        .map_err(|e| e.to_string())?;
    let made = (|| {
        let exists: i64 = diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
            "SELECT count(*) FROM pg_database WHERE datname = '{template}'"
        ))
        .get_result(&mut admin)
        .map_err(|e| e.to_string())?;
        if exists == 0 {
            diesel::sql_query(format!("CREATE DATABASE {template}"))
                .execute(&mut admin)
                .map_err(|e| e.to_string())?;
        }
        let url = with_database(admin_url, &template);
        rosetta_store::run_migrations(&DbUrl::parse(&url).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
        Ok(template)
    })();
    let _ = diesel::sql_query("SELECT pg_advisory_unlock(7463812)").execute(&mut admin);
    made
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

/// The name of the database a URL names (`postgres` when it names none).
fn database_name(url: &str) -> &str {
    let base = url.split_once('?').map_or(url, |(b, _)| b);
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    match base[scheme_end..].find('/') {
        Some(i) if i + 1 < base.len() - scheme_end => &base[scheme_end + i + 1..],
        _ => "postgres",
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

    #[test]
    fn database_name_is_read() {
        assert_eq!(database_name("postgres://u@h:5432/ci_1"), "ci_1");
        assert_eq!(database_name("postgres://u@h/ci?sslmode=disable"), "ci");
        assert_eq!(database_name("postgres://u@h"), "postgres");
        assert_eq!(database_name("postgres://u@h/"), "postgres");
    }
}
