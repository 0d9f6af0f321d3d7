#![doc = include_str!("../README.md")]

use actix_web::web::{self, ServiceConfig};
use rosetta_dialect::{Dialect, Route};

mod body;
mod convert;
mod errors;
mod pages;
mod routes;
mod wire;
mod xml;

pub use errors::V2Error;

/// The routes this dialect serves, relative to its prefix (default "", so the paths are
/// exactly the legacy ones).
pub const ROUTES: &[Route] = &[
    Route::new("GET", "/api/v2/user"),
    Route::new("POST", "/api/v2/user"),
    Route::new("DELETE", "/api/v2/user"),
    Route::new("GET", "/api/v2/user/search"),
    Route::new("POST", "/api/v2/user/search"),
];

pub const DIALECT: Dialect = Dialect {
    name: "v2",
    default_prefix: "",
    routes: ROUTES,
    configure,
};

fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        web::resource("/api/v2/user")
            .route(web::get().to(routes::get_user))
            .route(web::post().to(routes::create_user))
            .route(web::delete().to(routes::delete_user))
            .default_service(web::to(routes::user_other_method)),
    )
    .service(
        web::resource("/api/v2/user/search")
            .route(web::get().to(routes::search_get))
            .route(web::post().to(routes::search_post))
            .default_service(web::to(routes::search_other_method)),
    );
}
