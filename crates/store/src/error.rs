//! The store's error type; it becomes a [`CoreError`] at the trait boundary.

use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind, Error as DieselError};
use rosetta_core::{CoreError, UniqueField};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    /// A unique index refused a write.
    #[error("unique violation: {0:?}")]
    Unique(UniqueIndex),
    #[error("database: {0}")]
    Query(DieselError),
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

/// The unique indexes a write can run into, by the name each backend gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UniqueIndex {
    UserUsername,
    UserEmail,
    UserExternalId,
    GroupDisplayName,
    GroupExternalId,
    /// Any other (a uuid, a token hash, a settings key): named as the database named it.
    Other(String),
}

/// Each index the core has a field for: its name (PostgreSQL reports it as the constraint)
/// and its columns (SQLite reports no name, only `UNIQUE constraint failed: <columns>`).
const USER_INDEXES: [(UniqueIndex, &str, &str); 5] = [
    (
        UniqueIndex::UserUsername,
        "users_tenant_username_key_idx",
        "users.tenant_id, users.username_key",
    ),
    (
        UniqueIndex::UserEmail,
        "users_tenant_email_key_idx",
        "users.tenant_id, users.email_key",
    ),
    (
        UniqueIndex::UserExternalId,
        "users_tenant_external_id_idx",
        "users.tenant_id, users.external_id",
    ),
    (
        UniqueIndex::GroupDisplayName,
        "groups_tenant_display_key_idx",
        "groups.tenant_id, groups.display_key",
    ),
    (
        UniqueIndex::GroupExternalId,
        "groups_tenant_external_id_idx",
        "groups.tenant_id, groups.external_id",
    ),
];

/// SQLite's fixed text for a unique violation, before the columns.
const SQLITE_UNIQUE: &str = "UNIQUE constraint failed: ";

impl UniqueIndex {
    fn of(info: &dyn DatabaseErrorInformation) -> Self {
        let name = info.constraint_name();
        let columns = info.message().strip_prefix(SQLITE_UNIQUE);
        USER_INDEXES
            .iter()
            .find(|(_, index, cols)| name == Some(*index) || columns == Some(*cols))
            .map(|(which, ..)| which.clone())
            .unwrap_or_else(|| Self::Other(name.or(columns).unwrap_or("?").to_owned()))
    }
}

impl From<DieselError> for StoreError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                Self::Unique(UniqueIndex::of(info.as_ref()))
            }
            other => Self::Query(other),
        }
    }
}

impl From<StoreError> for CoreError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Core(core) => core,
            StoreError::Unique(UniqueIndex::UserUsername) => {
                CoreError::Conflict(UniqueField::Username)
            }
            StoreError::Unique(UniqueIndex::UserEmail) => CoreError::Conflict(UniqueField::Email),
            StoreError::Unique(UniqueIndex::UserExternalId) => {
                CoreError::Conflict(UniqueField::ExternalId)
            }
            StoreError::Unique(UniqueIndex::GroupDisplayName) => {
                CoreError::Conflict(UniqueField::GroupDisplayName)
            }
            StoreError::Unique(UniqueIndex::GroupExternalId) => {
                CoreError::Conflict(UniqueField::GroupExternalId)
            }
            StoreError::Unique(UniqueIndex::Other(index)) => {
                CoreError::Internal(format!("unique violation: {index}"))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What PostgreSQL reports: the index by name.
    struct Pg(&'static str);

    impl DatabaseErrorInformation for Pg {
        fn message(&self) -> &str {
            "duplicate key value violates unique constraint"
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            Some("users")
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            Some(self.0)
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    fn unique(info: impl DatabaseErrorInformation + Send + Sync + 'static) -> CoreError {
        StoreError::from(DieselError::DatabaseError(
            DatabaseErrorKind::UniqueViolation,
            Box::new(info),
        ))
        .into()
    }

    #[test]
    fn unique_violations_name_their_field_on_both_backends() {
        for (field, index, columns) in [
            (
                UniqueField::Username,
                "users_tenant_username_key_idx",
                "users.tenant_id, users.username_key",
            ),
            (
                UniqueField::Email,
                "users_tenant_email_key_idx",
                "users.tenant_id, users.email_key",
            ),
            (
                UniqueField::ExternalId,
                "users_tenant_external_id_idx",
                "users.tenant_id, users.external_id",
            ),
            (
                UniqueField::GroupDisplayName,
                "groups_tenant_display_key_idx",
                "groups.tenant_id, groups.display_key",
            ),
            (
                UniqueField::GroupExternalId,
                "groups_tenant_external_id_idx",
                "groups.tenant_id, groups.external_id",
            ),
        ] {
            let pg = unique(Pg(index));
            assert!(matches!(pg, CoreError::Conflict(f) if f == field), "{pg:?}");
            let sqlite = unique(format!("{SQLITE_UNIQUE}{columns}"));
            assert!(
                matches!(sqlite, CoreError::Conflict(f) if f == field),
                "{sqlite:?}"
            );
        }
        // Another index is no conflict of a user field, whatever its name contains.
        assert!(matches!(
            unique(Pg("users_uuid_idx")),
            CoreError::Internal(_)
        ));
        assert!(matches!(
            unique(format!("{SQLITE_UNIQUE}settings.key")),
            CoreError::Internal(_)
        ));
    }
}
