#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The gateway as a whole, on SQLite and PostgreSQL: what only the server does (operational
//! endpoints and metrics, the outbox sender, the `rosetta` binary and its CLI, two processes on
//! one database, the benchmark route). Each dialect's own behaviour is tested in its crate.

mod baseline;
mod ops;
mod outbox;
mod process;
mod replicas;
