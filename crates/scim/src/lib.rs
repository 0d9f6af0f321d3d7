#![doc = include_str!("../README.md")]

mod auth;
mod convert;
pub mod discovery;
mod errors;
pub mod filter;
mod filter_check;
mod groups;
mod http;
pub mod input;
mod json;
mod list;
pub mod matcher;
mod openapi;
pub mod patch;
pub mod path;
pub mod project;
mod query;
mod refusals;
pub mod request_error;
pub mod schema;
mod service;
pub mod transfer;
mod translate;
mod users;
pub mod wire;

use actix_web::http::Method;
use rosetta_dialect::{render, AppData, Dialect, OtherMethods, Route};

pub use auth::ScimCaller;
pub use errors::{ScimError, ScimType};
pub use filter::{
    parse_filter, parse_filter_with, AttrPath, CompareOp, Filter, FilterError, Limits, PathError,
    SyntaxError, Value,
};
pub use filter_check::check_filter;
pub use patch::{apply_patch, member_changes, PatchOp};
pub use path::{parse_path, parse_path_with, PatchPath};
pub use project::Projection;
pub use request_error::RequestError;
pub use schema::ResourceType;

/// Every route this dialect serves, relative to its prefix (`/scim/v2`).
pub const ROUTES: &[Route] = &[
    Route::new(Method::GET, "/Users", |r| r.to(list::list_users)),
    Route::new(Method::POST, "/Users", |r| r.to(users::create_user)),
    // Before `/Users/{id}`, so `.search` is never taken for an id.
    Route::new(Method::POST, "/Users/.search", |r| r.to(list::search_users)),
    Route::new(Method::GET, "/Users/{id}", |r| r.to(users::get_user)),
    Route::new(Method::PUT, "/Users/{id}", |r| r.to(users::replace_user)),
    Route::new(Method::PATCH, "/Users/{id}", |r| r.to(users::patch_user)),
    Route::new(Method::DELETE, "/Users/{id}", |r| r.to(users::delete_user)),
    Route::new(Method::GET, "/Groups", |r| r.to(list::list_groups)),
    Route::new(Method::POST, "/Groups", |r| r.to(groups::create_group)),
    Route::new(Method::POST, "/Groups/.search", |r| {
        r.to(list::search_groups)
    }),
    Route::new(Method::GET, "/Groups/{id}", |r| r.to(groups::get_group)),
    Route::new(Method::PUT, "/Groups/{id}", |r| r.to(groups::replace_group)),
    Route::new(Method::PATCH, "/Groups/{id}", |r| r.to(groups::patch_group)),
    Route::new(Method::DELETE, "/Groups/{id}", |r| {
        r.to(groups::delete_group)
    }),
    Route::new(Method::POST, "/.search", |r| r.to(list::search_all)),
    Route::new(Method::GET, "/ServiceProviderConfig", |r| {
        r.to(service::service_provider_config)
    }),
    Route::new(Method::GET, "/ResourceTypes", |r| {
        r.to(service::resource_types)
    }),
    Route::new(Method::GET, "/ResourceTypes/{name}", |r| {
        r.to(service::resource_type)
    }),
    Route::new(Method::GET, "/Schemas", |r| r.to(service::schemas)),
    Route::new(Method::GET, "/Schemas/{urn}", |r| r.to(service::schema)),
    // Last: any other one-segment path is a SCIM 404 (what scim2-tester checks), not the
    // gateway's plain one.
    Route::new(Method::GET, "/{unknown}", |r| r.to(service::no_endpoint)),
];

/// What a path answers to a method it does not serve: a SCIM Error with `Allow`.
const OTHER_METHODS: &[OtherMethods] = &[
    OtherMethods::new("/Users", |r| r.to(other::users)),
    OtherMethods::new("/Users/.search", |r| r.to(other::search)),
    OtherMethods::new("/Users/{id}", |r| r.to(other::user)),
    OtherMethods::new("/Groups", |r| r.to(other::users)),
    OtherMethods::new("/Groups/.search", |r| r.to(other::search)),
    OtherMethods::new("/Groups/{id}", |r| r.to(other::user)),
    OtherMethods::new("/.search", |r| r.to(other::search)),
    OtherMethods::new("/ServiceProviderConfig", |r| r.to(service::only_get)),
    OtherMethods::new("/ResourceTypes", |r| r.to(service::only_get)),
    OtherMethods::new("/ResourceTypes/{name}", |r| r.to(service::only_get)),
    OtherMethods::new("/Schemas", |r| r.to(service::only_get)),
    OtherMethods::new("/Schemas/{urn}", |r| r.to(service::only_get)),
    OtherMethods::new("/{unknown}", |r| r.to(service::no_endpoint)),
];

mod other {
    //! 405s in the SCIM Error shape, listing what the path serves.
    use crate::errors::ScimError;

    pub async fn users() -> Result<(), ScimError> {
        Err(ScimError::method_not_allowed("GET, POST"))
    }

    pub async fn search() -> Result<(), ScimError> {
        Err(ScimError::method_not_allowed("POST"))
    }

    pub async fn user() -> Result<(), ScimError> {
        Err(ScimError::method_not_allowed("GET, PUT, PATCH, DELETE"))
    }
}

pub const DIALECT: Dialect = Dialect {
    name: "scim",
    default_prefix: "/scim/v2",
    routes: ROUTES,
    other_methods: OTHER_METHODS,
    render: render::<ScimError>,
    state: AppData::none,
    openapi: openapi::document,
    unmatched: rosetta_dialect::unmatched::answer::<ScimError>,
};
