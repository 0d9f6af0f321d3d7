//! Tasks that run beside the listeners for as long as the gateway does: the email outbox
//! sender, the usage flush and prune, and the sweep of unfinished imports.
//!
//! Messages are written to the outbox in the same transaction as the change that causes them,
//! so nothing is lost while the mail server (or this process) is down. The sender claims each
//! message with a lease before delivering it, so two gateways on one database never send the
//! same one, and the file transport names each file after the message id, so a crash between
//! writing and marking it sent cannot write it twice.
//!
//! Each round takes a batch of due messages from the tenants in turn (the store's fair
//! order) and delivers up to `email.send_concurrency` at once over pooled SMTP connections, so
//! one tenant's 100,000 imported users do not hold back another tenant's one activation mail:
//! that one is in the next round.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use futures_util::stream::{self, StreamExt};
use lettre::message::header::ContentType;
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use rosetta_core::{Directory, Outbox, OutboxEmail};

use actix_web::web;

use crate::config::Config;
use crate::metrics::Metrics;

/// How long a claimed message is ours before another sender may try it.
const LEASE: Duration = Duration::from_secs(120);

/// How often counted calls are added to the usage table.
const USAGE_FLUSH: Duration = Duration::from_secs(5);

/// How often days past `usage.retention`, and login failures past their retention, are pruned
/// (by every replica: deleting is idempotent).
const USAGE_PRUNE: Duration = Duration::from_secs(3600);

/// How long a login name's failures are kept after its last one (pruned with the usage
/// days): far beyond any lockout, so pruning never unlocks a name early.
const LOGIN_FAILURE_RETENTION: Duration = Duration::from_secs(30 * 24 * 3600);

/// The longest wait between two sweeps of unfinished imports.
const IMPORT_SWEEP: Duration = Duration::from_secs(60);

/// Adds the calls counted in memory to their daily buckets, one batch per flush (never a
/// database round trip per request).
pub async fn flush_usage(directory: &Directory, metrics: &Metrics) {
    let counts = metrics.take_usage();
    if counts.is_empty() {
        return;
    }
    if let Err(e) = directory.usage().record(counts).await {
        tracing::warn!(error = %e, "usage: cannot record calls");
    }
}

async fn prune_usage(directory: Arc<Directory>, retention: Duration) {
    let mut tick = tokio::time::interval(USAGE_PRUNE);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let before = Utc::now() - chrono::Duration::from_std(retention).unwrap_or_default();
        match directory.usage().prune(before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(buckets = n, "usage: pruned days past usage.retention"),
            Err(e) => tracing::warn!(error = %e, "usage: cannot prune"),
        }
        match directory
            .prune_login_failures(LOGIN_FAILURE_RETENTION)
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(names = n, "logins: pruned failures older than 30 days"),
            Err(e) => tracing::warn!(error = %e, "logins: cannot prune failures"),
        }
    }
}

/// Removes the imports a gateway left unfinished (killed mid-import), once their heartbeat is
/// older than `stale`: at start, then every `stale` (at least every minute). By every
/// replica: removing is idempotent, and a live import's heartbeat is never that old.
async fn sweep_imports(directory: Arc<Directory>, stale: Duration) {
    let mut tick = tokio::time::interval(stale.clamp(Duration::from_secs(1), IMPORT_SWEEP));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let before = Utc::now() - chrono::Duration::from_std(stale).unwrap_or_default();
        match directory.imports().sweep(before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(imports = n, "import: removed unfinished imports"),
            Err(e) => tracing::warn!(error = %e, "import: cannot sweep unfinished imports"),
        }
    }
}

pub fn spawn(
    config: &Config,
    directory: Arc<Directory>,
    metrics: web::Data<Metrics>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let usage_dir = directory.clone();
    let prune = tokio::spawn(prune_usage(directory.clone(), config.usage.retention));
    let sweep = tokio::spawn(sweep_imports(directory.clone(), config.limits.import_stale));
    let usage = tokio::spawn(async move {
        let mut tick = tokio::time::interval(USAGE_FLUSH);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            flush_usage(&usage_dir, &metrics).await;
        }
    });
    let transport = match config.email.transport.as_str() {
        "smtp" => Transport::Smtp(
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.email.smtp_host)
                .port(config.email.smtp_port)
                .timeout(Some(Duration::from_secs(10)))
                .pool_config(
                    PoolConfig::new()
                        .max_size(u32::try_from(config.email.send_concurrency).unwrap_or(1)),
                )
                .build(),
        ),
        _ => Transport::File(config.email.dir.clone()),
    };
    let sender = Sender {
        outbox: directory.outbox(),
        transport,
        from: config.email.from.clone(),
        poll: config.email.poll_interval,
        max_backoff: config.email.max_backoff,
        concurrency: config.email.send_concurrency.max(1),
    };
    vec![tokio::spawn(sender.run()), usage, prune, sweep]
}

enum Transport {
    File(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

struct Sender {
    outbox: Outbox,
    transport: Transport,
    from: String,
    poll: Duration,
    /// Backoff after the n-th failure: 2^n seconds, at most this (`email.max_backoff`).
    max_backoff: Duration,
    /// Messages being delivered at once (`email.send_concurrency`).
    concurrency: usize,
}

impl Sender {
    async fn run(self) {
        let mut tick = tokio::time::interval(self.poll);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            // A full batch means more is waiting: the next round starts at once.
            loop {
                match self.drain().await {
                    Ok(n) if n == self.batch() => continue,
                    Ok(_) => break,
                    Err(e) => {
                        tracing::warn!(error = %e, "outbox: cannot read due messages");
                        break;
                    }
                }
            }
        }
    }

    /// A round: a few messages per sender slot, so a tenant that queues mail while a round
    /// runs waits for this one round at most.
    fn batch(&self) -> usize {
        self.concurrency * 8
    }

    /// Delivers one round in the fair order, `concurrency` at a time; how many were due.
    async fn drain(&self) -> Result<usize, rosetta_core::CoreError> {
        let limit = u32::try_from(self.batch()).unwrap_or(u32::MAX);
        let due = self.outbox.due(Utc::now(), limit).await?;
        let n = due.len();
        stream::iter(due)
            .for_each_concurrent(self.concurrency, |email| async move {
                if let Err(e) = self.send_one(&email).await {
                    tracing::warn!(id = email.id, error = %e, "outbox: cannot record a delivery");
                }
            })
            .await;
        Ok(n)
    }

    /// Claims, delivers and records one message; nothing when another sender holds it.
    async fn send_one(&self, email: &OutboxEmail) -> Result<(), rosetta_core::CoreError> {
        let outbox = &self.outbox;
        let now = Utc::now();
        let lease = now + chrono::Duration::from_std(LEASE).unwrap_or_default();
        if !outbox.claim(email.id, now, lease).await? {
            return Ok(());
        }
        match self.deliver(email).await {
            Ok(()) => {
                outbox.mark_sent(email.id, Utc::now()).await?;
                tracing::info!(id = email.id, tenant = email.tenant_id.0, "outbox: sent");
            }
            Err(reason) => {
                let exp = u32::try_from(email.attempts.clamp(0, 16)).unwrap_or(16);
                let backoff = Duration::from_secs(2u64.pow(exp)).min(self.max_backoff);
                let next = Utc::now() + chrono::Duration::from_std(backoff).unwrap_or_default();
                tracing::warn!(id = email.id, attempts = email.attempts + 1, %reason, "outbox: delivery failed, will retry");
                outbox.mark_failed(email.id, &reason, next).await?;
            }
        }
        Ok(())
    }

    fn message(&self, email: &OutboxEmail) -> Result<Message, String> {
        Message::builder()
            .from(
                self.from
                    .parse()
                    .map_err(|e| format!("from address: {e}"))?,
            )
            .to(email.to.parse().map_err(|e| format!("to address: {e}"))?)
            .subject(email.subject.clone())
            .message_id(Some(format!("<outbox-{}@rosetta>", email.id)))
            .header(ContentType::TEXT_PLAIN)
            .body(email.body.expose().to_owned())
            .map_err(|e| e.to_string())
    }

    async fn deliver(&self, email: &OutboxEmail) -> Result<(), String> {
        let message = self.message(email)?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Transport::File(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| e.to_string())?;
                let path = dir.join(format!("{:010}.eml", email.id));
                if tokio::fs::try_exists(&path).await.unwrap_or(false) {
                    // Written before a crash that kept it from being marked sent.
                    return Ok(());
                }
                let tmp = dir.join(format!(".{:010}.eml.tmp", email.id));
                tokio::fs::write(&tmp, message.formatted())
                    .await
                    .map_err(|e| e.to_string())?;
                tokio::fs::rename(&tmp, &path)
                    .await
                    .map_err(|e| e.to_string())
            }
        }
    }
}
