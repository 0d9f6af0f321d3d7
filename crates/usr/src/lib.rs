#![doc = include_str!("../README.md")]

mod auth;
mod convert;
mod errors;
mod openapi;
mod users;
mod wire;

use actix_web::http::Method;
use rosetta_dialect::{render, AppData, Dialect, OtherMethods, Route};

pub use auth::UsrCaller;
pub use errors::UsrError;
pub use wire::{UserIn, UserOut};

/// Every route this dialect serves, relative to its prefix. `/usr/new` comes before
/// `/usr/{userId}`, so `new` is never taken for an id.
pub const ROUTES: &[Route] = &[
    Route::new(Method::GET, "/pub/usr/acc/{accountId}", |r| {
        r.to(users::list_by_account)
    }),
    // The document's own example of getUserListByAccountId omits `/pub`.
    Route::new(Method::GET, "/usr/acc/{accountId}", |r| {
        r.to(users::list_by_account)
    }),
    Route::new(Method::POST, "/usr/new", |r| r.to(users::add_user)),
    Route::new(Method::PUT, "/usr/new", |r| r.to(users::add_user)),
    Route::new(Method::GET, "/usr/{userId}", |r| r.to(users::get_user)),
    Route::new(Method::POST, "/usr/{userId}", |r| r.to(users::modify_user)),
    Route::new(Method::PUT, "/usr/{userId}", |r| r.to(users::modify_user)),
    Route::new(Method::DELETE, "/usr/{userId}", |r| {
        r.to(users::delete_user)
    }),
];

/// usr answers other methods in its own envelope, with `Allow`.
const OTHER_METHODS: &[OtherMethods] = &[
    OtherMethods::new("/pub/usr/acc/{accountId}", |r| r.to(users::only_get)),
    OtherMethods::new("/usr/acc/{accountId}", |r| r.to(users::only_get)),
    OtherMethods::new("/usr/new", |r| r.to(users::usr_new_other)),
    OtherMethods::new("/usr/{userId}", |r| r.to(users::only_user_methods)),
];

pub const DIALECT: Dialect = Dialect {
    name: "usr",
    default_prefix: "",
    routes: ROUTES,
    other_methods: OTHER_METHODS,
    render: render::<UsrError>,
    unmatched: rosetta_dialect::unmatched::answer::<UsrError>,
    state: AppData::none,
    openapi: openapi::document,
};
