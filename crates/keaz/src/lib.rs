#![doc = include_str!("../README.md")]

use actix_web::web::ServiceConfig;
use rosetta_dialect::{Dialect, Route};

/// The routes this dialect serves, relative to its prefix.
pub const ROUTES: &[Route] = &[];

/// Not built yet: mounted so the server's plumbing is in place, serving nothing.
pub const DIALECT: Dialect = Dialect {
    name: "keaz",
    default_prefix: "/keaz",
    routes: ROUTES,
    configure,
};

fn configure(_cfg: &mut ServiceConfig) {}
