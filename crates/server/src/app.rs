//! Starting the gateway: database, directory, mount table, listeners.

mod error;
mod mounts;
mod ops;

use std::collections::{BTreeMap, HashMap};
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::dev::ServerHandle;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use rosetta_core::{crypto, Directory, Settings, Store};
use rosetta_dialect::{join, Limits};
use rosetta_store::{Db, DieselStore};

pub use error::StartError;
pub use mounts::{resolve_mounts, Mount, DIALECTS};
pub use ops::BENCH_BASELINE_PATH;
use ops::{bench_baseline, healthz, readyz};

use crate::config::Config;
use crate::connections;
use crate::metrics::{self, Metrics};
use crate::openapi::Documents;

/// The directory over the configured database, for `serve` and the CLI alike.
pub async fn open(
    config: &Config,
    activation_url: String,
) -> Result<(Arc<Directory>, Db), StartError> {
    open_with(config, activation_url, config.pool_size()).await
}

/// [`open`] with an explicit pool size (the CLI needs one connection).
pub async fn open_with(
    config: &Config,
    activation_url: String,
    pool_size: u32,
) -> Result<(Arc<Directory>, Db), StartError> {
    let url = config.database.url.clone();
    let db = tokio::task::spawn_blocking(move || Db::connect(&url, pool_size))
        .await
        .map_err(|e| StartError::Other(e.to_string()))?
        .map_err(|e| StartError::Database {
            url: rosetta_store::DbUrl::parse(&config.database.url)
                .map(|u| u.display())
                .unwrap_or_else(|_| "url".into()),
            message: e.to_string().replace('\n', " "),
        })?;
    let store: Arc<dyn Store> =
        Arc::new(DieselStore::new(db.clone()).with_import_chunk(config.limits.import_chunk));
    let secret = match &config.security.secret_key {
        Some(k) => k.clone(),
        None => store
            .setting_get_or_init("secret_key", crypto::random_token())
            .await
            .map_err(|e| StartError::Other(e.to_string()))?,
    };
    let settings = Settings {
        bcrypt_cost: config.security.bcrypt_cost,
        hash_threads: config.security.hash_threads(),
        hash_queue: config.security.hash_queue(),
        min_password_length: config.security.min_password_length,
        activation_ttl: config.tickets.activation_ttl,
        session_idle_ttl: config.sessions.idle_ttl,
        temporary_token_ttl: config.sessions.temporary_ttl,
        lockout_threshold: config.security.lockout_threshold,
        lockout_duration: config.security.lockout_duration,
        activation_url,
        credential_cache_ttl: config.security.credential_cache_ttl,
        max_sessions_per_user: config.sessions.max_per_user,
        // Half the pool at most runs list and search queries, so reads by id always find a
        // connection however many slow searches are waiting.
        list_concurrency: usize::try_from(pool_size / 2).unwrap_or(1).max(1),
        full_lists: config.limits.full_lists,
    };
    Ok((Arc::new(Directory::new(store, settings, &secret)), db))
}

/// A running gateway.
pub struct Gateway {
    /// "main", and each dialect with a listener of its own.
    pub addrs: BTreeMap<String, SocketAddr>,
    pub directory: Arc<Directory>,
    pub db: Db,
    handles: Vec<ServerHandle>,
    servers: Vec<tokio::task::JoinHandle<std::io::Result<()>>>,
    background: Vec<tokio::task::JoinHandle<()>>,
    metrics: web::Data<Metrics>,
}

impl Gateway {
    pub fn main_addr(&self) -> Option<SocketAddr> {
        self.addrs.get("main").copied()
    }

    /// Stops accepting, lets in-flight requests finish (up to the shutdown timeout), returns.
    pub async fn stop(self) {
        for h in &self.handles {
            h.stop(true).await;
        }
        for s in self.servers {
            let _ = s.await;
        }
        for b in self.background {
            b.abort();
        }
        crate::background::flush_usage(&self.directory, &self.metrics).await;
    }

    /// Waits until every listener has stopped by itself.
    pub async fn wait(&mut self) {
        for s in self.servers.drain(..) {
            let _ = s.await;
        }
    }

    pub fn handles(&self) -> Vec<ServerHandle> {
        self.handles.clone()
    }
}

fn bind(addr: &str) -> Result<TcpListener, StartError> {
    TcpListener::bind(addr).map_err(|source| StartError::Listen {
        addr: addr.to_owned(),
        source,
    })
}

pub async fn start(config: &Config) -> Result<Gateway, StartError> {
    let mounts = resolve_mounts(config)?;
    let console = config.console.enabled.then(|| {
        web::Data::new(crate::console::ConsoleState {
            dialects: mounts
                .iter()
                .map(|m| crate::console::ConsoleDialect {
                    name: m.dialect.name,
                    prefix: m.prefix.clone(),
                    deprecations: m.deprecations.clone(),
                })
                .collect(),
            clock: config.clock.clone(),
            session_idle: config.console.session_idle,
            secure_cookies: config.console.secure_cookies,
        })
    });

    // Bind first, so a port in use fails before any database work and tests on port 0 know
    // their address for the activation URL.
    let main_listener = bind(&config.server.listen)?;
    let main_addr = main_listener
        .local_addr()
        .map_err(|e| StartError::Other(e.to_string()))?;
    let mut extra: BTreeMap<String, (TcpListener, Vec<Mount>)> = BTreeMap::new();
    let mut on_main = Vec::new();
    for m in mounts {
        match &m.listen {
            Some(addr) => {
                if !extra.contains_key(addr) {
                    extra.insert(addr.clone(), (bind(addr)?, Vec::new()));
                }
                if let Some(entry) = extra.get_mut(addr) {
                    entry.1.push(m);
                }
            }
            None => on_main.push(m),
        }
    }

    let activation_url = match &config.email.activation_url {
        Some(u) => u.clone(),
        None => {
            let (addr, prefix) = on_main
                .iter()
                .find(|m| m.dialect.name == "keaz")
                .map(|m| (main_addr, m.prefix.clone()))
                .or_else(|| {
                    extra.values().find_map(|(l, ms)| {
                        ms.iter()
                            .find(|m| m.dialect.name == "keaz")
                            .and_then(|m| l.local_addr().ok().map(|a| (a, m.prefix.clone())))
                    })
                })
                .unwrap_or((main_addr, "/keaz".into()));
            format!("http://{addr}{prefix}/activate/{{ticket}}")
        }
    };

    let (directory, db) = open(config, activation_url).await?;

    // Metric labels from the same tables the services are built from.
    let mut dialect_of = HashMap::new();
    for m in on_main
        .iter()
        .chain(extra.values().flat_map(|(_, ms)| ms.iter()))
    {
        for r in m.dialect.routes {
            dialect_of.insert(join(&m.prefix, r.path), m.dialect.name);
        }
    }
    let metrics = web::Data::new(
        Metrics::new(dialect_of, config.metrics.bearer_token.as_ref())
            .map_err(|e| StartError::Other(e.to_string()))?,
    );
    let limits = Limits {
        body_bytes: config.limits.body_bytes,
        import_bytes: config.limits.import_bytes,
        body_timeout: config.limits.body_timeout,
    };
    let files = connections::raise_open_file_limit();
    let max_connections = connections::max_connections(config, files);
    let workers = config.server.workers.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    tracing::info!(
        open_files_before = ?files.before,
        open_files = ?files.now,
        max_connections,
        "open-file limit and connections per listener"
    );
    let dir_data = web::Data::from(directory.clone());
    // dialects.v2.json_case / json_dates: read by the v2 dialect alone, when jsconfig is silent.
    let v2_json = web::Data::new(
        config
            .v2_json_style()
            .map_err(|e| StartError::Config(e.to_string()))?,
    );
    let db_data = web::Data::new(db.clone());
    let documents = web::Data::new(
        Documents::new(
            on_main
                .iter()
                .map(|m| (&m.dialect, m.prefix.as_str(), None))
                .chain(extra.values().flat_map(|(l, ms)| {
                    ms.iter()
                        .map(|m| (&m.dialect, m.prefix.as_str(), l.local_addr().ok()))
                })),
        )
        .map_err(|e| StartError::Other(e.to_string()))?,
    );

    let mut addrs = BTreeMap::new();
    let mut handles = Vec::new();
    let mut servers = Vec::new();
    // The console on the main listener, or on one of its own (`console.listen`).
    let console_listen = config.console.listen.as_ref().filter(|_| console.is_some());
    let mut listeners = vec![(
        "main".to_owned(),
        main_listener,
        on_main,
        true,
        console_listen.is_none(),
    )];
    for (_, (listener, ms)) in extra {
        let name = ms
            .iter()
            .map(|m| m.dialect.name)
            .collect::<Vec<_>>()
            .join("+");
        listeners.push((name, listener, ms, false, false));
    }
    if let Some(addr) = console_listen {
        listeners.push(("console".to_owned(), bind(addr)?, Vec::new(), false, true));
    }
    for (name, listener, ms, ops, with_console) in listeners {
        let addr = listener
            .local_addr()
            .map_err(|e| StartError::Other(e.to_string()))?;
        // Each mount's app data is made here, once, and shared by the listener's workers.
        let mounted: Vec<(String, rosetta_dialect::Mounted)> = ms
            .iter()
            .map(|m| {
                let mounted = m.dialect.mount().with_deprecations(&m.deprecations);
                mounted.map(|d| (m.prefix.clone(), d)).map_err(|e| {
                    StartError::Config(format!(
                        "bad config: dialects.{}.deprecation.link: {e}",
                        m.dialect.name
                    ))
                })
            })
            .collect::<Result<_, _>>()?;
        let (dir_data, db_data, metrics) = (dir_data.clone(), db_data.clone(), metrics.clone());
        // Which dialect a request no route takes belongs to, for its 404/414/431.
        let owners = web::Data::new(rosetta_dialect::unmatched::Owners::new(
            ms.iter().map(|m| (m.prefix.clone(), m.dialect)),
        ));
        let documents = documents.clone();
        let v2_json = v2_json.clone();
        let baseline = ops && config.server.bench_baseline;
        let console = console.clone().filter(|_| with_console);
        let server = HttpServer::new(move || {
            let mut app = App::new()
                .app_data(dir_data.clone())
                .app_data(db_data.clone())
                .app_data(metrics.clone())
                .app_data(web::Data::new(limits))
                .app_data(v2_json.clone())
                .app_data(web::PayloadConfig::new(
                    limits.import_bytes.max(limits.body_bytes),
                ))
                .app_data(owners.clone())
                .default_service(web::to(rosetta_dialect::unmatched::not_found))
                .wrap(from_fn(rosetta_dialect::unmatched::bounds))
                .wrap(from_fn(rosetta_dialect::body::close_unread_bodies))
                .wrap(from_fn(metrics::track));
            if ops {
                app = app
                    .route("/healthz", web::get().to(healthz))
                    .route("/readyz", web::get().to(readyz))
                    .route("/metrics", web::get().to(metrics::endpoint))
                    .app_data(documents.clone())
                    .route(crate::openapi::PATH, web::get().to(crate::openapi::serve));
            }
            if baseline {
                app = app.route(BENCH_BASELINE_PATH, web::get().to(bench_baseline));
            }
            if let Some(state) = &console {
                app = app.configure(|cfg| crate::console::configure(cfg, state.clone()));
            }
            for (prefix, dialect) in &mounted {
                app = app.configure(|cfg| dialect.configure_at(prefix, cfg));
            }
            app
        })
        .disable_signals()
        .shutdown_timeout(config.server.shutdown_timeout.as_secs())
        .workers(workers)
        .max_connections(connections::per_worker(max_connections, workers))
        .listen(listener)
        .map_err(|source| StartError::Listen {
            addr: addr.to_string(),
            source,
        })?;
        let server = server.run();
        handles.push(server.handle());
        servers.push(tokio::spawn(server));
        tracing::info!(listener = %name, %addr, "listening");
        addrs.insert(name, addr);
    }

    if config.server.bench_baseline {
        tracing::warn!(
            path = BENCH_BASELINE_PATH,
            "server.bench_baseline is on: a benchmark-only route is mounted"
        );
    }
    let background = crate::background::spawn(config, directory.clone(), metrics.clone());

    Ok(Gateway {
        addrs,
        directory,
        db,
        handles,
        servers,
        background,
        metrics,
    })
}
