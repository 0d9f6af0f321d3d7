#![doc = include_str!("../README.md")]

mod asset_store;
mod audit_store;
mod bulk;
mod credential_store;
pub mod db;
mod diesel_store;
pub mod error;
pub mod explain;
mod group_store;
mod health;
mod import_batch;
mod login_store;
mod operator_store;
mod outbox_store;
mod query;
mod query_store;
mod rows;
pub mod schema;
mod search;
mod session_store;
#[cfg(test)]
mod single_read_tests;
mod tenant_store;
mod ticket_store;
mod usage_store;
mod user_batch;
mod user_list_store;
mod user_store;

pub use bulk::{BulkAudit, BulkUser};
pub use db::{run_migrations, Db, DbConn, DbUrl};
pub use diesel_store::{DieselStore, IMPORT_CHUNK};
pub use error::{StoreError, UniqueIndex};
pub use health::PROBE_INTERVAL;
