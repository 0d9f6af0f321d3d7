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

backend_tests!(login_and_tokens);
