//! Connections, the pool and the one place blocking database work is sent off the async
//! workers.

use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::r2d2::{ManageConnection, Pool, R2D2Connection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::StoreError;
use crate::health::Health;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// One connection type for both backends, so queries are written once.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

/// The backend of [`DbConn`], for boxed queries written once for both.
pub(crate) type Backend = <DbConn as Connection>::Backend;

/// Runs code on the concrete connection behind a [`DbConn`]: the one way this crate does
/// something per backend (as vaultwarden's `db_run!`). Diesel's `MultiConnection` runs
/// single-row statements on either; multi-row INSERTs, transaction control and raw SQL need
/// the concrete connection.
///
/// `on_backend!(conn, |c| expr)` runs the same code on either backend, `on_backend!(conn,
/// sqlite |c| expr, postgres |c| expr)` different code on each.
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite($c) => $body,
            $crate::db::DbConn::Postgres($c) => $body,
        }
    };
    ($conn:expr, sqlite |$s:ident| $sqlite:expr, postgres |$p:ident| $postgres:expr $(,)?) => {
        match $conn {
            $crate::db::DbConn::Sqlite($s) => $sqlite,
            $crate::db::DbConn::Postgres($p) => $postgres,
        }
    };
}
pub(crate) use on_backend;

/// A database URL with its backend decided by scheme alone. `MultiConnection::establish` would
/// try each backend in turn, and SQLite happily opens a file named `postgres://...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    Sqlite(String),
    Postgres(String),
}

impl DbUrl {
    pub fn parse(url: &str) -> Result<Self, StoreError> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .ok_or_else(|| {
                StoreError::Url(format!(
                    "unsupported database URL '{}': use sqlite://PATH or postgres://...",
                    redact(url)
                ))
            })?;
        if path.is_empty() {
            return Err(StoreError::Url("sqlite:// needs a file path".into()));
        }
        Ok(Self::Sqlite(path.to_owned()))
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Self::Postgres(_))
    }

    /// The URL without its password, for logs and error messages.
    pub fn display(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{path}"),
            Self::Postgres(url) => redact(url),
        }
    }
}

fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

fn establish(url: &DbUrl) -> Result<DbConn, diesel::ConnectionError> {
    match url {
        DbUrl::Sqlite(path) => {
            let mut conn = SqliteConnection::establish(path)?;
            // WAL lets readers run beside the one writer; busy_timeout makes a writer wait for
            // the lock instead of failing; NORMAL is durable enough with WAL.
            conn.batch_execute(
                "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
                 PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
            )
            .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
            Ok(DbConn::Sqlite(conn))
        }
        DbUrl::Postgres(url) => Ok(DbConn::Postgres(PgConnection::establish(url)?)),
    }
}

/// Runs pending migrations over a connection of its own, before any pool exists.
pub fn run_migrations(url: &DbUrl) -> Result<usize, StoreError> {
    let mut conn = establish(url)?;
    let applied = on_backend!(
        &mut conn,
        sqlite
            | c
            | c.run_pending_migrations(SQLITE_MIGRATIONS)
                .map_err(|e| StoreError::Migration(e.to_string()))?
                .len(),
        postgres | c | {
            // Several gateways may start at once against one database.
            c.batch_execute("SELECT pg_advisory_lock(7463811)")?;
            let result = c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.len())
                .map_err(|e| StoreError::Migration(e.to_string()));
            c.batch_execute("SELECT pg_advisory_unlock(7463811)")?;
            result?
        }
    );
    Ok(applied)
}

pub struct Manager {
    url: DbUrl,
    health: Arc<Health>,
}

/// A pooled connection and whether it failed in a way that may mean it is dead.
///
/// Connections are not tested on checkout: that was a `SELECT 1` (a round trip on PostgreSQL)
/// before every query. Instead a connection that failed for any reason other than the data is
/// marked here and r2d2 drops it when it comes back, so the next checkout opens a fresh one.
pub struct PooledConn {
    conn: DbConn,
    suspect: bool,
}

impl ManageConnection for Manager {
    type Connection = PooledConn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<PooledConn, Self::Error> {
        let conn = establish(&self.url).map_err(|e| {
            self.health.mark_down(&e);
            diesel::r2d2::Error::ConnectionError(e)
        })?;
        Ok(PooledConn {
            conn,
            suspect: false,
        })
    }

    fn is_valid(&self, conn: &mut PooledConn) -> Result<(), Self::Error> {
        conn.conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut PooledConn) -> bool {
        conn.suspect || conn.conn.is_broken()
    }
}

/// Whether an error leaves the connection in doubt. Constraint violations, a missing row and
/// the domain outcomes decided inside a transaction say nothing about the connection; anything
/// else (a closed socket, a server restart, a failed rollback) might.
fn leaves_connection_in_doubt(e: &StoreError) -> bool {
    use diesel::result::{DatabaseErrorKind as K, Error as E};
    match e {
        StoreError::Core(_) | StoreError::Corrupt(_) | StoreError::Unique(_) => false,
        StoreError::Query(E::NotFound) => false,
        StoreError::Query(E::DatabaseError(kind, _)) => !matches!(
            kind,
            K::UniqueViolation | K::ForeignKeyViolation | K::NotNullViolation | K::CheckViolation
        ),
        _ => true,
    }
}

/// The pool and the way into it.
#[derive(Clone)]
pub struct Db {
    pool: Pool<Manager>,
    url: DbUrl,
    health: Arc<Health>,
}

/// How long a checkout waits for a connection while the database is not known to be down.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(5);

/// A checkout waits in slices this long, so a waiter learns within one slice that the
/// database went down meanwhile instead of waiting out [`CHECKOUT_TIMEOUT`].
const CHECKOUT_SLICE: Duration = Duration::from_millis(100);

/// A pooled connection, or [`StoreError::Down`] at once while the database is known down.
fn checkout(
    pool: &Pool<Manager>,
    health: &Health,
    timeout: Duration,
) -> Result<diesel::r2d2::PooledConnection<Manager>, StoreError> {
    let deadline = Instant::now() + timeout;
    loop {
        if health.is_down() {
            return Err(StoreError::Down);
        }
        let slice = CHECKOUT_SLICE.min(deadline.saturating_duration_since(Instant::now()));
        match pool.get_timeout(slice) {
            Ok(conn) => return Ok(conn),
            Err(e) if Instant::now() >= deadline => return Err(e.into()),
            Err(_) => {}
        }
    }
}

impl Db {
    /// Migrates, then builds the pool. Fails fast when the database cannot be reached (the
    /// migrations need a connection before anything else happens).
    ///
    /// Connections are opened on demand only (`min_idle` 0). r2d2 otherwise refills idle
    /// connections from its own threads, and a refill still inside libpq's TLS handshake when
    /// the process exits crashes it in OpenSSL's exit handler (seen as exit 139 from CLI runs).
    pub fn connect(url: &str, pool_size: u32) -> Result<Self, StoreError> {
        let url = DbUrl::parse(url)?;
        run_migrations(&url)?;
        let probed = url.clone();
        let health = Health::new(
            url.display(),
            Box::new(move || {
                let mut conn = establish(&probed).map_err(|e| e.to_string())?;
                conn.ping().map_err(|e| e.to_string())
            }),
        );
        let pool = Pool::builder()
            .max_size(pool_size.max(1))
            .min_idle(Some(0))
            .connection_timeout(CHECKOUT_TIMEOUT)
            .test_on_check_out(false)
            .build(Manager {
                url: url.clone(),
                health: health.clone(),
            })?;
        Ok(Self { pool, url, health })
    }

    pub fn url(&self) -> &DbUrl {
        &self.url
    }

    /// Whether the database is known down (checkouts fail at once while a probe runs).
    pub fn is_down(&self) -> bool {
        self.health.is_down()
    }

    /// (connections, idle) right now, for `/metrics`.
    pub fn pool_state(&self) -> (u32, u32) {
        let s = self.pool.state();
        (s.connections, s.idle_connections)
    }

    /// Takes a pooled connection and runs `f` with it on the blocking pool.
    pub async fn run<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let (pool, health) = (self.pool.clone(), self.health.clone());
        tokio::task::spawn_blocking(move || {
            let mut pooled = checkout(&pool, &health, CHECKOUT_TIMEOUT)?;
            let result = f(&mut pooled.conn);
            if let Err(e) = &result {
                pooled.suspect = leaves_connection_in_doubt(e);
            }
            result
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// Like [`Db::run`], inside one write transaction (`BEGIN IMMEDIATE` on SQLite, so two
    /// writers queue on the lock instead of failing when a read turns into a write).
    pub async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        self.run(move |conn| write_transaction(conn, f)).await
    }

    /// A quick check that the database answers (`/readyz`): a short wait for a connection.
    pub async fn ping(&self) -> Result<(), StoreError> {
        let (pool, health) = (self.pool.clone(), self.health.clone());
        tokio::task::spawn_blocking(move || {
            let mut pooled = checkout(&pool, &health, Duration::from_secs(2))?;
            if let Err(e) = pooled.conn.ping() {
                pooled.suspect = true;
                return Err(e.into());
            }
            Ok(())
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }
}

pub fn write_transaction<T, F>(conn: &mut DbConn, f: F) -> Result<T, StoreError>
where
    F: FnOnce(&mut DbConn) -> Result<T, StoreError>,
{
    on_backend!(
        &mut *conn,
        sqlite | c | AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        postgres | c | AnsiTransactionManager::begin_transaction(c)?,
    );
    match f(conn) {
        Ok(value) => {
            on_backend!(&mut *conn, |c| AnsiTransactionManager::commit_transaction(
                c
            ))?;
            Ok(value)
        }
        Err(e) => {
            let rolled_back =
                on_backend!(
                    &mut *conn,
                    |c| AnsiTransactionManager::rollback_transaction(c)
                );
            if let Err(rb) = rolled_back {
                tracing::error!(error = %rb, "rollback failed");
            }
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_decides_backend() {
        assert_eq!(
            DbUrl::parse("sqlite://rosetta.db").unwrap(),
            DbUrl::Sqlite("rosetta.db".into())
        );
        assert_eq!(
            DbUrl::parse("sqlite:///tmp/x.db").unwrap(),
            DbUrl::Sqlite("/tmp/x.db".into())
        );
        assert!(DbUrl::parse("postgres://u@h/db").unwrap().is_postgres());
        assert!(DbUrl::parse("postgresql://u@h/db").unwrap().is_postgres());
        assert!(DbUrl::parse("mysql://u@h/db").is_err());
        assert!(DbUrl::parse("rosetta.db").is_err());
    }

    /// `.cargo/config.toml` builds the bundled SQLite with QPSG and without STAT4; without
    /// them every cached single-row lookup is parsed again on each run.
    #[test]
    fn sqlite_is_built_for_cached_statements() {
        use diesel::sql_types::Integer;
        use diesel::RunQueryDsl;
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        let used = |conn: &mut SqliteConnection, option: &str| -> i32 {
            diesel::select(diesel::dsl::sql::<Integer>(&format!(
                "sqlite_compileoption_used('{option}')"
            )))
            .get_result(conn)
            .unwrap()
        };
        assert_eq!(used(&mut conn, "ENABLE_QPSG"), 1);
        assert_eq!(used(&mut conn, "ENABLE_STAT4"), 0);
        assert_eq!(used(&mut conn, "DEFAULT_MEMSTATUS=0"), 1);
    }

    #[test]
    fn passwords_are_redacted() {
        let u = DbUrl::parse("postgres://app:hunter2@db:5432/x").unwrap();
        assert_eq!(u.display(), "postgres://app:***@db:5432/x");
    }
}
