#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The directory over this crate's store on real databases (SQLite and PostgreSQL), without
//! HTTP: what the core asks of the store (uniqueness in any letter case, pages that tile,
//! audit rows that commit and roll back with their change) and the bulk loader.

mod bulk;
mod deletes;
mod directory;
mod groups;
mod indexes;
mod login_failures;
mod offset_pages;
mod queries;
mod records;
mod search;
mod staged_import;
mod upgrade;
mod user_groups;
