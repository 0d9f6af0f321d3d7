#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The operational endpoints, on a real gateway over a real database.

use rosetta_testkit::{backend_tests, spawn_app, Backend};

async fn health_and_readiness(backend: Backend) {
    let app = spawn_app(backend).await;
    let r = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let m = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(m.contains("rosetta_db_pool_connections"), "{m}");
    assert!(m.contains("rosetta_http_requests_total{"), "{m}");
    assert!(m.contains("route=\"/readyz\""), "{m}");
}

backend_tests!(health_and_readiness);
