#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The keaz dialect over HTTP, served from its own route table over a real database (SQLite and
//! PostgreSQL), one module per route group: logins and tokens, users, the grant rule,
//! activation tickets (read from the outbox: delivering them is the server's, tested in
//! `crates/server/tests`), CSV import, assets and bookings. Snapshots are in `snapshots/`,
//! named as the tests name them.

mod support;

mod activation;
mod assets;
mod bookings;
mod hashing;
mod import;
mod import_stall;
mod login;
mod perms;
mod users;
