//! Prometheus metrics: requests by dialect, route, status and credential; latency by dialect and
//! route; pool state read at scrape time.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};
use rosetta_core::{crypto, day_of, status_class, TenantId, Timestamp, UsageCount};
use rosetta_dialect::{CallerTenant, CredentialLabel};
use rosetta_store::Db;

use crate::config::BearerToken;

/// A usage bucket: day, tenant, dialect, caller, route, status class.
type UsageKey = (
    Timestamp,
    Option<TenantId>,
    &'static str,
    String,
    String,
    String,
);

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool: IntGaugeVec,
    /// Log events stderr refused (see `crate::logging`), brought up to date at scrape time.
    log_write_errors: IntCounter,
    /// 1 while the database answers, 0 while the store knows it is down and probes it.
    database_up: IntGauge,
    /// Full route pattern -> dialect, built from the mount table.
    dialect_of: HashMap<String, &'static str>,
    /// Dialect calls since the last flush to the usage table, by bucket.
    usage: Mutex<HashMap<UsageKey, (i64, Timestamp, Timestamp)>>,
    /// The hash of `metrics.bearer_token`: a scrape's token is compared by its hash, so the
    /// comparison's time says nothing about the token.
    scrape_token: Option<String>,
}

impl Metrics {
    pub fn new(
        dialect_of: HashMap<String, &'static str>,
        bearer_token: Option<&BearerToken>,
    ) -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new("rosetta_http_requests_total", "HTTP requests answered"),
            &["dialect", "route", "status", "credential"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new("rosetta_http_request_duration_seconds", "Time to answer").buckets(
                vec![
                    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                ],
            ),
            &["dialect", "route"],
        )?;
        let pool = IntGaugeVec::new(
            Opts::new("rosetta_db_pool_connections", "Database pool connections"),
            &["state"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(pool.clone()))?;
        let log_write_errors = IntCounter::new(
            "rosetta_log_write_errors_total",
            "Log events dropped because stderr could not take them",
        )?;
        let database_up = IntGauge::new(
            "rosetta_database_up",
            "1 while the database answers, 0 while it is known down and probed",
        )?;
        registry.register(Box::new(log_write_errors.clone()))?;
        registry.register(Box::new(database_up.clone()))?;
        Ok(Self {
            registry,
            requests,
            latency,
            pool,
            log_write_errors,
            database_up,
            dialect_of,
            usage: Mutex::new(HashMap::new()),
            scrape_token: bearer_token.map(|t| crypto::token_hash(t.expose())),
        })
    }

    fn dialect(&self, pattern: &str) -> &'static str {
        self.dialect_of.get(pattern).copied().unwrap_or("gateway")
    }

    fn count_call(&self, call: Call<'_>) {
        let now = chrono::Utc::now();
        let key = (
            day_of(now),
            call.tenant,
            call.dialect,
            call.caller.to_owned(),
            call.route.to_owned(),
            status_class(call.status),
        );
        if let Ok(mut usage) = self.usage.lock() {
            let entry = usage.entry(key).or_insert((0, now, now));
            entry.0 += 1;
            entry.2 = now;
        }
    }

    /// The calls counted since the last call, for `rosetta usage`.
    pub fn take_usage(&self) -> Vec<UsageCount> {
        let taken = match self.usage.lock() {
            Ok(mut usage) => std::mem::take(&mut *usage),
            Err(_) => HashMap::new(),
        };
        taken
            .into_iter()
            .map(
                |((day, tenant, dialect, caller, route, status_class), (calls, first, last))| {
                    UsageCount {
                        day,
                        tenant,
                        dialect: dialect.to_owned(),
                        caller,
                        route,
                        status_class,
                        calls,
                        first_seen: first,
                        last_seen: last,
                    }
                },
            )
            .collect()
    }

    pub fn render(&self, db: &Db) -> String {
        let (total, idle) = db.pool_state();
        self.pool
            .with_label_values(&["total"])
            .set(i64::from(total));
        self.pool.with_label_values(&["idle"]).set(i64::from(idle));
        let dropped = crate::logging::write_errors();
        self.log_write_errors
            .inc_by(dropped.saturating_sub(self.log_write_errors.get()));
        self.database_up.set(i64::from(!db.is_down()));
        let mut out = Vec::new();
        if let Err(e) = TextEncoder::new().encode(&self.registry.gather(), &mut out) {
            tracing::error!(error = %e, "metrics encoding failed");
        }
        String::from_utf8(out).unwrap_or_default()
    }
}

/// One dialect call, as `rosetta usage` counts it.
struct Call<'a> {
    tenant: Option<TenantId>,
    dialect: &'static str,
    caller: &'a str,
    route: &'a str,
    status: u16,
}

/// Middleware around every listener's app.
pub async fn track(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let res = next.call(req).await?;
    if let Some(m) = metrics {
        let pattern = res
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".into());
        let dialect = m.dialect(&pattern);
        // `rosetta usage` counts each caller (migration.md); the metric only per credential.
        let (caller, metric_label) = match res.request().extensions().get::<CredentialLabel>() {
            Some(c) => (c.0.clone(), c.metric().to_owned()),
            None => ("none".to_owned(), "none".to_owned()),
        };
        let status = res.status().as_u16().to_string();
        m.requests
            .with_label_values(&[
                dialect,
                pattern.as_str(),
                status.as_str(),
                metric_label.as_str(),
            ])
            .inc();
        m.latency
            .with_label_values(&[dialect, pattern.as_str()])
            .observe(started.elapsed().as_secs_f64());
        if dialect != "gateway" {
            let tenant = res
                .request()
                .extensions()
                .get::<CallerTenant>()
                .map(|t| t.0);
            m.count_call(Call {
                tenant,
                dialect,
                caller: &caller,
                route: &pattern,
                status: res.status().as_u16(),
            });
        }
    }
    Ok(res)
}

/// Whether `req` may scrape: always without `metrics.bearer_token`, else only with
/// `Authorization: Bearer <token>`.
fn may_scrape(metrics: &Metrics, req: &HttpRequest) -> bool {
    let Some(expected) = &metrics.scrape_token else {
        return true;
    };
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|given| crypto::token_hash(given.trim()) == *expected)
}

pub async fn endpoint(
    req: HttpRequest,
    metrics: web::Data<Metrics>,
    db: web::Data<Db>,
) -> HttpResponse {
    if !may_scrape(&metrics, &req) {
        return HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
            .content_type("text/plain")
            .body("metrics need Authorization: Bearer <metrics.bearer_token>\n");
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(metrics.render(&db))
}
