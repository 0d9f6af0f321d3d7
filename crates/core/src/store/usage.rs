//! Calls counted per UTC day, tenant, dialect, caller, route and status class (`rosetta
//! usage`), added to by every replica.

use async_trait::async_trait;

use crate::error::CoreResult;
use crate::model::{Timestamp, UsageCount, UsageQuery};

#[async_trait]
pub trait UsageStore: Send + Sync {
    /// Adds each count to its day's bucket (calls summed, first and last seen widened).
    async fn record_usage(&self, counts: Vec<UsageCount>) -> CoreResult<()>;
    /// The daily buckets `query` selects.
    async fn usage(&self, query: UsageQuery) -> CoreResult<Vec<UsageCount>>;
    /// Deletes the buckets of days before `before`'s; how many went.
    async fn prune_usage(&self, before: Timestamp) -> CoreResult<u64>;
}
