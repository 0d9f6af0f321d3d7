//! What the benchmark harness (`bench/`) relies on: the baseline route exists only when asked
//! for. (That users loaded in bulk are ordinary users is the store's test.)

use reqwest::Method;
use rosetta_e2e::TestGateway;
use rosetta_testkit::{backend_tests, Backend};

async fn baseline_is_absent_by_default(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let r = app
        .client
        .call(Method::GET, "/bench/baseline", &[], None)
        .await;
    assert_eq!(r.status, 404);
}

async fn baseline_is_served_when_enabled(backend: Backend) {
    let app = TestGateway::start_with(backend, |c| c.server.bench_baseline = true).await;
    let r = app
        .client
        .call(Method::GET, "/bench/baseline", &[], None)
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type, "application/json");
    let body = r.json();
    assert_eq!(body["Username"], "ada.lovelace");
    let len = body.to_string().len();
    assert!((200..600).contains(&len), "user-sized: {len} bytes");
    // Only GET, and nothing else appears.
    let r = app
        .client
        .call(Method::POST, "/bench/baseline", &[], None)
        .await;
    assert_eq!(r.status, 404);
}

backend_tests!(
    baseline_is_absent_by_default,
    baseline_is_served_when_enabled
);
