//! A dialect's route table: the one list from which its actix services, the server's
//! collision check and the metric labels are all built, so no route can be served without
//! being checked and counted.

use std::sync::Arc;

use actix_web::http::Method;
use actix_web::middleware::from_fn;
use actix_web::web::{self, Data, ServiceConfig};
use actix_web::HttpRequest;

use crate::deprecation::{guard, Deprecations, ResourceGate};
use crate::errors::{negotiate, Render};
use crate::miss::{Miss, Unmatched};

/// Puts a handler on an actix route: `|r| r.to(handler)`.
pub type Handler = fn(actix_web::Route) -> actix_web::Route;

/// One route a dialect serves.
pub struct Route {
    pub method: Method,
    /// The path under the dialect's prefix; `{name}` segments match anything. With the prefix
    /// it is the route's stable name: metrics and `rosetta usage` count calls by it.
    pub path: &'static str,
    pub handler: Handler,
}

impl Route {
    pub const fn new(method: Method, path: &'static str, handler: Handler) -> Self {
        Self {
            method,
            path,
            handler,
        }
    }
}

/// What a path answers to a method it does not serve, where that is not actix's empty 405
/// (with `Allow`).
pub struct OtherMethods {
    pub path: &'static str,
    pub handler: Handler,
}

impl OtherMethods {
    pub const fn new(path: &'static str, handler: Handler) -> Self {
        Self { path, handler }
    }
}

/// App data that one mount of a dialect owns (a cache, say): made once per mount, shared by
/// every worker of the listener, and never by two mounts or two gateways in one process.
#[derive(Clone, Default)]
pub struct AppData(Vec<Register>);

/// Registers one piece of app data on a worker's app.
type Register = Arc<dyn Fn(&mut ServiceConfig) + Send + Sync>;

impl AppData {
    /// A dialect without state of its own.
    pub fn none() -> Self {
        Self::default()
    }

    /// Adds `data`, which handlers then extract as `Data<T>`.
    pub fn with<T: Send + Sync + 'static>(mut self, data: Data<T>) -> Self {
        self.0.push(Arc::new(move |cfg: &mut ServiceConfig| {
            cfg.app_data(data.clone());
        }));
        self
    }
}

/// What a dialect crate exports for the server (or a test) to mount it.
#[derive(Clone, Copy)]
pub struct Dialect {
    pub name: &'static str,
    pub default_prefix: &'static str,
    /// Registered in this order; routes of one path make one actix resource, placed where the
    /// path first appears (so `/usr/new` listed before `/usr/{userId}` is matched first).
    pub routes: &'static [Route],
    pub other_methods: &'static [OtherMethods],
    /// `rosetta_dialect::render::<TheDialectsError>`.
    pub render: Render,
    /// `rosetta_dialect::unmatched::answer::<TheDialectsError>`: what a request under this
    /// dialect that no route takes is answered (404, 405, 414, 431).
    pub unmatched: Unmatched,
    /// The dialect's app data for one mount.
    pub state: fn() -> AppData,
    /// Its OpenAPI document, paths relative to the prefix; `openapi::undocumented` checks it
    /// against `routes`.
    pub openapi: fn() -> utoipa::openapi::OpenApi,
}

impl Dialect {
    /// One mount of the dialect, with its own app data, ready to configure on every worker.
    pub fn mount(&self) -> Mounted {
        Mounted {
            dialect: *self,
            data: (self.state)(),
            gates: Vec::new(),
        }
    }

    /// Every path of the table once, in the order it first appears.
    fn paths(&self) -> Vec<&'static str> {
        let mut paths: Vec<&'static str> = Vec::new();
        let all = self.routes.iter().map(|r| r.path);
        for path in all.chain(self.other_methods.iter().map(|o| o.path)) {
            if !paths.contains(&path) {
                paths.push(path);
            }
        }
        paths
    }
}

/// A mounted dialect: `configure` it on an actix `App` or `Scope` (the prefix is the
/// caller's), with `web::Data<rosetta_core::Directory>` and `web::Data<Limits>` as app data.
#[derive(Clone)]
pub struct Mounted {
    dialect: Dialect,
    data: AppData,
    /// Per path of [`Dialect::paths`]: its deprecation gate, if a policy covers it.
    gates: Vec<Option<Arc<ResourceGate>>>,
}

impl Mounted {
    /// The mount with its deprecation: a middleware around every resource the policies cover.
    /// Fails only on a link that cannot be a header value (the configuration refuses those).
    pub fn with_deprecations(
        mut self,
        deprecations: &Deprecations,
    ) -> Result<Self, actix_web::http::header::InvalidHeaderValue> {
        self.gates = deprecations.gates(&self.dialect.paths())?;
        Ok(self)
    }

    pub fn configure(&self, cfg: &mut ServiceConfig) {
        for register in &self.data.0 {
            register(cfg);
        }
        let render = self.dialect.render;
        for (i, path) in self.dialect.paths().into_iter().enumerate() {
            let gate = self.gates.get(i).cloned().flatten();
            let mut resource = web::resource(path);
            for route in self.dialect.routes.iter().filter(|r| r.path == path) {
                resource =
                    resource.route((route.handler)(web::route().method(route.method.clone())));
            }
            if let Some(other) = self.dialect.other_methods.iter().find(|o| o.path == path) {
                resource = resource.default_service((other.handler)(web::route()));
            } else {
                // actix's own answer would be an empty 405.
                let (unmatched, allow) = (self.dialect.unmatched, allowed(&self.dialect, path));
                resource = resource.default_service(web::to(move |req: HttpRequest| {
                    let miss = Miss::MethodNotAllowed {
                        allow: allow.clone(),
                    };
                    std::future::ready(unmatched(miss, &req))
                }));
            }
            // The gate outside `negotiate`, so its headers are on the dialect's errors too.
            cfg.service(
                resource
                    .wrap(from_fn(move |req, next| negotiate(render, req, next)))
                    .wrap(from_fn(move |req, next| {
                        guard(gate.clone(), render, req, next)
                    })),
            );
        }
    }

    /// [`Mounted::configure`] under `prefix` (`""`: at the root), as the server mounts a
    /// dialect and as a dialect's own tests do.
    pub fn configure_at(&self, prefix: &str, cfg: &mut ServiceConfig) {
        if prefix.is_empty() {
            self.configure(cfg);
        } else {
            cfg.service(web::scope(prefix).configure(|scope| self.configure(scope)));
        }
    }
}

/// The methods a path of a dialect's table serves, for `Allow`.
fn allowed(dialect: &Dialect, path: &str) -> String {
    let mut methods: Vec<&str> = Vec::new();
    for r in dialect.routes.iter().filter(|r| r.path == path) {
        if !methods.contains(&r.method.as_str()) {
            methods.push(r.method.as_str());
        }
    }
    methods.join(", ")
}

/// Whether two route paths (prefix included) could match the same request path.
pub fn paths_overlap(a: &str, b: &str) -> bool {
    let sa: Vec<&str> = a.trim_matches('/').split('/').collect();
    let sb: Vec<&str> = b.trim_matches('/').split('/').collect();
    sa.len() == sb.len()
        && sa.iter().zip(&sb).all(|(x, y)| {
            let var = |s: &str| s.starts_with('{') && s.ends_with('}');
            var(x) || var(y) || x == y
        })
}

/// Full path of a route under a prefix.
pub fn join(prefix: &str, path: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    if path.is_empty() || path == "/" {
        if prefix.is_empty() {
            "/".into()
        } else {
            prefix.into()
        }
    } else {
        format!("{prefix}{path}")
    }
}

#[cfg(test)]
mod tests;
