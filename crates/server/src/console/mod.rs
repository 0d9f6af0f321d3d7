//! The operator console (migration.md "Operator console"): server-rendered pages under
//! `/console` that read usage, deprecations, tenants and credentials. It changes nothing;
//! changes stay in the configuration and the CLI. It is no dialect: its calls are not counted
//! in usage and carry no deprecation headers.

mod assets;
mod auth;
mod chart;
mod error;
mod headers;
mod layout;
mod login;
mod pages;
mod time;

use std::time::Duration;

use actix_web::middleware::from_fn;
use actix_web::web;
use rosetta_dialect::Clock;

pub use error::ConsoleError;

use crate::app::Mount;

/// The console's `GET` paths, for the start-up check that no dialect mounted on the same
/// listener answers one of them.
pub const PATHS: &[&str] = &[
    "/console",
    "/console/login",
    "/console/tenants",
    "/console/dialects/{name}",
    "/console/static/console.css",
];

/// What every console request reads besides the directory.
pub struct ConsoleState {
    /// The mounted dialects, in `DIALECTS` order.
    pub mounts: Vec<Mount>,
    /// "Today" for the chart and the deprecation state: the system's, or a test's.
    pub clock: Clock,
    pub session_idle: Duration,
    pub secure_cookies: bool,
}

impl ConsoleState {
    pub fn mount(&self, name: &str) -> Option<&Mount> {
        self.mounts.iter().find(|m| m.dialect.name == name)
    }
}

/// Registers `/console` on a listener's app.
pub fn configure(cfg: &mut web::ServiceConfig, state: web::Data<ConsoleState>) {
    cfg.service(
        web::scope("/console")
            .app_data(state)
            .app_data(login::form_config())
            .wrap(from_fn(headers::secure_headers))
            .route("", web::get().to(pages::overview))
            .route("/login", web::get().to(login::form))
            .route("/login", web::post().to(login::submit))
            .route("/logout", web::post().to(login::logout))
            .route("/tenants", web::get().to(pages::tenants))
            .route("/dialects/{name}", web::get().to(pages::dialect))
            .route("/static/console.css", web::get().to(assets::css))
            .default_service(web::to(pages::not_found)),
    );
}
