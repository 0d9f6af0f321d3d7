//! The gateway's own endpoints beside the dialects: health, readiness and the benchmark
//! baseline.

use actix_web::{web, HttpResponse};
use rosetta_core::Directory;

/// The paths the gateway itself answers with `GET` on the main listener.
pub(crate) const OPS_ROUTES: &[&str] = &["/healthz", "/readyz", "/metrics", crate::openapi::PATH];

/// The benchmark baseline's path (`server.bench_baseline`).
pub const BENCH_BASELINE_PATH: &str = "/bench/baseline";

/// A fixed user-sized JSON answer: what the HTTP stack, the metrics middleware and
/// serialisation-free writing cost, with no database and no auth. Shaped like a kashflow user
/// (about the size of any dialect's single-user answer).
const BENCH_BASELINE_BODY: &str = concat!(
    r#"{"Email":"ada.lovelace@example.com","FullName":"Ada Lovelace","#,
    r#""UserAccountDisabled":false,"LastLogin":"2026-11-23T10:15:00","NoOfLogins":1,"#,
    r#""RoleNumber":6,"RoleName":"Full Access","Number":500000,"Username":"ada.lovelace","#,
    r#""Id":"0b6f8e4e-6a2f-4f7e-9d43-3c1e5b0a9f21","DefaultAccountId":501}"#
);

pub(crate) async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok\n")
}

pub(crate) async fn bench_baseline() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(BENCH_BASELINE_BODY)
}

pub(crate) async fn readyz(dir: web::Data<Directory>) -> HttpResponse {
    match dir.ping().await {
        Ok(()) => HttpResponse::Ok()
            .content_type("text/plain")
            .body("ready\n"),
        Err(e) => {
            tracing::warn!(error = %e, "database not ready");
            HttpResponse::ServiceUnavailable()
                .insert_header((
                    actix_web::http::header::RETRY_AFTER,
                    rosetta_dialect::RETRY_AFTER_SECONDS,
                ))
                .content_type("text/plain")
                .body("database unavailable\n")
        }
    }
}
