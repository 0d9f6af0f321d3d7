//! The scim dialect is counted like every dialect: `/metrics` labels its calls by the scim
//! credential (never by user) under `dialect="scim"`, and `rosetta usage callers --dialect
//! scim` reports the credential's calls and routes from another process.

use reqwest::Method;
use rosetta_e2e::TestGateway;
use rosetta_testkit::{backend_tests, Backend, Fixtures};
use serde_json::json;

use crate::process::{json, rosetta};

async fn scim_calls_are_counted_per_credential(backend: Backend) {
    let mut app = TestGateway::start(backend).await;
    let (tenant, _) = app.tenant("Acme").await;
    let token = app.credential(tenant, "scim").await;
    app.client.secret(&token);
    let auth = format!("Bearer {token}");
    let headers = [
        ("Authorization", auth.as_str()),
        ("Content-Type", "application/scim+json"),
    ];
    let gw = &app.client;
    let body = serde_json::to_vec(&json!({"userName": "ada@example.com"})).unwrap();
    let created = gw
        .call(Method::POST, "/scim/v2/Users", &headers, Some(body))
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    for _ in 0..2 {
        let r = gw
            .call(Method::GET, &format!("/scim/v2/Users/{id}"), &headers, None)
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let r = gw.call(Method::GET, "/scim/v2/Users", &headers, None).await;
    assert_eq!(r.status, 200, "{}", r.text);

    let m = gw.call(Method::GET, "/metrics", &[], None).await;
    assert_eq!(m.status, 200);
    let scim: Vec<&str> = m
        .text
        .lines()
        .filter(|l| l.starts_with("rosetta_http_requests_total{") && l.contains("dialect=\"scim\""))
        .collect();
    assert!(!scim.is_empty(), "no scim series:\n{}", m.text);
    for line in &scim {
        assert!(line.contains("credential=\"credential:"), "{line}");
        assert!(!line.contains("user:"), "a label per user: {line}");
        assert!(!line.contains(&id), "a label per resource: {line}");
    }
    app.stop().await;

    let out = rosetta(
        app.database.dir(),
        &app.config.database.url,
        &["usage", "callers", "--dialect", "scim", "--json"],
    );
    let v = json(&out);
    assert_eq!(v["dialect"], "scim");
    let callers = v["callers"].as_array().unwrap();
    assert_eq!(callers.len(), 1, "{callers:?}");
    let c = &callers[0];
    assert_eq!(c["tenant"], tenant.0);
    assert!(
        c["caller"].as_str().unwrap().starts_with("credential:"),
        "{c}"
    );
    assert_eq!(c["label"], "test", "the credential's name");
    assert_eq!(c["calls"], 4, "{c}");
    let routes: Vec<&str> = c["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(routes, vec!["/scim/v2/Users", "/scim/v2/Users/{id}"], "{c}");
}

backend_tests!(scim_calls_are_counted_per_credential);
