#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The cross-dialect suites, one test binary: each module drives the whole gateway
//! (`rosetta_e2e::TestGateway`) over HTTP with the testkit's recording client, on SQLite and
//! PostgreSQL, and ends with its leak scan.

mod anonymous;
mod cross_dialect;
mod docs;
mod isolation;
mod rights;
mod scim;
mod text_rule;
