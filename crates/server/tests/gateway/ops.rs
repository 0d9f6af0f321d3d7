//! The operational endpoints, on a real gateway over a real database.

use reqwest::Method;
use rosetta_e2e::TestGateway;
use rosetta_testkit::{backend_tests, Backend};

async fn health_and_readiness(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let r = app.client.call(Method::GET, "/healthz", &[], None).await;
    assert_eq!(r.status, 200);
    let r = app.client.call(Method::GET, "/readyz", &[], None).await;
    assert_eq!(r.status, 200);
    let m = app
        .client
        .call(Method::GET, "/metrics", &[], None)
        .await
        .text;
    assert!(m.contains("rosetta_db_pool_connections"), "{m}");
    assert!(m.contains("rosetta_http_requests_total{"), "{m}");
    assert!(m.contains("route=\"/readyz\""), "{m}");
}

backend_tests!(health_and_readiness);
