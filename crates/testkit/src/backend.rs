//! The two databases every test runs on.

/// The PostgreSQL server tests may create databases on (`scripts/test` sets it).
pub const POSTGRES_ENV: &str = "ROSETTA_TEST_POSTGRES_URL";

/// Where a test runs: every HTTP test runs on both ([`crate::backend_tests!`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// SQLite always; PostgreSQL when [`POSTGRES_ENV`] names a server.
    pub fn available(self) -> bool {
        match self {
            Self::Sqlite => true,
            Self::Postgres => std::env::var(POSTGRES_ENV).is_ok_and(|v| !v.is_empty()),
        }
    }
}
