//! The password-hashing pool: bcrypt's own threads, apart from the blocking pool that runs the
//! database.
//!
//! bcrypt is slow on purpose (about a quarter of a second of one core at cost 12). Run on
//! tokio's blocking pool, a login flood took as many threads as there were logins waiting and
//! kept every core hashing, so a GET by id (one short read on that same pool) waited behind a
//! run queue of hashes. Here a fixed number of threads hash (`security.hash_threads`, half the
//! cores by default), the rest of the machine stays free for reads, and at most
//! `security.hash_queue` hashes wait for a thread: one more is refused at once as
//! [`CoreError::Unavailable`] (each dialect answers 503 with `Retry-After`) instead of piling up
//! behind the others and timing out later.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

use crate::error::{CoreError, CoreResult};

/// What every hashing thread is named after (`rosetta-hash-0`, ...), so a profile or a test can
/// tell them from the database's blocking threads.
pub const THREAD_PREFIX: &str = "rosetta-hash-";

type Job = Box<dyn FnOnce() + Send>;

/// The pool; clones share it. When the last clone is gone its threads finish the hashes already
/// queued and end.
#[derive(Clone)]
pub struct Hasher {
    jobs: SyncSender<Job>,
    threads: usize,
    /// Hashes run to their end (a test sees that a path hashes here).
    done: Arc<AtomicU64>,
}

impl Hasher {
    /// `threads` hashing threads (at least 1) and room for `queue` hashes waiting for one.
    ///
    /// A thread the system refuses to start is logged and left out; with none at all every
    /// hash is refused as unavailable, which a login answers 503 rather than hanging.
    pub fn new(threads: usize, queue: usize) -> Self {
        let (jobs, receiver) = mpsc::sync_channel::<Job>(queue);
        let receiver = Arc::new(Mutex::new(receiver));
        let done = Arc::new(AtomicU64::new(0));
        let mut started = 0;
        for i in 0..threads.max(1) {
            let receiver = receiver.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("{THREAD_PREFIX}{i}"))
                .spawn(move || work(&receiver));
            match spawned {
                Ok(_) => started += 1,
                Err(e) => tracing::error!(error = %e, "a hashing thread did not start"),
            }
        }
        Self {
            jobs,
            threads: started,
            done,
        }
    }

    /// How many threads hash.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// How many jobs have run to their end (a job left because its caller had gone is not).
    pub fn completed(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    /// A bcrypt hash of `password` at `cost`.
    pub async fn hash(&self, password: String, cost: u32) -> CoreResult<String> {
        self.run(move || bcrypt::hash(password, cost))
            .await?
            .map_err(|e| CoreError::Internal(format!("bcrypt: {e}")))
    }

    /// Whether `password` matches the bcrypt `hash` (a malformed hash matches nothing).
    pub async fn verify(&self, password: String, hash: String) -> CoreResult<bool> {
        self.run(move || bcrypt::verify(password, &hash).unwrap_or(false))
            .await
    }

    /// Runs `f` on a hashing thread, or refuses at once when the queue is full.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> CoreResult<T> {
        self.submit(f)?.await
    }

    /// Queues `f` now (or refuses it now, when the queue is full) and gives what waits for its
    /// answer. [`Hasher::run`] is this awaited; apart, a caller can tell "queued" from "done".
    pub fn submit<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> CoreResult<impl Future<Output = CoreResult<T>>> {
        let (answer, answered) = oneshot::channel();
        let done = self.done.clone();
        let job: Job = Box::new(move || {
            // A login whose client went away while it waited is not worth a hash.
            if answer.is_closed() {
                return;
            }
            let value = f();
            // Counted before the answer, so a caller that has its answer sees the count.
            done.fetch_add(1, Ordering::Relaxed);
            let _ = answer.send(value);
        });
        self.jobs.try_send(job).map_err(|e| match e {
            TrySendError::Full(_) => {
                CoreError::Unavailable("every password-hashing slot is taken; try again".into())
            }
            TrySendError::Disconnected(_) => {
                CoreError::Unavailable("no password-hashing thread is running".into())
            }
        })?;
        Ok(async move {
            answered
                .await
                .map_err(|_| CoreError::Internal("a password hash did not finish".into()))
        })
    }
}

/// One hashing thread: takes jobs until the pool is dropped. A job that panics answers its
/// caller with an error (its answer is dropped) and the thread goes on.
fn work(receiver: &Mutex<Receiver<Job>>) {
    loop {
        // The lock is held only while waiting for the next job, never while hashing.
        let next = match receiver.lock() {
            Ok(r) => r.recv(),
            Err(_) => return,
        };
        let Ok(job) = next else {
            return;
        };
        if catch_unwind(AssertUnwindSafe(job)).is_err() {
            tracing::error!("a password-hashing job panicked");
        }
    }
}

/// Hashes that may wait per hashing thread by default (`security.hash_queue`): at cost 12 on
/// a core of about 4 hashes a second, the last of them waits about 4 s, inside any client's
/// timeout; a flood beyond that is told to come back instead of waiting longer.
pub const QUEUE_PER_THREAD: usize = 16;

/// Half the cores, at least one: what `security.hash_threads` is by default. The other half
/// stays for requests, so a login flood slows logins down rather than every read.
pub fn default_threads() -> usize {
    (std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get) / 2).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_and_verifies_on_its_own_threads() {
        let pool = Hasher::new(1, 4);
        let h = pool.hash("letmein".into(), 4).await.unwrap();
        assert!(h.starts_with("$2"));
        assert!(pool.verify("letmein".into(), h.clone()).await.unwrap());
        assert!(!pool.verify("nope".into(), h).await.unwrap());
        assert!(!pool.verify("x".into(), "not a hash".into()).await.unwrap());
        assert_eq!(pool.completed(), 4);
        // Not an async worker and not tokio's blocking pool (whose threads run inside the
        // runtime): a thread of its own, named for it.
        let (name, in_runtime) = pool
            .run(|| {
                (
                    std::thread::current().name().map(str::to_owned),
                    tokio::runtime::Handle::try_current().is_ok(),
                )
            })
            .await
            .unwrap();
        assert_eq!(name.as_deref(), Some("rosetta-hash-0"));
        assert!(!in_runtime);
    }

    #[tokio::test]
    async fn a_full_queue_is_refused_at_once() {
        let pool = Hasher::new(1, 1);
        let (started_tx, started) = oneshot::channel();
        let (release, released) = std::sync::mpsc::channel::<()>();
        let busy = pool
            .submit(move || {
                let _ = started_tx.send(());
                let _ = released.recv();
                1
            })
            .unwrap();
        started.await.unwrap();
        // The one thread is busy: one job fits in the queue, the next is refused.
        let queued = pool.submit(|| 2).unwrap();
        let refused = pool.submit(|| 3).err().unwrap();
        assert!(matches!(refused, CoreError::Unavailable(_)), "{refused:?}");
        assert!(refused.is_server_error());
        release.send(()).unwrap();
        assert_eq!(busy.await.unwrap(), 1);
        assert_eq!(queued.await.unwrap(), 2);
        // Room again once the queue has drained.
        assert_eq!(pool.run(|| 4).await.unwrap(), 4);
    }

    #[tokio::test]
    async fn a_panicking_job_fails_alone() {
        let pool = Hasher::new(1, 1);
        let failed = pool.run(|| -> u8 { panic!("boom") }).await;
        assert!(matches!(failed, Err(CoreError::Internal(_))));
        assert_eq!(pool.run(|| 5).await.unwrap(), 5);
    }

    #[test]
    fn half_the_cores_by_default() {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        assert_eq!(default_threads(), (cores / 2).max(1));
    }
}
