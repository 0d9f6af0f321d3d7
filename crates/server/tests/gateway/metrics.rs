//! `/metrics` labels callers per credential and dialect, never per user (a label per user
//! grows the series without bound and names who is online), and `metrics.bearer_token`
//! protects it.

use reqwest::Method;
use rosetta_e2e::TestGateway;
use rosetta_testkit::callers::{admin_clients, Keaz, Kf};
use rosetta_testkit::{backend_tests, Backend, Fixtures};

/// Every `credential` label value of the requests counter.
fn credential_labels(metrics: &str) -> Vec<String> {
    let mut labels: Vec<String> = metrics
        .lines()
        .filter(|l| l.starts_with("rosetta_http_requests_total{"))
        .filter_map(|l| l.split("credential=\"").nth(1))
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect();
    labels.sort();
    labels.dedup();
    labels
}

async fn metrics_label_credentials_not_users(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let gw = &app.client;
    let (tenant, admin) = admin_clients(&app, gw, "Alpha", "root", "root@alpha.test").await;
    // Ten more users with sessions in both session dialects.
    for n in 0..10 {
        let (name, email) = (format!("u{n}"), format!("u{n}@alpha.test"));
        let password = gw.secret(&format!("pw-{n}-secret"));
        let user = app.user(tenant, &name, &email, &password).await;
        Kf::login(gw, &name, &password, "")
            .await
            .user(user.id.0)
            .await
            .expect(200);
        Keaz::login(gw, &email, &password)
            .await
            .user(user.id.0)
            .await
            .expect(200);
    }
    admin.usr.user(1).await;
    admin.v2.by_email("root@alpha.test").await.expect(200);

    let m = gw.call(Method::GET, "/metrics", &[], None).await;
    assert_eq!(m.status, 200);
    let labels = credential_labels(&m.text);
    assert!(
        labels.iter().all(|l| !l.starts_with("user")),
        "a label per user: {labels:?}"
    );
    assert!(labels.contains(&"session".to_owned()), "{labels:?}");
    assert!(
        labels.iter().any(|l| l.starts_with("credential:")),
        "{labels:?}"
    );
    assert!(
        labels
            .iter()
            .any(|l| l.starts_with("integration-key:tenant-")),
        "{labels:?}"
    );
    // None, session, the usr credential, the v2 integration key: bounded by credentials, not users.
    assert!(labels.len() <= 4, "{labels:?}");
}

async fn metrics_bearer_token_guards_the_endpoint(backend: Backend) {
    let app = TestGateway::start_with(backend, |c| {
        c.metrics.bearer_token = Some("scrape-me-0123456789".to_owned().into());
    })
    .await;
    let gw = &app.client;
    gw.secret("scrape-me-0123456789");
    for headers in [
        vec![],
        vec![("Authorization", "Bearer wrong")],
        vec![("Authorization", "Bearer scrape-me-012345678")],
        vec![("Authorization", "Basic c2NyYXBlLW1lLTAxMjM0NTY3ODk=")],
        vec![("Authorization", "scrape-me-0123456789")],
    ] {
        let r = gw.call(Method::GET, "/metrics", &headers, None).await;
        assert_eq!(r.status, 401, "{headers:?}: {}", r.text);
        assert!(
            !r.text.contains("rosetta_http_requests_total"),
            "{}",
            r.text
        );
        assert_eq!(r.header("www-authenticate"), Some("Bearer"), "{headers:?}");
    }
    let r = gw
        .call(
            Method::GET,
            "/metrics",
            &[("Authorization", "Bearer scrape-me-0123456789")],
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.text.contains("rosetta_http_requests_total"), "{}", r.text);
    // The health endpoints stay open to the orchestrator.
    assert_eq!(
        gw.call(Method::GET, "/healthz", &[], None).await.status,
        200
    );
    assert_eq!(gw.call(Method::GET, "/readyz", &[], None).await.status, 200);
}

backend_tests!(
    metrics_label_credentials_not_users,
    metrics_bearer_token_guards_the_endpoint,
);
