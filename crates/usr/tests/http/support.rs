//! What every usr test shares: requests with a bearer token, and what the directory holds.

use reqwest::Method;
use rosetta_testkit::rosetta_core::{
    Actor, Cursor, LoginCheck, TenantId, User, UserFilter, UserKey,
};
use rosetta_testkit::{Backend, Options, TestApp};
use serde_json::Value;

pub const JS: Option<&str> = Some("text/javascript");

/// usr alone, served over a fresh database.
pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Options)) -> TestApp {
    TestApp::serve_with(backend, &[rosetta_usr::DIALECT], adjust).await
}

/// An answer, whose body must be JSON.
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub text: String,
    pub body: Value,
}

pub async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    body: Option<&str>,
) -> Answer {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers: Vec<(&str, &str)> = Vec::new();
    if let Some(a) = &auth {
        headers.push(("Authorization", a));
    }
    if let Some(ct) = content_type {
        headers.push(("Content-Type", ct));
    }
    let res = app
        .client
        .call(method, path, &headers, body.map(|b| b.as_bytes().to_vec()))
        .await;
    let (status, text) = (res.status, res.text);
    let body =
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status} not JSON: {text:?}"));
    Answer {
        status,
        content_type: res.content_type,
        text,
        body,
    }
}

pub async fn get(app: &TestApp, path: &str, token: &str) -> Answer {
    send(app, Method::GET, path, Some(token), None, None).await
}

/// Every user of a tenant as the core holds them (version and timestamps included), so any
/// write at all shows as a difference.
pub async fn all_users(app: &TestApp, tenant: TenantId) -> Vec<User> {
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

pub async fn verifies(app: &TestApp, username: &str, password: &str) -> bool {
    matches!(
        app.directory
            .check_login(UserKey::Username(username.into()), password)
            .await
            .unwrap(),
        LoginCheck::Ok(..)
    )
}

pub fn ids(list: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}
