#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The usr dialect over HTTP, on a real gateway and a real database (SQLite and PostgreSQL).

use insta::assert_json_snapshot;
use reqwest::Method;
use rosetta_testkit::rosetta_core::{
    Actor, CreateUsersRequest, Cursor, LoginCheck, NameInput, NewUser, Onboarding, Status,
    TenantId, User, UserFilter, UserId, UserKey,
};
use rosetta_testkit::{backend_tests, spawn_app, spawn_app_with, Backend, TestApp};
use serde_json::{json, Value};

/// The document's addUser example, byte for byte.
const ADD_EXAMPLE: &str = r#"{ "contactName":"John Doe", "emailAddress":"jhn.doe@example.com", "defaultAccountId":1, "username":"test", "password":"test" }"#;
/// The document's modifyUser example, byte for byte (note `"active":"0"`).
const MODIFY_EXAMPLE: &str = r#"{ "contactName":"John Doe modified", "emailAddress":"john.doe@example.com", "defaultAccountId":1, "username":"test", "password":"test", "active":"0" }"#;

const JS: Option<&str> = Some("text/javascript");

struct Answer {
    status: u16,
    content_type: String,
    text: String,
    body: Value,
}

async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    body: Option<&str>,
) -> Answer {
    let mut req = app.client.request(method, app.url(path));
    if let Some(t) = token {
        req = req.header("Authorization", format!("Bearer {t}"));
    }
    if let Some(ct) = content_type {
        req = req.header("Content-Type", ct);
    }
    if let Some(b) = body {
        req = req.body(b.to_owned());
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let content_type = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let text = res.text().await.unwrap();
    let body =
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status} not JSON: {text:?}"));
    Answer {
        status,
        content_type,
        text,
        body,
    }
}

async fn get(app: &TestApp, path: &str, token: &str) -> Answer {
    send(app, Method::GET, path, Some(token), None, None).await
}

/// Every user of a tenant as the core holds them (version and timestamps included), so any
/// write at all shows as a difference.
async fn all_users(app: &TestApp, tenant: TenantId) -> Vec<User> {
    app.directory
        .list_users(
            &Actor::cli(tenant),
            &UserFilter::all(),
            Cursor::Start,
            10_000,
        )
        .await
        .unwrap()
        .users
}

async fn verifies(app: &TestApp, username: &str, password: &str) -> bool {
    matches!(
        app.directory
            .check_login(UserKey::Username(username.into()), password)
            .await
            .unwrap(),
        LoginCheck::Ok(..)
    )
}

fn ids(list: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

async fn document_examples(backend: Backend) {
    let app = spawn_app(backend).await;
    // One tenant per method, so the example body (always username "test") can be sent as is.
    for (tenant_name, method) in [("post", Method::POST), ("put", Method::PUT)] {
        let (tenant, _) = app.tenant(tenant_name).await;
        let token = app.credential(tenant, "usr").await;

        let added = send(
            &app,
            method.clone(),
            "/usr/new",
            Some(&token),
            JS,
            Some(ADD_EXAMPLE),
        )
        .await;
        assert_eq!(added.status, 201, "{}", added.body);
        assert_eq!(added.content_type, "application/json");
        assert_json_snapshot!("add_user_created", added.body, {".id" => "[id]"});
        let id = added.body["id"].as_i64().unwrap();
        // Members in the document's order, exactly as the wire carries them.
        assert_eq!(
            added.text,
            format!(
                r#"{{"id":{id},"contactName":"John Doe","emailAddress":"jhn.doe@example.com","defaultAccountId":1,"username":"test","active":1}}"#
            )
        );
        assert!(verifies(&app, "test", "test").await);

        let read = get(&app, &format!("/usr/{id}"), &token).await;
        assert_eq!(read.status, 200);
        assert_eq!(read.body, added.body);
        assert_json_snapshot!("get_user", read.body, {".id" => "[id]"});

        // The document's list example: account 1, with and without `/pub`.
        let list = get(&app, "/pub/usr/acc/1", &token).await;
        assert_eq!(list.status, 200);
        assert_eq!(list.content_type, "application/json");
        assert_json_snapshot!("list_by_account", list.body, {"[].id" => "[id]"});
        let alias = get(&app, "/usr/acc/1", &token).await;
        assert_eq!(alias.body, list.body);

        let modified = send(
            &app,
            method.clone(),
            &format!("/usr/{id}"),
            Some(&token),
            JS,
            Some(MODIFY_EXAMPLE),
        )
        .await;
        assert_eq!(modified.status, 200, "{}", modified.body);
        assert_eq!(modified.content_type, "application/json");
        assert_eq!(modified.body["id"], json!(id));
        assert_eq!(modified.body["active"], json!(0));
        assert_json_snapshot!("modify_user", modified.body, {".id" => "[id]"});
        let stored = app
            .directory
            .get_user(&Actor::cli(tenant), UserKey::Id(UserId(id)))
            .await
            .unwrap();
        assert_eq!(stored.status, Status::Inactive);
        assert_eq!(stored.names.first, "John");
        assert_eq!(stored.names.last, "Doe modified");
        assert_eq!(
            get(&app, &format!("/usr/{id}"), &token).await.body,
            modified.body
        );

        let deleted = send(
            &app,
            Method::DELETE,
            &format!("/usr/{id}"),
            Some(&token),
            None,
            None,
        )
        .await;
        assert_eq!(deleted.status, 200);
        assert_eq!(deleted.body, json!({"id": id, "deleted": true}));
        assert_json_snapshot!("delete_user", deleted.body, {".id" => "[id]"});

        let gone = get(&app, &format!("/usr/{id}"), &token).await;
        assert_eq!(gone.status, 404);
        assert_json_snapshot!("unknown_user", gone.body);
        let list = get(&app, "/pub/usr/acc/1", &token).await;
        assert_eq!(list.body, json!([]));
    }
}

async fn list_by_account(backend: Backend) {
    let app = spawn_app(backend).await;
    let (a, _) = app.tenant("a").await;
    let (b, _) = app.tenant("b").await;
    let token_a = app.credential(a, "usr").await;
    let token_b = app.credential(b, "usr").await;
    let acc = |n: i64| move |u: &mut NewUser| u.default_account_id = Some(n);
    let a1 = app.user_with(a, "a1", "a1@example.com", "pw", acc(1)).await;
    let a2 = app.user_with(a, "a2", "a2@example.com", "pw", acc(2)).await;
    let a3 = app.user_with(a, "a3", "a3@example.com", "pw", acc(1)).await;
    let _none = app.user(a, "a4", "a4@example.com", "pw").await;
    let b1 = app.user_with(b, "b1", "b1@example.com", "pw", acc(1)).await;

    let list = get(&app, "/pub/usr/acc/1", &token_a).await;
    assert_eq!(list.status, 200);
    assert_eq!(ids(&list.body), vec![a1.id.0, a3.id.0]);
    assert!(list
        .body
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u["defaultAccountId"] == json!(1)));
    let list = get(&app, "/pub/usr/acc/2", &token_a).await;
    assert_eq!(ids(&list.body), vec![a2.id.0]);
    let list = get(&app, "/pub/usr/acc/1", &token_b).await;
    assert_eq!(ids(&list.body), vec![b1.id.0]);

    // An account without users, and one that only another tenant uses.
    let empty = get(&app, "/pub/usr/acc/3", &token_a).await;
    assert_eq!((empty.status, empty.body.clone()), (200, json!([])));
    assert_json_snapshot!("list_by_account_empty", empty.body);
    let empty = get(&app, "/pub/usr/acc/2", &token_b).await;
    assert_eq!((empty.status, empty.body), (200, json!([])));

    // A non-numeric account cannot exist.
    let bad = get(&app, "/pub/usr/acc/abc", &token_a).await;
    assert_eq!(bad.status, 404);
    assert_json_snapshot!("unknown_account", bad.body);

    // Another tenant's user is answered exactly like a missing one.
    let theirs = get(&app, &format!("/usr/{}", b1.id), &token_a).await;
    let missing = get(&app, "/usr/987654321", &token_a).await;
    assert_eq!(theirs.status, 404);
    assert_eq!(theirs.body, missing.body);
    // More users than one store page: the list pages through all of them.
    let many: Vec<NewUser> = (0..520)
        .map(|i| {
            let mut u = NewUser::new(
                format!("m{i}@example.com"),
                NameInput::Full(format!("Many {i}")),
            );
            u.default_account_id = Some(9);
            u
        })
        .collect();
    let made = app
        .directory
        .create_users(
            &Actor::cli(a),
            CreateUsersRequest {
                users: many,
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap();
    let list = get(&app, "/pub/usr/acc/9", &token_a).await;
    let mut want: Vec<i64> = made.iter().map(|u| u.id.0).collect();
    want.sort_unstable();
    assert_eq!(ids(&list.body), want);

    let pending = app
        .user_with(a, "p1", "p1@example.com", "pw", |u| {
            u.status = Status::Pending
        })
        .await;
    let read = get(&app, &format!("/usr/{}", pending.id), &token_a).await;
    assert_eq!(read.body["active"], json!(0));
}

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
    let app = spawn_app_with(backend, |c| c.limits.body_bytes = 1024).await;
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
    let basic = app
        .client
        .get(app.url(&mine))
        .header("Authorization", format!("Basic {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 401);
    assert_eq!(
        basic
            .headers()
            .get("www-authenticate")
            .unwrap()
            .to_str()
            .unwrap(),
        "Bearer"
    );
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

backend_tests!(
    document_examples,
    list_by_account,
    partial_modify,
    errors_change_nothing
);
