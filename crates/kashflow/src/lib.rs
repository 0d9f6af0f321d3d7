#![doc = include_str!("../README.md")]

use actix_web::http::Method;
use rosetta_dialect::{render, AppData, Dialect, Route};

mod auth;
mod body;
mod convert;
mod errors;
mod format;
mod openapi;
mod reply;
mod requests;
mod sessions;
mod users;
mod wire;

pub use auth::KfSession;
#[cfg(feature = "fuzzing")]
pub use body::fuzzing;
pub use errors::KfError;

/// Every route this dialect serves, relative to its prefix. The document names the single
/// user both `/users/{number}` and `/user/{number}`.
pub const ROUTES: &[Route] = &[
    Route::new(Method::POST, "/sessiontoken", |r| r.to(sessions::login)),
    Route::new(Method::PUT, "/sessiontoken", |r| {
        r.to(sessions::complete_login)
    }),
    Route::new(Method::DELETE, "/sessiontoken", |r| r.to(sessions::logout)),
    Route::new(Method::GET, "/users", |r| r.to(users::list_users)),
    Route::new(Method::POST, "/users", |r| r.to(users::create_user)),
    Route::new(Method::GET, "/users/{number}", |r| r.to(users::get_user)),
    Route::new(Method::PUT, "/users/{number}", |r| r.to(users::update_user)),
    Route::new(Method::DELETE, "/users/{number}", |r| {
        r.to(users::delete_user)
    }),
    Route::new(Method::GET, "/user/{number}", |r| r.to(users::get_user)),
    Route::new(Method::PUT, "/user/{number}", |r| r.to(users::update_user)),
    Route::new(Method::DELETE, "/user/{number}", |r| {
        r.to(users::delete_user)
    }),
];

pub const DIALECT: Dialect = Dialect {
    name: auth::DIALECT_NAME,
    default_prefix: "/kashflow",
    routes: ROUTES,
    other_methods: &[],
    render: render::<KfError>,
    unmatched: rosetta_dialect::unmatched::answer::<KfError>,
    state: AppData::none,
    openapi: openapi::document,
};
