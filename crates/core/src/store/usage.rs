//! Calls counted per minute, dialect, credential and route (`rosetta usage`).

use async_trait::async_trait;

use crate::error::CoreResult;
use crate::model::{Timestamp, UsageCount};

#[async_trait]
pub trait UsageStore: Send + Sync {
    /// Adds counts to the minute `bucket` starts.
    async fn record_usage(&self, bucket: Timestamp, counts: Vec<UsageCount>) -> CoreResult<()>;
    /// Sums per dialect, credential and route since `since`, most calls first.
    async fn usage_since(&self, since: Timestamp) -> CoreResult<Vec<UsageCount>>;
}
