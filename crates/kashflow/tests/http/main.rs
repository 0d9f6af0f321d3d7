#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The kashflow dialect over HTTP, served from its own route table over a real database
//! (SQLite and PostgreSQL), one module per route group. Every response goes through
//! `support::Kf::send`, which fails the test if a body carries a password, a memorable word or
//! a hash; snapshots are in `snapshots/`, named as the tests name them.

mod formats;
mod hashing;
mod lists;
mod sessions;
mod support;
mod users;
