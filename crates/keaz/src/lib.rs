#![doc = include_str!("../README.md")]

use actix_web::http::Method;
use rosetta_dialect::{render, AppData, Dialect, Route};

mod activation;
mod assets;
mod auth;
mod bookings;
mod convert;
mod errors;
mod import;
mod login;
mod openapi;
mod reply;
mod request;
mod users;
mod wire;

pub use auth::KeazCaller;
pub use errors::KeazError;
#[cfg(feature = "fuzzing")]
pub use import::fuzzing;

const LOGIN: &str = "/login";
const USERS: &str = "/users";
const USER_NEW: &str = "/user";
const USER_BY_EMAIL: &str = "/user/byemail";
const USER: &str = "/user/{id}";
const PERMS: &str = "/user/{id}/perms";
const LICENSE_TYPES: &str = "/user/{id}/license-types";
const RESEND: &str = "/user/{id}/resend";
const ACTIVATE: &str = "/activate/{ticket}";
const IMPORT: &str = "/import/users";
const ASSETS: &str = "/user/{id}/assets";
const ASSET: &str = "/user/{id}/assets/{tag}";
const BOOKINGS: &str = "/user/{id}/bookings";
const BOOKINGS_Y: &str = "/user/{id}/bookings/{year}";
const BOOKINGS_YM: &str = "/user/{id}/bookings/{year}/{month}";
const BOOKINGS_YMD: &str = "/user/{id}/bookings/{year}/{month}/{day}";
const BOOKINGS_YMDH: &str = "/user/{id}/bookings/{year}/{month}/{day}/{hour}";

/// Every route this dialect serves, relative to its prefix. `/user/byemail` comes before
/// `/user/{id}`, which would otherwise take "byemail" for an id.
pub const ROUTES: &[Route] = &[
    Route::new(Method::POST, LOGIN, |r| r.to(login::login_post)),
    Route::new(Method::GET, LOGIN, |r| r.to(login::login_get)),
    Route::new(Method::GET, USERS, |r| r.to(users::list_users)),
    Route::new(Method::POST, USER_NEW, |r| r.to(users::create_user)),
    Route::new(Method::GET, USER_BY_EMAIL, |r| r.to(users::user_by_email)),
    Route::new(Method::GET, USER, |r| r.to(users::get_user)),
    Route::new(Method::PUT, USER, |r| r.to(users::update_user)),
    Route::new(Method::DELETE, USER, |r| r.to(users::delete_user)),
    Route::new(Method::GET, PERMS, |r| r.to(users::get_perms)),
    Route::new(Method::PUT, PERMS, |r| r.to(users::put_perms)),
    Route::new(Method::GET, LICENSE_TYPES, |r| {
        r.to(users::get_license_types)
    }),
    Route::new(Method::PUT, LICENSE_TYPES, |r| {
        r.to(users::put_license_types)
    }),
    Route::new(Method::POST, RESEND, |r| r.to(users::resend)),
    Route::new(Method::POST, ACTIVATE, |r| r.to(activation::activate)),
    Route::new(Method::GET, ACTIVATE, |r| r.to(activation::ticket_status)),
    Route::new(Method::POST, IMPORT, |r| r.to(import::import_users)),
    Route::new(Method::GET, ASSETS, |r| r.to(assets::list_assets)),
    Route::new(Method::GET, ASSET, |r| r.to(assets::get_asset)),
    Route::new(Method::POST, ASSET, |r| r.to(assets::put_asset)),
    Route::new(Method::POST, BOOKINGS, |r| r.to(bookings::add_booking)),
    Route::new(Method::GET, BOOKINGS_Y, |r| r.to(bookings::bookings)),
    Route::new(Method::GET, BOOKINGS_YM, |r| r.to(bookings::bookings)),
    Route::new(Method::GET, BOOKINGS_YMD, |r| r.to(bookings::bookings)),
    Route::new(Method::GET, BOOKINGS_YMDH, |r| r.to(bookings::bookings)),
];

pub const DIALECT: Dialect = Dialect {
    name: auth::DIALECT_NAME,
    default_prefix: "/keaz",
    routes: ROUTES,
    other_methods: &[],
    render: render::<KeazError>,
    unmatched: rosetta_dialect::unmatched::answer::<KeazError>,
    state: AppData::none,
    openapi: openapi::document,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_listed_once() {
        for (i, a) in ROUTES.iter().enumerate() {
            for b in &ROUTES[i + 1..] {
                assert!(
                    !(a.method == b.method && a.path == b.path),
                    "{} {} twice",
                    a.method,
                    a.path
                );
            }
        }
    }
}
