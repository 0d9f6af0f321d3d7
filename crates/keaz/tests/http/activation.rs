//! `GET`/`POST /activate/{ticket}` and `POST /user/{id}/resend`: the emailed ticket of a new
//! user, used once, expiring, replaced by a resend.

use std::time::Duration;

use rosetta_testkit::{backend_tests, Backend};
use serde_json::json;

use crate::support::*;

async fn create_and_activate(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = company(&app, "Acme Fleet", "acme.test").await;
    let r = post(
        &app,
        "/user",
        &c.admin,
        json!({"name": "Pat Jones", "email": "Pat@Example.com", "employee_id": 1234,
               "license_expiry_year": "2029", "cost-centre_id": "CC-9",
               "perms": ["fleet-view"], "license-types": ["B", "C1"], "branch_ids": [7, "x8"],
               "status": "active", "unknown": true}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    snap!("user_created", &r.body);
    assert_eq!(r.body["status"], "pending");
    let id = r.body["id"].as_i64().unwrap();

    // A pending user cannot log in.
    let r = post(
        &app,
        "/login",
        "",
        json!({"email": "pat@example.com", "password": "x"}),
    )
    .await;
    assert_eq!(r.status, 401);

    let emails = app.wait_for_emails(1).await;
    assert_eq!(emails.len(), 1, "{emails:?}");
    assert_eq!(emails[0].to, "Pat@Example.com");
    assert!(emails[0].subject.contains("Acme Fleet"), "{:?}", emails[0]);
    assert!(emails[0].body.contains("Acme Fleet"), "{:?}", emails[0]);
    let ticket = emails[0].ticket().unwrap();
    assert!(ticket.len() >= 22, "128 bits or more: {ticket}");

    let r = get(&app, &format!("/activate/{ticket}"), "").await;
    assert_eq!(r.status, 200);
    snap!("ticket_valid", &r.body);
    let r = post(&app, &format!("/activate/{ticket}"), "", json!({})).await;
    assert_eq!(r.status, 400);
    snap!("activate_needs_password", &r.body);
    let r = get(&app, &format!("/user/{id}"), &c.reader).await;
    assert_eq!(
        r.body["status"], "pending",
        "a refused activation changes nothing"
    );

    let r = post(
        &app,
        &format!("/activate/{ticket}"),
        "",
        json!({"password": "n3w-pass"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    snap!("activated", &r.body);
    assert_eq!(r.body["status"], "active");

    // Used once: a second use is 404 and changes nothing (the first password stays).
    let r = post(
        &app,
        &format!("/activate/{ticket}"),
        "",
        json!({"password": "other"}),
    )
    .await;
    assert_eq!(r.status, 404);
    let r = get(&app, &format!("/activate/{ticket}"), "").await;
    assert_eq!(r.status, 404);
    let r = post(
        &app,
        "/login",
        "",
        json!({"email": "pat@example.com", "password": "other"}),
    )
    .await;
    assert_eq!(r.status, 401);
    login(&app, "pat@example.com", "n3w-pass").await;

    let r = get(&app, &format!("/user/{id}"), &c.reader).await;
    snap!("user_read", &r.body);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(app.emails().await.len(), 1, "delivered once");
}

async fn expired_ticket_is_refused(backend: Backend) {
    let app = spawn_app_with(backend, |o| {
        o.settings.activation_ttl = Duration::from_secs(1);
    })
    .await;
    let c = company(&app, "Acme Fleet", "acme.test").await;
    let r = post(
        &app,
        "/user",
        &c.admin,
        json!({"name": "Late", "email": "late@acme.test"}),
    )
    .await;
    assert_eq!(r.status, 201);
    let id = r.body["id"].as_i64().unwrap();
    let ticket = app.wait_for_emails(1).await[0].ticket().unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let r = get(&app, &format!("/activate/{ticket}"), "").await;
    assert_eq!(r.status, 404);
    let r = post(
        &app,
        &format!("/activate/{ticket}"),
        "",
        json!({"password": "pw12"}),
    )
    .await;
    assert_eq!(r.status, 404);
    let r = get(&app, &format!("/user/{id}"), &c.reader).await;
    assert_eq!(r.body["status"], "pending");
    let r = post(
        &app,
        "/login",
        "",
        json!({"email": "late@acme.test", "password": "pw12"}),
    )
    .await;
    assert_eq!(r.status, 401, "no password was set");
}

async fn resend_voids_the_old_ticket(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = company(&app, "Acme Fleet", "acme.test").await;
    let r = post(
        &app,
        "/user",
        &c.admin,
        json!({"name": "Sam", "email": "sam@acme.test"}),
    )
    .await;
    let id = r.body["id"].as_i64().unwrap();
    let first = app.wait_for_emails(1).await[0].ticket().unwrap();

    let r = post(&app, &format!("/user/{id}/resend"), &c.reader, json!({})).await;
    assert_eq!(r.status, 403);
    let r = post(&app, &format!("/user/{id}/resend"), &c.admin, json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    snap!("resent", &r.body);
    let emails = app.wait_for_emails(2).await;
    assert_eq!(emails.len(), 2);
    let second = emails[1].ticket().unwrap();
    assert_ne!(first, second);

    let r = post(
        &app,
        &format!("/activate/{first}"),
        "",
        json!({"password": "pw12"}),
    )
    .await;
    assert_eq!(r.status, 404, "the replaced ticket is void");
    let r = get(&app, &format!("/user/{id}"), &c.reader).await;
    assert_eq!(r.body["status"], "pending");
    let r = post(
        &app,
        &format!("/activate/{second}"),
        "",
        json!({"password": "pw12"}),
    )
    .await;
    assert_eq!(r.status, 200);
    // Only while pending.
    let r = post(&app, &format!("/user/{id}/resend"), &c.admin, json!({})).await;
    assert_eq!(r.status, 400);
    snap!("resend_not_pending", &r.body);
}

backend_tests!(
    create_and_activate,
    expired_ticket_is_refused,
    resend_voids_the_old_ticket,
);
