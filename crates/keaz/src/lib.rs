#![doc = include_str!("../README.md")]

use actix_web::web::{self, ServiceConfig};
use rosetta_dialect::{Dialect, Route};

pub mod convert;
pub mod errors;
pub mod import;
pub mod routes;
pub mod wire;

// One constant per path, so the mount table (`ROUTES`) and the registration below cannot
// drift apart: the server labels metrics by these exact patterns.
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

/// The routes this dialect serves, relative to its prefix.
pub const ROUTES: &[Route] = &[
    Route::new("POST", LOGIN),
    Route::new("GET", LOGIN),
    Route::new("GET", USERS),
    Route::new("POST", USER_NEW),
    Route::new("GET", USER_BY_EMAIL),
    Route::new("GET", USER),
    Route::new("PUT", USER),
    Route::new("DELETE", USER),
    Route::new("GET", PERMS),
    Route::new("PUT", PERMS),
    Route::new("GET", LICENSE_TYPES),
    Route::new("PUT", LICENSE_TYPES),
    Route::new("POST", RESEND),
    Route::new("POST", ACTIVATE),
    Route::new("GET", ACTIVATE),
    Route::new("POST", IMPORT),
    Route::new("GET", ASSETS),
    Route::new("GET", ASSET),
    Route::new("POST", ASSET),
    Route::new("POST", BOOKINGS),
    Route::new("GET", BOOKINGS_Y),
    Route::new("GET", BOOKINGS_YM),
    Route::new("GET", BOOKINGS_YMD),
    Route::new("GET", BOOKINGS_YMDH),
];

pub const DIALECT: Dialect = Dialect {
    name: "keaz",
    default_prefix: "/keaz",
    routes: ROUTES,
    configure,
};

fn configure(cfg: &mut ServiceConfig) {
    use routes as r;
    cfg.service(
        web::resource(LOGIN)
            .route(web::post().to(r::login_post))
            .route(web::get().to(r::login_get)),
    )
    .service(web::resource(USERS).route(web::get().to(r::list_users)))
    .service(web::resource(USER_NEW).route(web::post().to(r::create_user)))
    // Before `/user/{id}`, which would otherwise take "byemail" for an id.
    .service(web::resource(USER_BY_EMAIL).route(web::get().to(r::user_by_email)))
    .service(
        web::resource(USER)
            .route(web::get().to(r::get_user))
            .route(web::put().to(r::update_user))
            .route(web::delete().to(r::delete_user)),
    )
    .service(
        web::resource(PERMS)
            .route(web::get().to(r::get_perms))
            .route(web::put().to(r::put_perms)),
    )
    .service(
        web::resource(LICENSE_TYPES)
            .route(web::get().to(r::get_license_types))
            .route(web::put().to(r::put_license_types)),
    )
    .service(web::resource(RESEND).route(web::post().to(r::resend)))
    .service(
        web::resource(ACTIVATE)
            .route(web::post().to(r::activate))
            .route(web::get().to(r::ticket_status)),
    )
    .service(web::resource(IMPORT).route(web::post().to(r::import_users)))
    .service(web::resource(ASSETS).route(web::get().to(r::list_assets)))
    .service(
        web::resource(ASSET)
            .route(web::get().to(r::get_asset))
            .route(web::post().to(r::put_asset)),
    )
    .service(web::resource(BOOKINGS).route(web::post().to(r::add_booking)));
    for path in [BOOKINGS_Y, BOOKINGS_YM, BOOKINGS_YMD, BOOKINGS_YMDH] {
        cfg.service(web::resource(path).route(web::get().to(r::bookings)));
    }
}

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
