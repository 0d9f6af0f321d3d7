#![doc = include_str!("../README.md")]

use actix_web::web::{self, ServiceConfig};
use rosetta_dialect::{Dialect, Route};

mod convert;
mod errors;
mod format;
mod routes;
mod wire;

/// The routes this dialect serves, relative to its prefix.
pub const ROUTES: &[Route] = &[
    Route::new("POST", "/sessiontoken"),
    Route::new("PUT", "/sessiontoken"),
    Route::new("DELETE", "/sessiontoken"),
    Route::new("GET", "/users"),
    Route::new("POST", "/users"),
    Route::new("GET", "/users/{number}"),
    Route::new("PUT", "/users/{number}"),
    Route::new("DELETE", "/users/{number}"),
    Route::new("GET", "/user/{number}"),
    Route::new("PUT", "/user/{number}"),
    Route::new("DELETE", "/user/{number}"),
];

pub const DIALECT: Dialect = Dialect {
    name: routes::DIALECT_NAME,
    default_prefix: "/kashflow",
    routes: ROUTES,
    configure,
};

fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        web::resource("/sessiontoken")
            .route(web::post().to(routes::login))
            .route(web::put().to(routes::complete_login))
            .route(web::delete().to(routes::logout)),
    )
    .service(
        web::resource("/users")
            .route(web::get().to(routes::list_users))
            .route(web::post().to(routes::create_user)),
    );
    // The document names the single user both `/users/{number}` and `/user/{number}`.
    for path in ["/users/{number}", "/user/{number}"] {
        cfg.service(
            web::resource(path)
                .route(web::get().to(routes::get_user))
                .route(web::put().to(routes::update_user))
                .route(web::delete().to(routes::delete_user)),
        );
    }
}
