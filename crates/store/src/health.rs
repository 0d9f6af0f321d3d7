//! Whether the database is known to be down, and the probe that finds out when it is back.
//!
//! Without this every request of an outage waited the pool's whole checkout timeout (5 s)
//! while r2d2 retried a connection that could not open. Once a connection fails to open, the
//! database is marked down: every checkout fails at once (503 with `Retry-After` in each
//! dialect) and one probe thread tries a connection of its own every [`PROBE_INTERVAL`] until
//! it opens and answers, when checkouts go to the pool again.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Opens a connection of its own and checks it answers; `Err` says why not.
pub(crate) type Probe = Box<dyn Fn() -> Result<(), String> + Send + Sync>;

/// How often the probe tries the database while it is down: the longest a gateway answers
/// 503 after the database is back, on top of the connection's own time.
pub const PROBE_INTERVAL: Duration = Duration::from_millis(250);

pub(crate) struct Health {
    down: AtomicBool,
    /// The database as logs name it (no password).
    database: String,
    probe: Probe,
}

impl Health {
    pub(crate) fn new(database: String, probe: Probe) -> Arc<Self> {
        Arc::new(Self {
            down: AtomicBool::new(false),
            database,
            probe,
        })
    }

    pub(crate) fn is_down(&self) -> bool {
        self.down.load(Ordering::Acquire)
    }

    /// A connection could not be opened: the database is down until the probe (started here,
    /// once per outage) opens one.
    pub(crate) fn mark_down(self: &Arc<Self>, why: &dyn std::fmt::Display) {
        if self.down.swap(true, Ordering::AcqRel) {
            return;
        }
        tracing::error!(
            database = %self.database,
            error = %why,
            "database unreachable: answering 503 and probing every {} ms",
            PROBE_INTERVAL.as_millis()
        );
        let health = self.clone();
        let spawned = std::thread::Builder::new()
            .name("rosetta-db-probe".into())
            .spawn(move || health.probe());
        if let Err(e) = spawned {
            // Without a probe nothing would ever clear the mark: stay on the pool's timeout.
            tracing::error!(error = %e, "cannot start the database probe");
            self.down.store(false, Ordering::Release);
        }
    }

    fn probe(&self) {
        let started = Instant::now();
        loop {
            std::thread::sleep(PROBE_INTERVAL);
            if (self.probe)().is_ok() {
                self.down.store(false, Ordering::Release);
                tracing::info!(
                    database = %self.database,
                    down_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                    "database answers again"
                );
                return;
            }
        }
    }
}
