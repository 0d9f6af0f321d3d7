//! Log output that can never take a request down.
//!
//! `tracing_subscriber::fmt` writes each event with `write_all` and, by default, reports a
//! failed write with `eprintln!`, which panics when stderr itself is what failed: with
//! `2>/dev/full` the first log line killed start-up, and with a pipe whose reader had gone every
//! request that logged was dropped mid-answer and SIGTERM exited 101. Here a failed write is
//! counted (`rosetta_log_write_errors_total`) and the event dropped; nothing else happens.

use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, Ordering};

use tracing::field::{Field, Visit};
use tracing::{Event, Level};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

/// Log events that could not be written, since the process started.
static WRITE_ERRORS: AtomicU64 = AtomicU64::new(0);

/// How many log events were dropped because stderr refused them.
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
        .with_writer(Stderr)
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
/// that cannot take it, where `eprintln!` would panic and turn exit 1 into 101.
pub fn last_words(line: &str) {
    let _ = writeln!(io::stderr(), "{line}");
}

/// stderr, where a failed write is counted and the event reported as written.
#[derive(Clone, Copy)]
pub struct Stderr;

impl Write for Stderr {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match io::stderr().write_all(buf) {
            Ok(()) => {}
            Err(_) => {
                WRITE_ERRORS.fetch_add(1, Ordering::Relaxed);
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let _ = io::stderr().flush();
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Stderr {
    type Writer = Stderr;

    fn make_writer(&'a self) -> Self::Writer {
        *self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whatever stderr does, a write reports the whole event written (a `write_all` that gets
    /// `Ok(0)` or an error would fail, and the caller would report it).
    #[test]
    fn a_write_always_takes_the_whole_event() {
        let mut w = Stderr;
        assert_eq!(w.write(b"").unwrap(), 0);
        assert!(w.write_all(b"rosetta logging test line\n").is_ok());
        assert!(w.flush().is_ok());
    }
}
