//! What the gateway itself does with the database besides serving dialects: sending the
//! outbox, recording usage and sweeping unfinished imports. Each is a small handle over the directory's store, so the
//! server holds these capabilities and never the store itself.

use std::sync::Arc;

use super::service::Directory;
use crate::crypto::SecretCipher;
use crate::error::CoreResult;
use crate::model::{
    CallerUsage, DailyUsage, EmailBody, OutboxEmail, QueuedEmail, RouteUsage, StoredBody,
    Timestamp, UsageCount, UsageQuery,
};
use crate::store::Store;

/// How long a message whose body this key cannot open waits before it is tried again (the
/// operator may yet configure the key it was sealed with).
const UNREADABLE_RETRY: chrono::Duration = chrono::Duration::hours(1);

/// The email outbox, for the sender that delivers it.
#[derive(Clone)]
pub struct Outbox {
    store: Arc<dyn Store>,
    cipher: SecretCipher,
}

impl Outbox {
    /// Unsent messages whose next attempt is due and that no sender holds a lease on, bodies
    /// unsealed. One sealed with another secret key is recorded as failed and left out.
    pub async fn due(&self, now: Timestamp, limit: u32) -> CoreResult<Vec<OutboxEmail>> {
        let mut due = Vec::new();
        for queued in self.store.due_emails(now, limit).await? {
            let QueuedEmail {
                id,
                tenant_id,
                to,
                subject,
                body,
                attempts,
                created_at,
            } = queued;
            let body = match body {
                StoredBody::Plain(body) => body,
                StoredBody::Sealed(sealed) => match self.cipher.decrypt(&sealed.0) {
                    Ok(text) => EmailBody::new(text),
                    Err(_) => {
                        tracing::warn!(id, "outbox: body cannot be decrypted with this secret key");
                        self.store
                            .mark_email_failed(
                                id,
                                "body cannot be decrypted with this security.secret_key",
                                now + UNREADABLE_RETRY,
                            )
                            .await?;
                        continue;
                    }
                },
            };
            due.push(OutboxEmail {
                id,
                tenant_id,
                to,
                subject,
                body,
                attempts,
                created_at,
            });
        }
        Ok(due)
    }

    /// Claims a message until `lease_until`; false when another sender has it.
    pub async fn claim(&self, id: i64, now: Timestamp, lease_until: Timestamp) -> CoreResult<bool> {
        self.store.claim_email(id, now, lease_until).await
    }

    /// Marks a message sent and drops its body; false when it was already marked.
    pub async fn mark_sent(&self, id: i64, now: Timestamp) -> CoreResult<bool> {
        self.store.mark_email_sent(id, now).await
    }

    /// Records a failed delivery and when to try again.
    pub async fn mark_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt: Timestamp,
    ) -> CoreResult<()> {
        self.store.mark_email_failed(id, error, next_attempt).await
    }
}

/// Calls counted per day, tenant, dialect, caller, route and status class (`rosetta usage`).
#[derive(Clone)]
pub struct Usage {
    store: Arc<dyn Store>,
}

impl Usage {
    /// Adds counts to their days' buckets.
    pub async fn record(&self, counts: Vec<UsageCount>) -> CoreResult<()> {
        self.store.record_usage(counts).await
    }

    /// Calls per tenant, dialect, caller and route; most calls first.
    pub async fn by_route(&self, query: UsageQuery) -> CoreResult<Vec<RouteUsage>> {
        Ok(RouteUsage::sum(&self.store.usage(query).await?))
    }

    /// One row per caller; the most recent first.
    pub async fn callers(&self, query: UsageQuery) -> CoreResult<Vec<CallerUsage>> {
        Ok(CallerUsage::sum(&self.store.usage(query).await?))
    }

    /// Calls per UTC day and dialect, oldest day first (the console's chart).
    pub async fn per_day(&self, query: UsageQuery) -> CoreResult<Vec<DailyUsage>> {
        Ok(DailyUsage::sum(&self.store.usage(query).await?))
    }

    /// Drops the buckets of days before `before`'s (`usage.retention`).
    pub async fn prune(&self, before: Timestamp) -> CoreResult<u64> {
        self.store.prune_usage(before).await
    }
}

/// Imports left unfinished by a gateway that died mid-import, for the background sweep.
#[derive(Clone)]
pub struct Imports {
    store: Arc<dyn Store>,
}

impl Imports {
    /// Removes every unfinished import whose last sign of life is older than `stale_before`
    /// (no reader ever saw its users); how many went.
    pub async fn sweep(&self, stale_before: Timestamp) -> CoreResult<u64> {
        self.store.sweep_imports(stale_before).await
    }
}

impl Directory {
    pub fn imports(&self) -> Imports {
        Imports {
            store: Arc::clone(&self.store),
        }
    }

    pub fn outbox(&self) -> Outbox {
        Outbox {
            store: Arc::clone(&self.store),
            cipher: self.cipher.clone(),
        }
    }

    pub fn usage(&self) -> Usage {
        Usage {
            store: Arc::clone(&self.store),
        }
    }
}
