//! Refused requests on every route: each answers in usr's envelope and changes nothing.

use insta::assert_json_snapshot;
use reqwest::Method;
use rosetta_testkit::{backend_tests, Backend, Fixtures};
use serde_json::{json, Value};

use crate::support::*;

/// One refused request: name, method, path, content type, body, then the expected status,
/// code and field.
type Case = (
    &'static str,
    Method,
    String,
    Option<&'static str>,
    Value,
    u16,
    &'static str,
    Value,
);

async fn errors_change_nothing(backend: Backend) {
    let app = spawn_app_with(backend, |o| o.limits.body_bytes = 1024).await;
    let (t, _) = app.tenant("t").await;
    let (other, _) = app.tenant("other").await;
    let token = app.credential(t, "usr").await;
    let other_token = app.credential(other, "usr").await;
    let wrong_dialect = app.credential(t, "kashflow").await;
    let existing = app
        .user_with(t, "Taken", "Taken@Example.com", "secret", |u| {
            u.default_account_id = Some(1)
        })
        .await;
    let theirs = app.user(other, "theirs", "theirs@example.com", "pw").await;
    let before = all_users(&app, t).await;
    let before_other = all_users(&app, other).await;
    let mine = format!("/usr/{}", existing.id);

    let add = json!({"contactName":"New Person","emailAddress":"new@example.com",
        "defaultAccountId":1,"username":"new","password":"pw"});

    // Each required member missing in turn (absent and null alike).
    for member in [
        "contactName",
        "emailAddress",
        "defaultAccountId",
        "username",
        "password",
    ] {
        let mut body = add.clone();
        body.as_object_mut().unwrap().remove(member);
        let res = send(
            &app,
            Method::POST,
            "/usr/new",
            Some(&token),
            JS,
            Some(&body.to_string()),
        )
        .await;
        assert_eq!(res.status, 400, "{member}");
        assert_eq!(res.body["error"]["code"], "invalid");
        assert_eq!(res.body["error"]["field"], member);
        assert_json_snapshot!(format!("missing_{member}").as_str(), res.body);
        body[member] = Value::Null;
        let res = send(
            &app,
            Method::PUT,
            "/usr/new",
            Some(&token),
            JS,
            Some(&body.to_string()),
        )
        .await;
        assert_eq!(
            (res.status, &res.body["error"]["field"]),
            (400, &json!(member))
        );
    }

    let cases: Vec<Case> = vec![
        // name, method, path, content type, body, status, code, field
        (
            "bad_email_add",
            Method::POST,
            "/usr/new".into(),
            JS,
            json!({"contactName":"X Y","emailAddress":"not-an-email","defaultAccountId":1,"username":"xy","password":"pw"}),
            400,
            "invalid",
            json!("emailAddress"),
        ),
        (
            "bad_email_modify",
            Method::POST,
            mine.clone(),
            JS,
            json!({"emailAddress":"a b@example.com","password":"changed"}),
            400,
            "invalid",
            json!("emailAddress"),
        ),
        (
            "bad_active",
            Method::POST,
            mine.clone(),
            JS,
            json!({"active":"yes","password":"changed"}),
            400,
            "invalid",
            json!("active"),
        ),
        (
            "bad_account",
            Method::PUT,
            "/usr/new".into(),
            JS,
            json!({"contactName":"X Y","emailAddress":"xy@example.com","defaultAccountId":"one","username":"xy","password":"pw"}),
            400,
            "invalid",
            json!("defaultAccountId"),
        ),
        (
            "bad_type",
            Method::PUT,
            mine.clone(),
            JS,
            json!({"username":42}),
            400,
            "invalid",
            json!("username"),
        ),
        (
            "empty_contact_name",
            Method::PUT,
            mine.clone(),
            JS,
            json!({"contactName":"  "}),
            400,
            "invalid",
            json!("contactName"),
        ),
        (
            "duplicate_username",
            Method::POST,
            "/usr/new".into(),
            JS,
            json!({"contactName":"X Y","emailAddress":"xy@example.com","defaultAccountId":1,"username":"tAKEN","password":"pw"}),
            409,
            "conflict",
            json!("username"),
        ),
        (
            "duplicate_email",
            Method::PUT,
            "/usr/new".into(),
            JS,
            json!({"contactName":"X Y","emailAddress":"taken@EXAMPLE.com","defaultAccountId":1,"username":"xy","password":"pw"}),
            409,
            "conflict",
            json!("emailAddress"),
        ),
        (
            "unknown_id_modify",
            Method::POST,
            "/usr/987654321".into(),
            JS,
            json!({"contactName":"X Y"}),
            404,
            "not_found",
            Value::Null,
        ),
        (
            "other_tenant_modify",
            Method::PUT,
            format!("/usr/{}", theirs.id),
            JS,
            json!({"contactName":"X Y"}),
            404,
            "not_found",
            Value::Null,
        ),
        (
            "non_numeric_id",
            Method::POST,
            "/usr/abc".into(),
            JS,
            json!({"contactName":"X Y"}),
            404,
            "not_found",
            Value::Null,
        ),
        (
            "unsupported_type",
            Method::POST,
            mine.clone(),
            Some("text/plain"),
            json!({"contactName":"X Y"}),
            415,
            "unsupported_media_type",
            Value::Null,
        ),
        (
            "unsupported_type_add",
            Method::PUT,
            "/usr/new".into(),
            Some("application/x-www-form-urlencoded"),
            json!({"contactName":"X Y"}),
            415,
            "unsupported_media_type",
            Value::Null,
        ),
        (
            "oversize",
            Method::POST,
            mine.clone(),
            JS,
            json!({"contactName": "x".repeat(2000)}),
            413,
            "too_large",
            Value::Null,
        ),
        (
            "oversize_add",
            Method::POST,
            "/usr/new".into(),
            Some("application/json"),
            json!({"contactName":"X Y","emailAddress":"xy@example.com","defaultAccountId":1,"username":"xy","password":"x".repeat(2000)}),
            413,
            "too_large",
            Value::Null,
        ),
    ];
    for (name, method, path, ct, body, status, code, field) in cases {
        let res = send(
            &app,
            method,
            &path,
            Some(&token),
            ct,
            Some(&body.to_string()),
        )
        .await;
        assert_eq!(res.status, status, "{name}: {}", res.body);
        assert_eq!(res.content_type, "application/json", "{name}");
        assert_eq!(res.body["error"]["code"], code, "{name}");
        assert_eq!(res.body["error"]["field"], field, "{name}");
        assert_json_snapshot!(name, res.body);
    }

    // Broken JSON and a body that is not an object.
    for (name, body) in [
        ("broken_json", "{\"contactName\":"),
        ("not_an_object", "[1,2]"),
    ] {
        let res = send(&app, Method::POST, &mine, Some(&token), JS, Some(body)).await;
        assert_eq!(res.status, 400, "{name}");
        assert_json_snapshot!(name, res.body);
    }

    // Unknown ids on every method; another tenant's user exactly like a missing one.
    let missing = get(&app, "/usr/987654321", &token).await;
    for path in [
        format!("/usr/{}", theirs.id),
        "/usr/abc".into(),
        "/usr/new".into(),
    ] {
        for method in [Method::GET, Method::DELETE] {
            let res = send(&app, method.clone(), &path, Some(&token), None, None).await;
            assert_eq!(
                (res.status, &res.body),
                (404, &missing.body),
                "{method} {path}"
            );
        }
    }
    let res = send(
        &app,
        Method::DELETE,
        "/usr/987654321",
        Some(&token),
        None,
        None,
    )
    .await;
    assert_eq!((res.status, &res.body), (404, &missing.body));

    // Missing, malformed, wrong and other-dialect tokens: 401 on every route.
    let res = send(&app, Method::GET, &mine, None, None, None).await;
    assert_eq!(res.status, 401);
    assert_json_snapshot!("missing_token", res.body);
    let res = send(&app, Method::GET, &mine, Some("not-a-token"), None, None).await;
    assert_eq!(res.status, 401);
    assert_json_snapshot!("wrong_token", res.body);
    let basic = format!("Basic {token}");
    let basic = app
        .client
        .call(Method::GET, &mine, &[("Authorization", &basic)], None)
        .await;
    assert_eq!(basic.status, 401);
    assert_eq!(basic.header("www-authenticate").unwrap(), "Bearer");
    let routes: [(Method, &str); 7] = [
        (Method::GET, "/pub/usr/acc/1"),
        (Method::GET, &mine),
        (Method::POST, "/usr/new"),
        (Method::PUT, "/usr/new"),
        (Method::POST, &mine),
        (Method::PUT, &mine),
        (Method::DELETE, &mine),
    ];
    for (method, path) in routes {
        for bad in [None, Some("wrong"), Some(wrong_dialect.as_str())] {
            let res = send(&app, method.clone(), path, bad, JS, Some(&add.to_string())).await;
            assert_eq!(res.status, 401, "{method} {path} {bad:?}");
            assert_eq!(res.body["error"]["code"], "unauthorized");
        }
    }

    // A method a path does not serve.
    let res = send(&app, Method::PATCH, &mine, Some(&token), JS, Some("{}")).await;
    assert_eq!(res.status, 405);
    assert_json_snapshot!("method_not_allowed", res.body);

    // Nothing changed: no user added, changed (version, timestamps) or removed, in either
    // tenant, and the old password still verifies.
    assert_eq!(all_users(&app, t).await, before);
    assert_eq!(all_users(&app, other).await, before_other);
    assert!(verifies(&app, "Taken", "secret").await);
    assert!(!verifies(&app, "Taken", "changed").await);

    // The other tenant's own token still sees its user.
    let res = get(&app, &format!("/usr/{}", theirs.id), &other_token).await;
    assert_eq!(res.status, 200);
    assert!(res.body.get("password").is_none());
}

backend_tests!(errors_change_nothing);
