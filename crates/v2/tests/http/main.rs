#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The v2 dialect over HTTP, served from its own route table over a real database (SQLite and
//! PostgreSQL), one module per route group, in JSON and DataContract XML. Snapshots are in
//! `snapshots/`, named as the tests name them.

mod datacontract;
mod support;

mod create;
mod errors;
mod get;
mod groups;
mod search;
mod search_terms;
mod xml;
