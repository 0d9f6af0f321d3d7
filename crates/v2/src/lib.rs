#![doc = include_str!("../README.md")]

use actix_web::http::Method;
use actix_web::web::Data;
use rosetta_dialect::{render, AppData, Dialect, OtherMethods, Route};

mod auth;
mod body;
mod convert;
mod errors;
mod format;
mod inputs;
mod openapi;
mod pages;
mod reply;
mod search;
mod users;
mod wire;
mod xml;

pub use auth::{V2Caller, V2Post};
#[cfg(feature = "fuzzing")]
pub use body::fuzzing;
pub use errors::V2Error;

const USER: &str = "/api/v2/user";
use reply::SEARCH;

/// Every route this dialect serves, relative to its prefix (default "", so the paths are
/// exactly the legacy ones).
pub const ROUTES: &[Route] = &[
    Route::new(Method::GET, USER, |r| r.to(users::get_user)),
    Route::new(Method::POST, USER, |r| r.to(users::create_user)),
    Route::new(Method::DELETE, USER, |r| r.to(users::delete_user)),
    Route::new(Method::GET, SEARCH, |r| r.to(search::search_get)),
    Route::new(Method::POST, SEARCH, |r| r.to(search::search_post)),
];

/// Other methods are refused in the path's envelope, in the request's format.
const OTHER_METHODS: &[OtherMethods] = &[
    OtherMethods::new(USER, |r| r.to(other_method)),
    OtherMethods::new(SEARCH, |r| r.to(other_method)),
];

async fn other_method() -> Result<actix_web::HttpResponse, V2Error> {
    Err(V2Error::method_not_allowed())
}

/// Each mount remembers its own search page boundaries.
fn state() -> AppData {
    AppData::none().with(Data::new(pages::Pages::default()))
}

pub const DIALECT: Dialect = Dialect {
    name: "v2",
    default_prefix: "",
    routes: ROUTES,
    other_methods: OTHER_METHODS,
    render: render::<V2Error>,
    unmatched: rosetta_dialect::unmatched::answer::<V2Error>,
    state,
    openapi: openapi::document,
};
