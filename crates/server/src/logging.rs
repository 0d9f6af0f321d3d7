//! Log output that can never take a request down.
//!
//! `tracing_subscriber::fmt` writes each event with `write_all` and, by default, reports a
//! failed write with `eprintln!`, which panics when stderr itself is what failed: with
//! `2>/dev/full` the first log line killed start-up, and with a pipe whose reader had gone every
//! request that logged was dropped mid-answer and SIGTERM exited 101. Here a failed write is
//! counted (`rosetta_log_write_errors_total`) and the event dropped; nothing else happens.
//!
//! A write that never returns is the other way stderr takes requests down: a pipe whose reader
//! is alive but never reads fills (64 KiB on Linux) and then blocks every `write`, and with it
//! every request worker that logs. So events are not written where they happen: each is put
//! on a bounded queue ([`QUEUE_EVENTS`]) that one writer thread drains to stderr. A full queue
//! drops the event and counts it in the same metric; the only thread that can block on stderr
//! is the writer.

use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, SyncSender};
use std::sync::OnceLock;
use std::time::Duration;

use tracing::field::{Field, Visit};
use tracing::{Event, Level};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

/// Log events that could not be written, since the process started.
static WRITE_ERRORS: AtomicU64 = AtomicU64::new(0);

/// How many log events were dropped: stderr refused them, or was too slow and the queue was full.
pub fn write_errors() -> u64 {
    WRITE_ERRORS.load(Ordering::Relaxed)
}

/// Structured logs through `tracing`; JSON lines with `ROSETTA_LOG_FORMAT=json`. Logs go to
/// stderr so `--json` output on stdout stays one clean object.
pub fn init() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("ROSETTA_LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(StderrQueue)
        // Its own report of a failed write is an `eprintln!` to the stderr that just failed.
        .log_internal_errors(false);
    let _ = if json {
        builder.json().finish().with(ClientFaults).try_init()
    } else {
        builder.finish().with(ClientFaults).try_init()
    };
}

/// actix-http logs a client's malformed, over-long or cut-off request at ERROR (`stream error:
/// Request parse error`, `MAX_BUFFER_SIZE unprocessed data reached`), which would page someone
/// for what a client did. Those events are logged again at WARN under this module's target,
/// and the ERROR one dropped; ERROR stays for the gateway's own faults (a response body that
/// failed to stream is one, and stays).
struct ClientFaults;

impl<S: tracing::Subscriber> Layer<S> for ClientFaults {
    fn event_enabled(&self, event: &Event<'_>, _: Context<'_, S>) -> bool {
        let meta = event.metadata();
        if *meta.level() != Level::ERROR || !meta.target().starts_with("actix_http::h1") {
            return true;
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        if message.0.starts_with("Response payload") {
            return true;
        }
        tracing::warn!(
            from = meta.target(),
            "a client's request failed: {}",
            message.0
        );
        false
    }
}

/// The `message` of an event.
struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}

/// Writes a line to stderr for the process's last words (`rosetta: <why>`), ignoring a stderr
/// that cannot take it, where `eprintln!` would panic and turn exit 1 into 101. Once logging
/// runs, the line goes behind the queued events (and never blocks: see [`flush`]).
pub fn last_words(line: &str) {
    match QUEUE.get() {
        Some(queue) => {
            queue.push(format!("{line}\n").into_bytes());
            flush();
        }
        None => {
            let _ = writeln!(io::stderr(), "{line}");
        }
    }
}

/// How long the process waits at exit for the queued events to reach stderr: a stderr that
/// takes them does so in far less; one that blocks would hold the exit forever.
const FLUSH_WAIT: Duration = Duration::from_secs(1);

/// Waits (at most [`FLUSH_WAIT`]) until the events queued so far are written, so that the last
/// lines before an exit are not lost with the writer thread.
pub fn flush() {
    if let Some(queue) = QUEUE.get() {
        let _ = queue.flush(FLUSH_WAIT);
    }
}

/// Events the queue holds before it drops new ones: far more than a burst of errors, and a
/// bound on the memory a stuck stderr can take (events are a few hundred bytes).
pub const QUEUE_EVENTS: usize = 8192;

/// The process's one queue to stderr, started by the first event.
static QUEUE: OnceLock<Queue> = OnceLock::new();

enum Queued {
    Event(Vec<u8>),
    /// Answered once every message before it is written.
    Flush(SyncSender<()>),
}

/// A bounded queue of events and the thread that writes them to its sink.
struct Queue {
    tx: SyncSender<Queued>,
    dropped: &'static AtomicU64,
}

impl Queue {
    /// Starts the writer thread over `sink`; events it cannot take (queue full, or a failed
    /// write) are counted in `dropped`.
    fn start(
        sink: impl Write + Send + 'static,
        capacity: usize,
        dropped: &'static AtomicU64,
    ) -> io::Result<Self> {
        let (tx, rx) = mpsc::sync_channel::<Queued>(capacity);
        let mut sink = sink;
        std::thread::Builder::new()
            .name("rosetta-log".into())
            .spawn(move || {
                for message in rx {
                    match message {
                        Queued::Event(line) => {
                            if sink.write_all(&line).and_then(|()| sink.flush()).is_err() {
                                dropped.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                        Queued::Flush(done) => {
                            let _ = done.send(());
                        }
                    }
                }
            })?;
        Ok(Self { tx, dropped })
    }

    /// Queues one event, or drops and counts it; never waits.
    fn push(&self, event: Vec<u8>) {
        // Full (the sink is not keeping up) or disconnected (its thread is gone): dropped.
        if self.tx.try_send(Queued::Event(event)).is_err() {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Waits at most `wait` for the events queued so far to be written; whether they were. A
    /// full queue means the sink is not keeping up, so it does not wait at all.
    fn flush(&self, wait: Duration) -> bool {
        let (done, written) = mpsc::sync_channel(1);
        self.tx.try_send(Queued::Flush(done)).is_ok() && written.recv_timeout(wait).is_ok()
    }
}

/// The process's queue, started on first use; `None` if its thread could not be started.
fn queue() -> Option<&'static Queue> {
    if let Some(q) = QUEUE.get() {
        return Some(q);
    }
    let started = Queue::start(io::stderr(), QUEUE_EVENTS, &WRITE_ERRORS).ok()?;
    Some(QUEUE.get_or_init(|| started))
}

/// stderr through the queue: what `fmt` writes of one event is gathered, then queued whole
/// when the writer is dropped (`fmt` takes a writer per event), so events never interleave.
/// Every write reports the whole buffer taken: a write error must not reach `fmt`.
#[derive(Default)]
pub struct Stderr {
    event: Vec<u8>,
}

impl Write for Stderr {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.event.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Stderr {
    fn drop(&mut self) {
        if self.event.is_empty() {
            return;
        }
        let event = std::mem::take(&mut self.event);
        match queue() {
            Some(q) => q.push(event),
            None => {
                WRITE_ERRORS.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// Makes a [`Stderr`] per event.
#[derive(Clone, Copy)]
pub struct StderrQueue;

impl<'a> MakeWriter<'a> for StderrQueue {
    type Writer = Stderr;

    fn make_writer(&'a self) -> Self::Writer {
        Stderr::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::Receiver;

    /// Whatever stderr does, a write reports the whole event written (a `write_all` that gets
    /// `Ok(0)` or an error would fail, and the caller would report it).
    #[test]
    fn a_write_always_takes_the_whole_event() {
        let mut w = Stderr::default();
        assert_eq!(w.write(b"").unwrap(), 0);
        assert!(w.write_all(b"rosetta logging test line\n").is_ok());
        assert!(w.flush().is_ok());
    }

    /// A sink that takes nothing until `open` is sent: a pipe nobody reads.
    struct Stuck(Receiver<()>);

    impl Write for Stuck {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let _ = self.0.recv();
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// With the sink stuck, pushing never waits: past the queue's bound events are dropped
    /// and counted, and the queue takes events again once the sink moves.
    #[test]
    fn a_stuck_sink_drops_and_counts_instead_of_blocking() {
        static DROPPED: AtomicU64 = AtomicU64::new(0);
        let (open, gate) = mpsc::channel();
        let queue = Queue::start(Stuck(gate), 4, &DROPPED).unwrap();
        // At most one event in the writer's hands, four queued: the other 95 are dropped.
        for _ in 0..100 {
            queue.push(b"line\n".to_vec());
        }
        let dropped = DROPPED.load(Ordering::Relaxed);
        assert!((95..=96).contains(&dropped), "{dropped}");
        // A flush of a full queue returns at once rather than wait on the sink.
        assert!(!queue.flush(Duration::from_secs(3600)));
        drop(open);
        // The writer drains the queue; a flush is answered once there is room for it.
        let drained = (0..10_000).any(|_| {
            std::thread::sleep(Duration::from_millis(1));
            queue.flush(Duration::from_secs(60))
        });
        assert!(drained);
        queue.push(b"after\n".to_vec());
        assert!(queue.flush(Duration::from_secs(60)));
        assert_eq!(DROPPED.load(Ordering::Relaxed), dropped);
    }
}
