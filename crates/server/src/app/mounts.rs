//! The mount table: which dialect answers under which prefix on which listener, checked for
//! collisions from the same route tables the services are built from.

use actix_web::http::Method;
use rosetta_dialect::{join, paths_overlap, Dialect};

use super::error::StartError;
use super::ops::{BENCH_BASELINE_PATH, OPS_ROUTES};
use crate::config::Config;

/// Every dialect this binary can serve, in mount order.
pub const DIALECTS: &[Dialect] = &[
    rosetta_kashflow::DIALECT,
    rosetta_usr::DIALECT,
    rosetta_keaz::DIALECT,
    rosetta_v2::DIALECT,
    rosetta_scim::DIALECT,
];

/// A dialect as the configuration mounts it.
#[derive(Clone)]
pub struct Mount {
    pub dialect: Dialect,
    pub prefix: String,
    /// `None`: the main listener.
    pub listen: Option<String>,
    /// `[dialects.<name>.deprecation]`, checked against the route table.
    pub deprecations: rosetta_dialect::deprecation::Deprecations,
}

pub fn resolve_mounts(config: &Config) -> Result<Vec<Mount>, StartError> {
    for name in config.dialects.keys() {
        if !DIALECTS.iter().any(|d| d.name == name) {
            return Err(StartError::Config(format!(
                "bad config: unknown dialect '{name}' (known: {})",
                DIALECTS
                    .iter()
                    .map(|d| d.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let mut mounts: Vec<Mount> = Vec::new();
    for d in DIALECTS {
        let m = config.dialects.get(d.name).cloned().unwrap_or_default();
        // Checked even for a dialect switched off, so turning it on cannot fail later.
        let deprecations = crate::deprecation::resolve(d, m.deprecation.as_ref(), &config.clock)
            .map_err(|e| StartError::Config(format!("bad config: {e}")))?;
        if m.enabled.unwrap_or(true) {
            mounts.push(Mount {
                dialect: *d,
                prefix: m.prefix.unwrap_or_else(|| d.default_prefix.to_owned()),
                listen: m.listen.filter(|l| *l != config.server.listen),
                deprecations,
            });
        }
    }
    for m in &mounts {
        if !(m.prefix.is_empty() || m.prefix.starts_with('/')) {
            return Err(StartError::Config(format!(
                "bad config: dialects.{}.prefix must be empty or start with /",
                m.dialect.name
            )));
        }
    }
    let mut ops = OPS_ROUTES.to_vec();
    if config.server.bench_baseline {
        ops.push(BENCH_BASELINE_PATH);
    }
    if config.console.enabled && config.console.listen.is_none() {
        ops.extend_from_slice(crate::console::PATHS);
    }
    check_collisions_with(&mounts, &ops)?;
    Ok(mounts)
}

/// Two dialects on one listener may not answer the same method and path.
#[cfg(test)]
fn check_collisions(mounts: &[Mount]) -> Result<(), StartError> {
    check_collisions_with(mounts, OPS_ROUTES)
}

/// [`check_collisions`] with the gateway's own `GET` paths on the main listener. The routes
/// are the dialects' tables, the same ones their services are built from.
fn check_collisions_with(mounts: &[Mount], ops: &[&str]) -> Result<(), StartError> {
    let mut seen: Vec<(&Option<String>, &Method, String, &str)> = Vec::new();
    for path in ops {
        seen.push((&None, &Method::GET, (*path).to_owned(), "gateway"));
    }
    for m in mounts {
        for r in m.dialect.routes {
            let full = join(&m.prefix, r.path);
            for (listen, method, other, owner) in &seen {
                if *listen == &m.listen
                    && *owner != m.dialect.name
                    && **method == r.method
                    && paths_overlap(other, &full)
                {
                    return Err(StartError::Collision(format!(
                        "{} {full} of {} and {other} of {owner}",
                        r.method, m.dialect.name
                    )));
                }
            }
            seen.push((&m.listen, &r.method, full, m.dialect.name));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DialectMount;
    use actix_web::HttpResponse;
    use rosetta_dialect::{AppData, Route};

    const A_ROUTES: &[Route] = &[
        Route::new(Method::GET, "/users", |r| r.to(HttpResponse::Ok)),
        Route::new(Method::GET, "/users/{n}", |r| r.to(HttpResponse::Ok)),
    ];
    const A: Dialect = Dialect {
        name: "a",
        default_prefix: "/a",
        routes: A_ROUTES,
        other_methods: &[],
        render: |_, _| None,
        unmatched: |_, _| HttpResponse::NotFound().finish(),
        state: AppData::none,
        openapi: rosetta_dialect::openapi::utoipa::openapi::OpenApi::default,
    };
    const B_ROUTES: &[Route] = &[
        Route::new(Method::GET, "/users/{id}", |r| r.to(HttpResponse::Ok)),
        Route::new(Method::POST, "/users", |r| r.to(HttpResponse::Ok)),
    ];
    const B: Dialect = Dialect {
        name: "b",
        default_prefix: "",
        routes: B_ROUTES,
        ..A
    };

    fn mount(d: Dialect, prefix: &str, listen: Option<&str>) -> Mount {
        Mount {
            dialect: d,
            prefix: prefix.into(),
            listen: listen.map(str::to_owned),
            deprecations: Default::default(),
        }
    }

    #[test]
    fn collisions_need_same_listener_method_and_path() {
        assert!(check_collisions(&[mount(A, "/a", None), mount(B, "", None)]).is_ok());
        let err = check_collisions(&[mount(A, "", None), mount(B, "", None)]).unwrap_err();
        assert!(
            err.to_string()
                .contains("GET /users/{id} of b and /users/{n} of a"),
            "{err}"
        );
        // POST /users does not collide with GET /users.
        const POST_ONLY: &[Route] = &[Route::new(Method::POST, "/users", |r| {
            r.to(HttpResponse::Ok)
        })];
        let only_post = Dialect {
            routes: POST_ONLY,
            ..B
        };
        assert!(check_collisions(&[mount(A, "", None), mount(only_post, "", None)]).is_ok());
        // A listener of its own keeps a legacy client's exact paths apart.
        assert!(check_collisions(&[mount(A, "", None), mount(B, "", Some("127.0.0.1:9"))]).is_ok());
        // Nothing may shadow the operational endpoints on the main listener.
        const CATCH_ALL: &[Route] = &[Route::new(Method::GET, "/{x}", |r| r.to(HttpResponse::Ok))];
        let ops = Dialect {
            routes: CATCH_ALL,
            ..B
        };
        assert!(check_collisions(&[mount(ops, "", None)]).is_err());
    }

    /// A route added to a table without its OpenAPI operation (or the reverse) fails here.
    #[test]
    fn every_route_of_every_table_is_documented() {
        for d in DIALECTS {
            let drift = rosetta_dialect::openapi::undocumented(d);
            assert!(drift.is_empty(), "{}: {drift:?}", d.name);
        }
    }

    /// A route listed twice would never be reached (actix takes the first), and other methods
    /// of a path nobody serves would answer for a path the collision check never saw.
    #[test]
    fn every_dialect_table_is_well_formed() {
        for d in DIALECTS {
            for (i, a) in d.routes.iter().enumerate() {
                assert!(a.path.starts_with('/'), "{} {}", d.name, a.path);
                for b in &d.routes[i + 1..] {
                    assert!(
                        !(a.method == b.method && a.path == b.path),
                        "{}: {} {} twice",
                        d.name,
                        a.method,
                        a.path
                    );
                }
            }
            for o in d.other_methods {
                assert!(
                    d.routes.iter().any(|r| r.path == o.path),
                    "{}: other methods of {}, which no route serves",
                    d.name,
                    o.path
                );
            }
        }
    }

    #[test]
    fn every_real_dialect_mounts_by_default_without_collisions() {
        let mounts = resolve_mounts(&Config::default()).unwrap();
        let names: Vec<_> = mounts.iter().map(|m| m.dialect.name).collect();
        assert_eq!(names, vec!["kashflow", "usr", "keaz", "v2", "scim"]);
        let mut config = Config::default();
        config.dialects.insert(
            "keaz".into(),
            DialectMount {
                enabled: Some(false),
                ..DialectMount::default()
            },
        );
        config.dialects.insert(
            "usr".into(),
            DialectMount {
                prefix: Some("nope".into()),
                ..DialectMount::default()
            },
        );
        assert!(
            resolve_mounts(&config).is_err(),
            "a prefix must start with /"
        );
        config.dialects.remove("usr");
        let names: Vec<_> = resolve_mounts(&config)
            .unwrap()
            .iter()
            .map(|m| m.dialect.name)
            .collect();
        assert_eq!(names, vec!["kashflow", "usr", "v2", "scim"]);
    }
}
