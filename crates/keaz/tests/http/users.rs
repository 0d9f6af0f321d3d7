//! `/user`, `/user/{id}`, `/user/byemail` and `/users`: refused writes, lists by status,
//! companies apart.

use std::collections::BTreeSet;
use std::time::Duration;

use reqwest::Method;
use rosetta_testkit::rosetta_core::Status;
use rosetta_testkit::{backend_tests, Backend, Fixtures};
use serde_json::{json, Value};

use crate::support::*;

async fn bad_input_writes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = company(&app, "Acme Fleet", "acme.test").await;
    let before = get(&app, "/users", &c.reader).await.body;

    let cases = [
        (
            "invalid_name",
            json!({"name": "Bob!", "email": "bob@acme.test"}),
            400,
        ),
        (
            "invalid_email",
            json!({"name": "Bob", "email": "bob@nowhere"}),
            400,
        ),
        (
            "invalid_email_space",
            json!({"name": "Bob", "email": "bo b@acme.test"}),
            400,
        ),
        ("missing_name", json!({"email": "bob@acme.test"}), 400),
        (
            "duplicate",
            json!({"name": "Root", "email": "ROOT@Acme.Test"}),
            409,
        ),
        (
            "invalid_perm",
            json!({"name": "Bob", "email": "bob@acme.test", "perms": ["Fleet Admin"]}),
            400,
        ),
        (
            "invalid_list",
            json!({"name": "Bob", "email": "bob@acme.test", "branch_ids": "7"}),
            400,
        ),
        (
            "invalid_company",
            json!({"name": "Bob", "email": "bob@acme.test", "company_id": 999999}),
            400,
        ),
    ];
    for (name, body, status) in cases {
        let r = post(&app, "/user", &c.admin, body).await;
        assert_eq!(r.status, status, "{name}: {}", r.text);
        snap!(name, &r.body);
    }
    let body = Some(b"{not json".to_vec());
    let r = send(
        &app,
        Method::POST,
        "/user",
        &c.admin,
        "application/json",
        body,
    )
    .await;
    assert_eq!(r.status, 400);
    snap!("invalid_json", &r.body);

    let id = c.root.id;
    let r = put(&app, &format!("/user/{id}/perms"), &c.keaz, json!(["BAD"])).await;
    assert_eq!(r.status, 400);
    // The core's rule for a permission name, worded as the create's `invalid_perm` snapshot.
    assert_eq!(
        r.text,
        r#"{"error":"invalid","message":"perms 'BAD' is not a permission name ([a-z0-9_-]{1,32})","field":"perms"}"#
    );
    let r = put(&app, &format!("/user/{id}"), &c.keaz, json!({"name": "x!"})).await;
    assert_eq!(r.status, 400);
    let r = put(
        &app,
        &format!("/user/{id}"),
        &c.keaz,
        json!({"email": "adm@ACME.test"}),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.text);
    let r = put(
        &app,
        &format!("/user/{id}"),
        &c.keaz,
        json!({"status": "asleep"}),
    )
    .await;
    assert_eq!(r.status, 400);

    let after = get(&app, "/users", &c.reader).await.body;
    assert_eq!(before, after, "nothing was written");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(app.emails().await.is_empty(), "no email was queued");

    // PUT: a submitted password is dropped, only submitted fields change.
    let r = put(
        &app,
        &format!("/user/{id}"),
        &c.keaz,
        json!({"password": "hijack", "contact_number": 5550123, "license_country": "GB"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    snap!("user_updated", &r.body);
    assert_eq!(r.body["contact_number"], "5550123");
    assert_eq!(r.body["name"], "root");
    let r = post(
        &app,
        "/login",
        "",
        json!({"email": "root@acme.test", "password": "hijack"}),
    )
    .await;
    assert_eq!(r.status, 401, "the password was not changed");
    login(&app, "root@acme.test", PW).await;
    let r = put(
        &app,
        &format!("/user/{id}"),
        &c.keaz,
        json!({"license_country": null}),
    )
    .await;
    assert_eq!(r.body["license_country"], Value::Null);
    assert_eq!(r.body["contact_number"], "5550123");
}

async fn users_by_status_and_company(backend: Backend) {
    let app = spawn_app(backend).await;
    let a = company(&app, "Acme Fleet", "acme.test").await;
    let b = company(&app, "Other Co", "other.test").await;
    app.user_with(a.tenant, "gone", "gone@acme.test", PW, |n| {
        n.status = Status::Inactive
    })
    .await;
    let other_gone = app
        .user_with(b.tenant, "gone", "gone@other.test", PW, |n| {
            n.status = Status::Inactive
        })
        .await;
    let r = post(
        &app,
        "/user",
        &a.admin,
        json!({"name": "New", "email": "new@acme.test"}),
    )
    .await;
    assert_eq!(r.status, 201);
    post(
        &app,
        "/user",
        &b.admin,
        json!({"name": "New", "email": "new@other.test"}),
    )
    .await;

    let r = get(&app, "/users", &a.reader).await;
    assert_eq!(r.status, 200);
    snap!("users", &r.body);
    assert_eq!(
        emails_of(&r.body),
        ["adm", "boss", "new", "reader", "root"]
            .iter()
            .map(|w| format!("{w}@acme.test"))
            .collect()
    );
    let r = get(&app, "/users?inactive", &a.reader).await;
    snap!("users_inactive", &r.body);
    assert_eq!(
        emails_of(&r.body),
        BTreeSet::from(["gone@acme.test".to_owned()])
    );
    let r = get(&app, "/users?inactive=1", &a.reader).await;
    assert_eq!(
        emails_of(&r.body),
        BTreeSet::from(["gone@acme.test".to_owned()])
    );
    let r = get(&app, "/users?inactive=false", &a.reader).await;
    assert_eq!(emails_of(&r.body).len(), 5);

    // Another company's user is answered as one that does not exist.
    let other = format!("/user/{}", other_gone.id);
    assert_eq!(get(&app, &other, &a.keaz).await.status, 404);
    assert_eq!(
        put(&app, &other, &a.keaz, json!({"name": "X"}))
            .await
            .status,
        404
    );
    assert_eq!(
        call(&app, Method::DELETE, &other, &a.keaz, None)
            .await
            .status,
        404
    );
    assert_eq!(
        get(&app, &format!("{other}/perms"), &a.keaz).await.status,
        404
    );
    assert_eq!(
        get(&app, "/user/byemail?email=new%40other.test", &a.keaz)
            .await
            .status,
        404
    );
    assert_eq!(get(&app, &other, &b.reader).await.status, 200);

    // byemail in any letter case; delete.
    let r = get(&app, "/user/byemail?email=NEW%40acme.TEST", &a.reader).await;
    assert_eq!(r.status, 200);
    snap!("byemail", &r.body);
    let id = r.body["id"].as_i64().unwrap();
    let r = get(&app, "/user/byemail", &a.reader).await;
    assert_eq!(r.status, 400);
    let r = call(&app, Method::DELETE, &format!("/user/{id}"), &a.admin, None).await;
    assert_eq!(r.status, 204);
    assert_eq!(
        get(&app, &format!("/user/{id}"), &a.reader).await.status,
        404
    );
    // Its email is free again.
    let r = post(
        &app,
        "/user",
        &a.admin,
        json!({"name": "New", "email": "new@acme.test"}),
    )
    .await;
    assert_eq!(r.status, 201);
}

backend_tests!(bad_input_writes_nothing, users_by_status_and_company);
