//! The store's error type; it becomes a [`CoreError`] at the trait boundary.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use rosetta_core::{CoreError, UniqueField};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Query(#[from] DieselError),
    #[error("cannot connect to the database: {0}")]
    Connection(#[from] diesel::ConnectionError),
    #[error("no database connection: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("{0}")]
    Url(String),
    #[error("stored row is not readable: {0}")]
    Corrupt(String),
    #[error("blocking task failed: {0}")]
    Task(String),
    /// A domain outcome decided inside a transaction (rolls it back).
    #[error(transparent)]
    Core(#[from] CoreError),
}

fn unique_field(text: &str) -> Option<UniqueField> {
    if text.contains("email_key") {
        Some(UniqueField::Email)
    } else if text.contains("username_key") {
        Some(UniqueField::Username)
    } else if text.contains("external_id") {
        Some(UniqueField::ExternalId)
    } else {
        None
    }
}

impl From<StoreError> for CoreError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Core(core) => core,
            StoreError::Query(DieselError::DatabaseError(
                DatabaseErrorKind::UniqueViolation,
                info,
            )) => {
                // PostgreSQL names the index; SQLite names the columns in its message.
                let text = format!(
                    "{} {}",
                    info.constraint_name().unwrap_or(""),
                    info.message()
                );
                match unique_field(&text) {
                    Some(field) => CoreError::Conflict(field),
                    None => CoreError::Internal(format!("unique violation: {}", info.message())),
                }
            }
            StoreError::Query(DieselError::NotFound) => CoreError::NotFound,
            StoreError::Pool(_) | StoreError::Connection(_) => {
                CoreError::Unavailable(e.to_string())
            }
            StoreError::Query(DieselError::DatabaseError(_, _)) => {
                CoreError::Unavailable(e.to_string())
            }
            other => CoreError::Internal(other.to_string()),
        }
    }
}
