#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The gateway as a whole, on SQLite and PostgreSQL: what only the server does (operational
//! endpoints and metrics, the outbox sender, the `rosetta` binary and its CLI, two processes on
//! one database, the benchmark route). Each dialect's own behaviour is tested in its crate.

mod baseline;
mod console;
mod console_pages;
mod console_support;
mod credentials;
mod deprecation;
mod limits;
mod metrics;
mod openapi;
mod ops;
mod outbox;
mod outbox_fairness;
mod process;
mod raw;
mod replicas;
mod scim_usage;
mod transfer;
mod transfer_keaz;
mod transfer_scale;
mod unmatched;
mod usage;

/// The `rosetta` binary of this package, for the tests that run it as an operator would.
const BIN: &str = env!("CARGO_BIN_EXE_rosetta");

/// A local port nothing listens on right now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
