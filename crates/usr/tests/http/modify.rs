//! `POST`/`PUT /usr/{userId}`: partial changes, one member at a time.

use reqwest::Method;
use rosetta_testkit::rosetta_core::{Actor, Status, UserKey};
use rosetta_testkit::{backend_tests, Backend, Fixtures};
use serde_json::json;

use crate::support::*;

async fn partial_modify(backend: Backend) {
    let app = spawn_app(backend).await;
    let (t, _) = app.tenant("t").await;
    let token = app.credential(t, "usr").await;
    let added = send(
        &app,
        Method::POST,
        "/usr/new",
        Some(&token),
        Some("application/json"),
        Some(r#"{"contactName":"Ann Lee","emailAddress":"ann@example.com","defaultAccountId":"7","username":"ann","password":"old-pass","active":1}"#),
    )
    .await;
    assert_eq!(added.status, 201, "{}", added.body);
    assert_eq!(added.body["defaultAccountId"], json!(7));
    let id = added.body["id"].as_i64().unwrap();
    let path = format!("/usr/{id}");

    // One member at a time: the others stay exactly as they were.
    let mut expect = added.body.clone();
    for (member, value, shown) in [
        (
            "contactName",
            json!("Ann Marie Lee"),
            json!("Ann Marie Lee"),
        ),
        (
            "emailAddress",
            json!("ann.lee@example.com"),
            json!("ann.lee@example.com"),
        ),
        ("defaultAccountId", json!(8), json!(8)),
        ("username", json!("annlee"), json!("annlee")),
        ("active", json!(false), json!(0)),
        ("active", json!("1"), json!(1)),
        ("active", json!(0), json!(0)),
        ("active", json!(true), json!(1)),
    ] {
        let body = json!({ member: value }).to_string();
        let res = send(
            &app,
            Method::PUT,
            &path,
            Some(&token),
            Some("text/json"),
            Some(&body),
        )
        .await;
        assert_eq!(res.status, 200, "{member}: {}", res.body);
        expect[member] = shown;
        assert_eq!(res.body, expect, "{member}");
        assert_eq!(get(&app, &path, &token).await.body, expect);
    }
    // Nulls and an empty body change nothing either.
    let nulls = r#"{"contactName":null,"emailAddress":null,"defaultAccountId":null,"username":null,"password":null,"active":null}"#;
    let res = send(&app, Method::POST, &path, Some(&token), JS, Some(nulls)).await;
    assert_eq!((res.status, res.body), (200, expect.clone()));
    let res = send(&app, Method::POST, &path, Some(&token), None, None).await;
    assert_eq!((res.status, res.body), (200, expect.clone()));
    assert!(verifies(&app, "annlee", "old-pass").await);

    // A sent password replaces the old one, and nothing else.
    let res = send(
        &app,
        Method::POST,
        &path,
        Some(&token),
        JS,
        Some(r#"{"password":"new-pass"}"#),
    )
    .await;
    assert_eq!((res.status, res.body), (200, expect.clone()));
    assert!(!verifies(&app, "annlee", "old-pass").await);
    assert!(verifies(&app, "annlee", "new-pass").await);

    // Writing back what was read changes nothing (and never needs a password).
    let res = send(
        &app,
        Method::PUT,
        &path,
        Some(&token),
        JS,
        Some(&expect.to_string()),
    )
    .await;
    assert_eq!((res.status, res.body), (200, expect.clone()));

    // A pending user stays pending when a client echoes its `active: 0`.
    let pending = app
        .user_with(t, "pen", "pen@example.com", "pw", |u| {
            u.status = Status::Pending
        })
        .await;
    let res = send(
        &app,
        Method::POST,
        &format!("/usr/{}", pending.id),
        Some(&token),
        JS,
        Some(r#"{"active":"0","contactName":"Pen Pal"}"#),
    )
    .await;
    assert_eq!(res.status, 200);
    let stored = app
        .directory
        .get_user(&Actor::cli(t), UserKey::Id(pending.id))
        .await
        .unwrap();
    assert_eq!(stored.status, Status::Pending);
    assert_eq!(stored.names.full, "Pen Pal");
}

backend_tests!(partial_modify);
