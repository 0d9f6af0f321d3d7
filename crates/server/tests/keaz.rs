#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The keaz dialect over HTTP, on SQLite and PostgreSQL: logins and tokens, users, the grant
//! rule, activation tickets delivered by file and by a real SMTP server, CSV import, assets
//! and bookings.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use rosetta_core::{Status, TenantId, User};
use rosetta_testkit::{backend_tests, read_eml_dir, spawn_app, spawn_app_with, Backend, TestApp};
use serde_json::{json, Value};

const PW: &str = "s3cret";

/// A response: status, and the body as JSON (`Null` when empty).
struct Reply {
    status: StatusCode,
    body: Value,
    text: String,
}

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> Reply {
    let mut req = app.client.request(method, app.url(&format!("/keaz{path}")));
    if !token.is_empty() {
        req = req.header("token", token);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    reply(req.send().await.unwrap()).await
}

async fn reply(r: reqwest::Response) -> Reply {
    let status = r.status();
    let text = r.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text.clone()))
    };
    Reply { status, body, text }
}

async fn get(app: &TestApp, path: &str, token: &str) -> Reply {
    call(app, Method::GET, path, token, None).await
}

async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> Reply {
    call(app, Method::POST, path, token, Some(body)).await
}

async fn put(app: &TestApp, path: &str, token: &str, body: Value) -> Reply {
    call(app, Method::PUT, path, token, Some(body)).await
}

async fn csv(app: &TestApp, token: &str, content_type: &str, body: Vec<u8>) -> Reply {
    let r = app
        .client
        .post(app.url("/keaz/import/users"))
        .header("token", token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    reply(r).await
}

async fn login(app: &TestApp, email: &str, password: &str) -> String {
    let r = post(
        app,
        "/login",
        "",
        json!({"email": email, "password": password}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["token"].as_str().unwrap().to_owned()
}

/// A company with a keaz user, an `admin` user, a role-6 administrator holding neither perm,
/// and a reader; returns their tokens in that order.
struct Company {
    tenant: TenantId,
    keaz: String,
    admin: String,
    boss: String,
    reader: String,
    root: User,
}

async fn company(app: &TestApp, name: &str, domain: &str) -> Company {
    let (tenant, _) = app.tenant(name).await;
    let mail = |who: &str| format!("{who}@{domain}");
    let root = app
        .user_with(tenant, "root", &mail("root"), PW, |n| {
            n.perms = vec!["keaz".into()]
        })
        .await;
    app.user_with(tenant, "adm", &mail("adm"), PW, |n| {
        n.perms = vec!["admin".into()]
    })
    .await;
    app.user(tenant, "boss", &mail("boss"), PW).await;
    app.user_with(tenant, "reader", &mail("reader"), PW, |n| {
        n.role_number = Some(2)
    })
    .await;
    Company {
        tenant,
        keaz: login(app, &mail("root"), PW).await,
        admin: login(app, &mail("adm"), PW).await,
        boss: login(app, &mail("boss"), PW).await,
        reader: login(app, &mail("reader"), PW).await,
        root,
    }
}

fn emails_of(users: &Value) -> BTreeSet<String> {
    users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_owned())
        .collect()
}

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::assert_json_snapshot!($name, $value, {
            ".id" => "[id]", ".company_id" => "[company]", ".token" => "[token]",
            ".user_id" => "[id]",
            "[].id" => "[id]", "[].company_id" => "[company]", "[].user_id" => "[id]",
        })
    };
}

// ----- logins, tokens, rights ---------------------------------------------------------------

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
    let r = app
        .client
        .post(app.url("/keaz/user"))
        .header("token", &c.admin)
        .header("content-type", "text/plain")
        .body("name=x")
        .send()
        .await
        .unwrap();
    let r = reply(r).await;
    assert_eq!(r.status, 415);
    snap!("unsupported_json", &r.body);
}

// ----- create, activate, tickets ------------------------------------------------------------

async fn create_and_activate_by_file(backend: Backend) {
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
    assert_eq!(app.emails().len(), 1, "delivered once");
}

async fn expired_ticket_is_refused(backend: Backend) {
    let app = spawn_app_with(backend, |c| {
        c.tickets.activation_ttl = Duration::from_secs(1);
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

// ----- SMTP ---------------------------------------------------------------------------------

const SMTP_SERVER: &str = r#"
import os, sys, time
from aiosmtpd.controller import Controller

port, out = int(sys.argv[1]), sys.argv[2]
os.makedirs(out, exist_ok=True)

class Store:
    count = 0
    async def handle_DATA(self, server, session, envelope):
        Store.count += 1
        name = os.path.join(out, "%06d.eml" % Store.count)
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(name + ".tmp", name)
        return "250 OK"

controller = Controller(Store(), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
while True:
    time.sleep(3600)
"#;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts a real SMTP server (Python's aiosmtpd) that stores each message in `out`.
async fn start_smtp(port: u16, work: &Path, out: &Path) -> tokio::process::Child {
    let script = work.join("smtp_server.py");
    std::fs::write(&script, SMTP_SERVER).unwrap();
    let child = tokio::process::Command::new("python3")
        .arg(&script)
        .arg(port.to_string())
        .arg(out)
        .kill_on_drop(true)
        .spawn()
        .expect("python3 with aiosmtpd (pip install aiosmtpd)");
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return child;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the SMTP server did not start (is aiosmtpd installed?)");
}

async fn wait_for_smtp(out: &Path, n: usize) -> Vec<rosetta_testkit::SentEmail> {
    for _ in 0..200 {
        let found = read_eml_dir(out);
        if found.len() >= n {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    read_eml_dir(out)
}

async fn smtp_delivery_survives_an_outage(backend: Backend) {
    let port = free_port();
    let app = spawn_app_with(backend, |c| {
        c.email.transport = "smtp".into();
        c.email.smtp_port = port;
        c.email.max_backoff = Duration::from_secs(1);
    })
    .await;
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("received");
    let c = company(&app, "Acme Fleet", "acme.test").await;

    // The mail server is down: users are still created, their mail waits in the outbox.
    for who in ["ann", "bob"] {
        let r = post(
            &app,
            "/user",
            &c.admin,
            json!({"name": who, "email": format!("{who}@acme.test")}),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let r = get(&app, "/users", &c.reader).await;
    assert!(emails_of(&r.body).contains("bob@acme.test"));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(read_eml_dir(&out).is_empty());

    let _smtp = start_smtp(port, work.path(), &out).await;
    let got = wait_for_smtp(&out, 2).await;
    assert_eq!(got.len(), 2, "{got:?}");
    let r = post(
        &app,
        "/user",
        &c.admin,
        json!({"name": "Cy", "email": "cy@acme.test"}),
    )
    .await;
    assert_eq!(r.status, 201);
    let got = wait_for_smtp(&out, 3).await;
    // Exactly once each, also after more polls.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let got_later = read_eml_dir(&out);
    assert_eq!(got_later.len(), 3, "{got_later:?}");
    let to: BTreeSet<String> = got.iter().map(|e| e.to.clone()).collect();
    assert_eq!(
        to,
        BTreeSet::from([
            "ann@acme.test".to_owned(),
            "bob@acme.test".into(),
            "cy@acme.test".into()
        ])
    );
    assert!(
        app.emails().is_empty(),
        "nothing went to the file transport"
    );

    // The ticket that came through SMTP activates its user.
    let cy = got.iter().find(|e| e.to == "cy@acme.test").unwrap();
    assert!(cy.subject.contains("Acme Fleet"));
    let ticket = cy.ticket().unwrap();
    let r = post(
        &app,
        &format!("/activate/{ticket}"),
        "",
        json!({"password": "pw12"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    login(&app, "cy@acme.test", "pw12").await;
}

// ----- validation ---------------------------------------------------------------------------

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
    let r = app
        .client
        .post(app.url("/keaz/user"))
        .header("token", &c.admin)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    let r = reply(r).await;
    assert_eq!(r.status, 400);
    snap!("invalid_json", &r.body);

    let id = c.root.id;
    let r = put(&app, &format!("/user/{id}/perms"), &c.keaz, json!(["BAD"])).await;
    assert_eq!(r.status, 400);
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
    assert!(app.emails().is_empty(), "no email was queued");

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

// ----- the grant rule -----------------------------------------------------------------------

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
    assert!(app.emails().is_empty());

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

// ----- CSV import ---------------------------------------------------------------------------

async fn csv_import(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.limits.import_bytes = 4096).await;
    let c = company(&app, "Acme Fleet", "acme.test").await;

    let mut file = b"\xEF\xBB\xBF".to_vec();
    file.extend_from_slice(
        b"name,email,contact_number,perms,license-types,branch_ids,cost-centre_id\r\n\
          \"Jo Smith\",jo@acme.test,\"+44 1,234\",\"fleet;view\",B;C1,7,\"CC, North\"\r\n\
          Al,al@acme.test,,,,,\r\n\
          \"Multi Line\",ml@acme.test,\"line one\r\nline two\",,,,\r\n",
    );
    let r = csv(&app, &c.admin, "text/csv; charset=utf-8", file).await;
    assert_eq!(r.status, 201, "{}", r.text);
    snap!("import_created", &r.body);
    assert_eq!(r.body[0]["contact_number"], "+44 1,234");
    assert_eq!(r.body[0]["cost-centre_id"], "CC, North");
    assert_eq!(r.body[0]["perms"], json!(["fleet", "view"]));
    assert_eq!(r.body[2]["contact_number"], "line one\r\nline two");
    let emails = app.wait_for_emails(3).await;
    assert_eq!(emails.len(), 3);
    let ticket = emails
        .iter()
        .find(|e| e.to == "al@acme.test")
        .unwrap()
        .ticket()
        .unwrap();
    let r = post(
        &app,
        &format!("/activate/{ticket}"),
        "",
        json!({"password": "pw12"}),
    )
    .await;
    assert_eq!(r.status, 200);

    // Bad rows among many: every one is named, and nothing is written.
    let before = get(&app, "/users", &c.reader).await.body;
    let mut file = String::from("name,email,employee_id\n");
    for i in 0..60 {
        let email = match i {
            29 => "broken-at-row-31".to_owned(),
            40 => "USER0@acme.test".to_owned(),
            50 => "root@ACME.test".to_owned(),
            _ => format!("user{i}@acme.test"),
        };
        let name = if i == 55 {
            "Bad;Name".to_owned()
        } else {
            format!("User {i}")
        };
        file.push_str(&format!("{name},{email},{i}\n"));
    }
    let r = csv(&app, &c.admin, "text/csv", file.into_bytes()).await;
    assert_eq!(r.status, 422, "{}", r.text);
    snap!("import_rejected", &r.body);
    let rows: Vec<i64> = r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["row"].as_i64().unwrap())
        .collect();
    assert_eq!(rows, [31, 42, 52, 57]);
    assert_eq!(get(&app, "/users", &c.reader).await.body, before);

    let r = csv(
        &app,
        &c.admin,
        "text/csv",
        b"name,email,password,colour\nA,a@acme.test,x,red\n".to_vec(),
    )
    .await;
    assert_eq!(r.status, 422);
    snap!("import_bad_header", &r.body);

    // Over `limits.import_bytes`, wrong media type, not an administrator.
    let big = format!("name,email\n{}", "A,a@acme.test\n".repeat(400));
    let r = csv(&app, &c.admin, "text/csv", big.into_bytes()).await;
    assert_eq!(r.status, 413);
    snap!("import_too_large", &r.body);
    let r = csv(&app, &c.admin, "application/json", b"[]".to_vec()).await;
    assert_eq!(r.status, 415);
    snap!("import_unsupported", &r.body);
    let r = csv(
        &app,
        &c.reader,
        "text/csv",
        b"name,email\nA,a@acme.test\n".to_vec(),
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(get(&app, "/users", &c.reader).await.body, before);
}

async fn csv_import_ten_thousand(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = company(&app, "Acme Fleet", "acme.test").await;
    let mut file = String::from("name,email,employee_id,license-types,branch_ids\r\n");
    for i in 0..10_000 {
        file.push_str(&format!(
            "Driver {i},driver{i}@acme.test,E{i},B;C1,{}\r\n",
            i % 7
        ));
    }
    let started = Instant::now();
    let r = csv(&app, &c.admin, "text/csv", file.into_bytes()).await;
    let took = started.elapsed();
    assert_eq!(r.status, 201, "{}", &r.text[..r.text.len().min(500)]);
    assert_eq!(r.body.as_array().unwrap().len(), 10_000);
    eprintln!(
        "keaz CSV import of 10,000 rows on {backend:?}: {} ms",
        took.as_millis()
    );
    let r = get(&app, "/users", &c.reader).await;
    assert_eq!(r.body.as_array().unwrap().len(), 10_004);
}

// ----- lists and tenants --------------------------------------------------------------------

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

// ----- assets and bookings ------------------------------------------------------------------

async fn assets_and_bookings(backend: Backend) {
    let app = spawn_app(backend).await;
    let a = company(&app, "Acme Fleet", "acme.test").await;
    let b = company(&app, "Other Co", "other.test").await;
    let driver = app
        .user_with(a.tenant, "drv", "drv@acme.test", PW, |n| {
            n.role_number = Some(2)
        })
        .await;
    let base = format!("/user/{}", driver.id);

    let car = r#"{"reg":"AB12 CDE","make":"Volvo","seats":5}"#;
    let send = |tag: &str, body: &str, token: &str| {
        app.client
            .post(app.url(&format!("/keaz{base}/assets/{tag}")))
            .header("token", token.to_owned())
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
    };
    let r = reply(send("car", car, &a.admin).await.unwrap()).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.text, car, "kept exactly as sent");
    let r = reply(send("fuel-card", "[1, 2]", &a.admin).await.unwrap()).await;
    assert_eq!(r.status, 201);
    let car2 = r#"{"reg":"AB12 CDE","make":"Volvo","seats":7}"#;
    let r = reply(send("car", car2, &a.admin).await.unwrap()).await;
    assert_eq!(r.status, 200, "replaced");
    let r = reply(send("car", "{oops", &a.admin).await.unwrap()).await;
    assert_eq!(r.status, 400);
    snap!("asset_invalid", &r.body);
    let r = reply(send("a%20b", "{}", &a.admin).await.unwrap()).await;
    assert_eq!(r.status, 400);
    snap!("asset_bad_tag", &r.body);
    let r = reply(send("car", "{}", &a.reader).await.unwrap()).await;
    assert_eq!(r.status, 403);

    let r = get(&app, &format!("{base}/assets/car"), &a.reader).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.text, car2);
    let r = get(&app, &format!("{base}/assets"), &a.reader).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.text, format!(r#"{{"car":{car2},"fuel-card":[1, 2]}}"#));
    snap!("assets", &r.body);
    assert_eq!(
        get(&app, &format!("{base}/assets/boat"), &a.reader)
            .await
            .status,
        404
    );

    let bookings = format!("{base}/bookings");
    let r = post(
        &app,
        &bookings,
        &a.admin,
        json!({"asset": "car", "start": "2026-03-10T09:00:00Z", "end": "2026-03-10T17:30:00Z"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    snap!("booking", &r.body);
    let r = post(
        &app,
        &bookings,
        &a.admin,
        json!({"asset": "car", "start": "2026-03-31T22:00:00Z", "end": "2026-04-01T02:00:00Z"}),
    )
    .await;
    assert_eq!(r.status, 201);
    // An offset is converted to UTC: this one starts 2025-12-31T23:00Z.
    let r = post(
        &app,
        &bookings,
        &a.admin,
        json!({"asset": 42, "start": "2026-01-01T00:00:00+01:00", "end": "2026-01-01T01:00:00Z"}),
    )
    .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.body["start"], "2025-12-31T23:00:00Z");
    assert_eq!(r.body["asset"], "42");

    let r = post(
        &app,
        &bookings,
        &a.admin,
        json!({"asset": "car", "start": "2026-03-10T09:00:00Z", "end": "2026-03-10T09:00:00Z"}),
    )
    .await;
    assert_eq!(r.status, 400);
    snap!("booking_end_before_start", &r.body);
    let r = post(
        &app,
        &bookings,
        &a.admin,
        json!({"asset": "car", "start": "next tuesday", "end": "2026-03-10T09:00:00Z"}),
    )
    .await;
    assert_eq!(r.status, 400);
    let r = post(
        &app,
        &bookings,
        &a.reader,
        json!({"asset": "car", "start": "2026-03-10T09:00:00Z", "end": "2026-03-10T10:00:00Z"}),
    )
    .await;
    assert_eq!(r.status, 403);

    let count = |path: String| {
        let app = &app;
        let token = a.reader.clone();
        async move {
            let r = get(app, &path, &token).await;
            assert_eq!(r.status, 200, "{path}: {}", r.text);
            r.body.as_array().unwrap().len()
        }
    };
    assert_eq!(count(format!("{bookings}/2026")).await, 3);
    assert_eq!(count(format!("{bookings}/2025")).await, 1);
    assert_eq!(count(format!("{bookings}/2026/03")).await, 2);
    assert_eq!(count(format!("{bookings}/2026/04")).await, 1);
    assert_eq!(count(format!("{bookings}/2026/03/10")).await, 1);
    assert_eq!(count(format!("{bookings}/2026/03/10/12")).await, 1);
    assert_eq!(count(format!("{bookings}/2026/03/10/17")).await, 1);
    assert_eq!(count(format!("{bookings}/2026/03/10/18")).await, 0);
    assert_eq!(count(format!("{bookings}/2026/04/01/01")).await, 1);
    assert_eq!(count(format!("{bookings}/2026/04/01/02")).await, 0);
    let r = get(&app, &format!("{bookings}/2026/03"), &a.reader).await;
    snap!("bookings", &r.body);
    let r = get(&app, &format!("{bookings}/2026/13"), &a.reader).await;
    assert_eq!(r.status, 400);
    snap!("bookings_bad_path", &r.body);

    // Another company sees none of it.
    assert_eq!(
        get(&app, &format!("{base}/assets"), &b.keaz).await.status,
        404
    );
    assert_eq!(
        get(&app, &format!("{base}/assets/car"), &b.keaz)
            .await
            .status,
        404
    );
    assert_eq!(
        reply(send("car", "{}", &b.keaz).await.unwrap())
            .await
            .status,
        404
    );
    assert_eq!(
        get(&app, &format!("{bookings}/2026"), &b.keaz).await.status,
        404
    );
    let r = post(
        &app,
        &bookings,
        &b.keaz,
        json!({"asset": "car", "start": "2026-03-10T09:00:00Z", "end": "2026-03-10T10:00:00Z"}),
    )
    .await;
    assert_eq!(r.status, 404);

    // They go with the user.
    let r = call(&app, Method::DELETE, &base, &a.admin, None).await;
    assert_eq!(r.status, 204);
    assert_eq!(
        get(&app, &format!("{base}/assets"), &a.reader).await.status,
        404
    );
}

backend_tests!(
    login_and_tokens,
    create_and_activate_by_file,
    expired_ticket_is_refused,
    resend_voids_the_old_ticket,
    smtp_delivery_survives_an_outage,
    bad_input_writes_nothing,
    grant_rule,
    csv_import,
    csv_import_ten_thousand,
    users_by_status_and_company,
    assets_and_bookings,
);
