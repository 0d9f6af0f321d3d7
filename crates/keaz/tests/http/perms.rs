//! `/user/{id}/perms` and `/user/{id}/license-types`, and the grant rule on every write that
//! sets perms.

use std::time::Duration;

use rosetta_testkit::{backend_tests, Backend, Fixtures};
use serde_json::json;

use crate::support::*;

async fn grant_rule(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = company(&app, "Acme Fleet", "acme.test").await;
    let target = app
        .user_with(c.tenant, "t", "t@acme.test", PW, |n| {
            n.role_number = Some(2);
            n.perms = vec!["fleet".into()];
        })
        .await;
    let path = format!("/user/{}/perms", target.id);

    // `admin` cannot grant keaz.
    let r = post(
        &app,
        "/user",
        &c.admin,
        json!({"name": "K", "email": "k@acme.test", "perms": ["keaz"]}),
    )
    .await;
    assert_eq!(r.status, 403);
    snap!("grant_refused_keaz", &r.body);
    let r = put(&app, &path, &c.admin, json!(["fleet", "keaz"])).await;
    assert_eq!(r.status, 403);
    let r = put(
        &app,
        &format!("/user/{}", target.id),
        &c.admin,
        json!({"perms": ["keaz"]}),
    )
    .await;
    assert_eq!(r.status, 403);
    // Neither admin nor keaz (an administrator by role): cannot grant admin.
    let r = put(&app, &path, &c.boss, json!(["admin"])).await;
    assert_eq!(r.status, 403);
    snap!("grant_refused_admin", &r.body);
    let r = post(
        &app,
        "/user",
        &c.boss,
        json!({"name": "A", "email": "a@acme.test", "perms": ["admin"]}),
    )
    .await;
    assert_eq!(r.status, 403);

    // Nothing changed.
    let r = get(&app, &path, &c.reader).await;
    assert_eq!(r.body, json!(["fleet"]));
    for email in ["k@acme.test", "a@acme.test"] {
        let r = get(&app, &format!("/user/byemail?email={email}"), &c.reader).await;
        assert_eq!(r.status, 404);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(app.emails().await.is_empty());

    // What each may do.
    let r = put(&app, &path, &c.boss, json!({"perms": ["fleet", "reports"]})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = put(&app, &path, &c.admin, json!(["fleet", "admin"])).await;
    assert_eq!(r.status, 200);
    snap!("perms", &r.body);
    let r = put(&app, &path, &c.keaz, json!(["keaz", "admin"])).await;
    assert_eq!(r.status, 200);
    let r = get(&app, &path, &c.reader).await;
    assert_eq!(r.body, json!(["keaz", "admin"]));

    let lt = format!("/user/{}/license-types", target.id);
    let r = put(&app, &lt, &c.admin, json!(["B", "C1", "B"])).await;
    assert_eq!(r.status, 200);
    snap!("license_types", &r.body);
    let r = get(&app, &lt, &c.reader).await;
    assert_eq!(r.body, json!(["B", "C1"]));
    let r = put(&app, &lt, &c.reader, json!(["D"])).await;
    assert_eq!(r.status, 403);
}

backend_tests!(grant_rule);
