#![doc = include_str!("../README.md")]

use actix_web::http::Method;
use actix_web::web::Data;
use rosetta_dialect::{render, AppData, Dialect, OtherMethods, Route};

mod auth;
mod body;
mod boolean;
mod convert;
mod errors;
mod format;
mod inputs;
mod jsconfig;
mod json;
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
pub use jsconfig::{Case, Dates, JsonStyle};

const USER: &str = "/api/v2/user";
/// The same paths with the answer's format as an extension (v2.md), as ServiceStack serves them.
const USER_JSON: &str = "/api/v2/user.json";
const USER_XML: &str = "/api/v2/user.xml";
use reply::{SEARCH, SEARCH_JSON, SEARCH_XML};

/// Every route this dialect serves, relative to its prefix (default "", so the paths are
/// exactly the legacy ones).
pub const ROUTES: &[Route] = &[
    Route::new(Method::GET, USER, |r| r.to(users::get_user)),
    Route::new(Method::POST, USER, |r| r.to(users::create_user)),
    Route::new(Method::DELETE, USER, |r| r.to(users::delete_user)),
    Route::new(Method::GET, SEARCH, |r| r.to(search::search_get)),
    Route::new(Method::POST, SEARCH, |r| r.to(search::search_post)),
    Route::new(Method::GET, USER_JSON, |r| r.to(users::get_user)),
    Route::new(Method::POST, USER_JSON, |r| r.to(users::create_user)),
    Route::new(Method::DELETE, USER_JSON, |r| r.to(users::delete_user)),
    Route::new(Method::GET, SEARCH_JSON, |r| r.to(search::search_get)),
    Route::new(Method::POST, SEARCH_JSON, |r| r.to(search::search_post)),
    Route::new(Method::GET, USER_XML, |r| r.to(users::get_user)),
    Route::new(Method::POST, USER_XML, |r| r.to(users::create_user)),
    Route::new(Method::DELETE, USER_XML, |r| r.to(users::delete_user)),
    Route::new(Method::GET, SEARCH_XML, |r| r.to(search::search_get)),
    Route::new(Method::POST, SEARCH_XML, |r| r.to(search::search_post)),
];

/// Other methods are refused in the path's envelope, in the request's format.
const OTHER_METHODS: &[OtherMethods] = &[
    OtherMethods::new(USER, |r| r.to(other_method)),
    OtherMethods::new(SEARCH, |r| r.to(other_method)),
    OtherMethods::new(USER_JSON, |r| r.to(other_method)),
    OtherMethods::new(SEARCH_JSON, |r| r.to(other_method)),
    OtherMethods::new(USER_XML, |r| r.to(other_method)),
    OtherMethods::new(SEARCH_XML, |r| r.to(other_method)),
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
