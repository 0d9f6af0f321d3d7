#![doc = include_str!("../README.md")]

mod convert;
mod errors;
mod routes;
mod wire;

use rosetta_dialect::{Dialect, Route};

pub use errors::UsrError;
pub use wire::{UserIn, UserOut};

/// The routes this dialect serves, relative to its prefix.
pub const ROUTES: &[Route] = &[
    Route::new("GET", "/pub/usr/acc/{accountId}"),
    // The document's own example of getUserListByAccountId omits `/pub`.
    Route::new("GET", "/usr/acc/{accountId}"),
    Route::new("POST", "/usr/new"),
    Route::new("PUT", "/usr/new"),
    Route::new("GET", "/usr/{userId}"),
    Route::new("POST", "/usr/{userId}"),
    Route::new("PUT", "/usr/{userId}"),
    Route::new("DELETE", "/usr/{userId}"),
];

pub const DIALECT: Dialect = Dialect {
    name: "usr",
    default_prefix: "",
    routes: ROUTES,
    configure: routes::configure,
};
