#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The SCIM dialect over HTTP, served from its own route table over a real database (SQLite
//! and PostgreSQL), one module per route group; snapshots are in `snapshots/`, named as the
//! tests name them.

mod discovery;
mod errors;
mod groups;
mod list;
mod names;
mod patch;
mod projection;
mod provisioning;
mod support;
mod user_groups;
mod users;
