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
}

impl DieselStore {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            roles: Arc::default(),
        }
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
