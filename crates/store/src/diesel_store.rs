//! `rosetta_core::Store` over Diesel. Each capability trait is implemented in a file of its
//! own (`*_store.rs`); each method is one closure run by [`Db`], and writes are one
//! transaction each, so an audit row, ticket or email never outlives a change that failed.

use std::sync::Arc;

use async_trait::async_trait;
use rosetta_core::{CoreResult, Store};

use crate::db::Db;
use crate::rows::tenants::RoleCache;

pub struct DieselStore {
    pub(crate) db: Db,
    pub(crate) roles: Arc<RoleCache>,
    /// Users per write transaction of a big import on SQLite (`crate::user_batch`).
    pub(crate) import_chunk: usize,
}

/// Users per write transaction of a big import on SQLite: 100 chunks of 1,000 wrote 100,000
/// users in 2.2 s (Python's sqlite3 over this schema), each holding the lock about 20 ms.
pub const IMPORT_CHUNK: usize = 1_000;

impl DieselStore {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            roles: Arc::default(),
            import_chunk: IMPORT_CHUNK,
        }
    }

    /// The store with big imports written `users` at a time (at least 1): a test's way to
    /// have many chunks from a few users.
    pub fn with_import_chunk(mut self, users: usize) -> Self {
        self.import_chunk = users.max(1);
        self
    }

    pub fn db(&self) -> &Db {
        &self.db
    }
}

#[async_trait]
impl Store for DieselStore {
    async fn ping(&self) -> CoreResult<()> {
        Ok(self.db.ping().await?)
    }
}
