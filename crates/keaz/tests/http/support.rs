//! What every keaz test shares: requests with a token, a company with a user of each kind of
//! rights, and the snapshot redactions.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use rosetta_testkit::rosetta_core::{TenantId, User};
use rosetta_testkit::{Backend, Fixtures, Options, Resp, TestApp};
use serde_json::{json, Value};

pub const PW: &str = "s3cret";

/// keaz alone, served over a fresh database.
pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Options)) -> TestApp {
    TestApp::serve_with(backend, &[rosetta_keaz::DIALECT], adjust).await
}

/// A response: status, and the body as JSON (`Null` when empty).
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub text: String,
}

/// `path` under `/keaz`, with the `token` header unless it is empty, and a JSON body.
pub async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> Reply {
    let body = body.map(|b| serde_json::to_vec(&b).unwrap());
    send(app, method, path, token, "application/json", body).await
}

/// [`call`] with any body and content type (`content_type` is sent only with a body).
pub async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    content_type: &str,
    body: Option<Vec<u8>>,
) -> Reply {
    let mut headers = Vec::new();
    if !token.is_empty() {
        headers.push(("token", token));
    }
    if body.is_some() {
        headers.push(("content-type", content_type));
    }
    let r = app
        .client
        .call(method, &format!("/keaz{path}"), &headers, body)
        .await;
    reply(r)
}

fn reply(r: Resp) -> Reply {
    let status = StatusCode::from_u16(r.status).unwrap();
    let text = r.text;
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text.clone()))
    };
    Reply { status, body, text }
}

pub async fn get(app: &TestApp, path: &str, token: &str) -> Reply {
    call(app, Method::GET, path, token, None).await
}

pub async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> Reply {
    call(app, Method::POST, path, token, Some(body)).await
}

pub async fn put(app: &TestApp, path: &str, token: &str, body: Value) -> Reply {
    call(app, Method::PUT, path, token, Some(body)).await
}

pub async fn csv(app: &TestApp, token: &str, content_type: &str, body: Vec<u8>) -> Reply {
    send(
        app,
        Method::POST,
        "/import/users",
        token,
        content_type,
        Some(body),
    )
    .await
}

pub async fn login(app: &TestApp, email: &str, password: &str) -> String {
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
pub struct Company {
    pub tenant: TenantId,
    pub keaz: String,
    pub admin: String,
    pub boss: String,
    pub reader: String,
    pub root: User,
}

pub async fn company(app: &TestApp, name: &str, domain: &str) -> Company {
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

/// Two companies, and a driver (role 2) of the first whose assets and bookings a test
/// writes; gives the driver's path, `/user/{id}`.
pub async fn two_companies_and_a_driver(app: &TestApp) -> (Company, Company, String) {
    let a = company(app, "Acme Fleet", "acme.test").await;
    let b = company(app, "Other Co", "other.test").await;
    let driver = app
        .user_with(a.tenant, "drv", "drv@acme.test", PW, |n| {
            n.role_number = Some(2)
        })
        .await;
    (a, b, format!("/user/{}", driver.id))
}

pub fn emails_of(users: &Value) -> BTreeSet<String> {
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
pub(crate) use snap;
