//! `POST`/`GET /login`, tokens in the header or the query, and who may read or write.

use reqwest::Method;
use rosetta_testkit::{backend_tests, Backend};
use serde_json::json;

use crate::support::*;

async fn login_and_tokens(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = company(&app, "Acme Fleet", "acme.test").await;

    let r = post(
        &app,
        "/login",
        "",
        json!({"email": "ROOT@acme.test", "password": PW}),
    )
    .await;
    assert_eq!(r.status, 200);
    snap!("login", &r.body);
    let r = get(
        &app,
        &format!("/login?email=root%40acme.test&password={PW}"),
        "",
    )
    .await;
    assert_eq!(r.status, 200);
    let query_token = r.body["token"].as_str().unwrap().to_owned();

    let r = post(
        &app,
        "/login",
        "",
        json!({"email": "root@acme.test", "password": "nope"}),
    )
    .await;
    assert_eq!(r.status, 401);
    snap!("login_rejected", &r.body);
    let r = post(&app, "/login", "", json!({"email": "root@acme.test"})).await;
    assert_eq!(r.status, 400);
    snap!("login_missing_password", &r.body);

    let r = get(&app, "/users", "").await;
    assert_eq!(r.status, 401);
    snap!("no_token", &r.body);
    let r = get(&app, "/users", "bogus").await;
    assert_eq!(r.status, 401);
    snap!("bad_token", &r.body);
    // The token may come in the query string instead of the header.
    let r = get(&app, &format!("/users?token={query_token}"), "").await;
    assert_eq!(r.status, 200, "{}", r.text);

    // Reads need any active user; writes an administrator.
    let r = get(&app, "/users", &c.reader).await;
    assert_eq!(r.status, 200);
    let r = post(
        &app,
        "/user",
        &c.reader,
        json!({"name": "X", "email": "x@acme.test"}),
    )
    .await;
    assert_eq!(r.status, 403);
    snap!("forbidden", &r.body);
    let r = call(
        &app,
        Method::DELETE,
        &format!("/user/{}", c.root.id),
        &c.reader,
        None,
    )
    .await;
    assert_eq!(r.status, 403);

    let r = get(&app, "/user/not-a-number", &c.reader).await;
    assert_eq!(r.status, 404);
    snap!("not_found", &r.body);

    // A body that is not JSON is 415 in keaz's envelope.
    let body = Some(b"name=x".to_vec());
    let r = send(&app, Method::POST, "/user", &c.admin, "text/plain", body).await;
    assert_eq!(r.status, 415);
    snap!("unsupported_json", &r.body);
}

/// issue 13, defect 4: an unknown email answers as a known one, and is locked after five
/// failures like one; each failure verifies one password (the dummy hash for the unknown).
async fn unknown_emails_answer_as_known_ones(backend: Backend) {
    let app = spawn_app(backend).await;
    company(&app, "Acme Fleet", "acme.test").await;
    let login = |email: &'static str| {
        let app = &app;
        async move {
            post(
                app,
                "/login",
                "",
                json!({"email": email, "password": "wrong"}),
            )
            .await
        }
    };
    for _ in 0..4 {
        let before = app.directory.password_verifications();
        let known = login("root@acme.test").await;
        let unknown = login("ghost@acme.test").await;
        assert_eq!(known.status, 401);
        assert_eq!((unknown.status, &unknown.text), (known.status, &known.text));
        assert_eq!(app.directory.password_verifications() - before, 2);
    }
    let known = login("root@acme.test").await;
    let unknown = login("GHOST@acme.test").await;
    assert!(known.text.contains("locked"), "{}", known.text);
    assert_eq!((unknown.status, &unknown.text), (known.status, &known.text));
}

backend_tests!(login_and_tokens, unknown_emails_answer_as_known_ones);
