#![doc = include_str!("../README.md")]

pub mod bulk;
pub mod db;
pub mod error;
pub mod rows;
pub mod schema;
mod store;

pub use bulk::{BulkAudit, BulkUser};
pub use db::{run_migrations, Db, DbConn, DbUrl};
pub use error::StoreError;
pub use store::DieselStore;
