#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The directory over this crate's store on real databases (SQLite and PostgreSQL), without
//! HTTP: what the core asks of the store (uniqueness in any letter case, pages that tile,
//! audit rows that commit and roll back with their change) and the bulk loader.

mod bulk;
mod directory;
mod groups;
mod indexes;
mod queries;
mod search;
mod upgrade;
mod user_groups;
