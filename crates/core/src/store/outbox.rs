//! The email outbox: messages are written with the change that causes them and sent later.

use async_trait::async_trait;

use crate::error::CoreResult;
use crate::model::{QueuedEmail, Timestamp};

#[async_trait]
pub trait OutboxStore: Send + Sync {
    async fn due_emails(&self, now: Timestamp, limit: u32) -> CoreResult<Vec<QueuedEmail>>;
    /// Claims a message for sending until `lease_until`, so two gateways never send it twice.
    async fn claim_email(
        &self,
        id: i64,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> CoreResult<bool>;
    /// Marks a message sent and drops its body (recipient, subject, kind and times stay).
    /// Returns false if it was already marked (another gateway sent it).
    async fn mark_email_sent(&self, id: i64, now: Timestamp) -> CoreResult<bool>;
    async fn mark_email_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt: Timestamp,
    ) -> CoreResult<()>;
}
