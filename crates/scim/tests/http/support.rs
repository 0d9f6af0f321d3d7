//! What every SCIM test shares: a tenant with a scim bearer token, requests with it, and what
//! the directory holds.

use reqwest::Method;
use rosetta_testkit::client::Resp;
use rosetta_testkit::rosetta_core::{Actor, Cursor, TenantId, User, UserFilter};
use rosetta_testkit::{Backend, Fixtures, Options, TestApp};
use serde_json::Value;

pub const SCIM_JSON: &str = "application/scim+json";
pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// scim alone, served over a fresh database.
pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Options)) -> TestApp {
    TestApp::serve_with(backend, &[rosetta_scim::DIALECT], adjust).await
}

/// A tenant and a client holding its scim token.
pub struct Scim<'a> {
    pub app: &'a TestApp,
    pub tenant: TenantId,
    pub token: String,
}

impl<'a> Scim<'a> {
    pub async fn new(app: &'a TestApp, name: &str) -> Self {
        let (tenant, _) = app.tenant(name).await;
        let token = app.credential(tenant, "scim").await;
        app.client.secret(&token);
        Self { app, tenant, token }
    }

    /// `method path` under `/scim/v2` with the token, `headers` and a JSON body.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Resp {
        let auth = format!("Bearer {}", self.token);
        let mut all: Vec<(&str, &str)> = vec![("Authorization", &auth)];
        if body.is_some() {
            all.push(("Content-Type", SCIM_JSON));
        }
        all.extend_from_slice(headers);
        let body = body.map(|b| serde_json::to_vec(b).unwrap());
        self.app
            .client
            .call(method, &format!("/scim/v2{path}"), &all, body)
            .await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(Method::GET, path, &[], None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Resp {
        self.send(Method::POST, path, &[], Some(body)).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Resp {
        self.send(Method::PUT, path, &[], Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Resp {
        self.send(Method::PATCH, path, &[], Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.send(Method::DELETE, path, &[], None).await
    }

    /// Creates a user through SCIM; its JSON.
    pub async fn create_user(&self, body: &Value) -> Value {
        self.post("/Users", body).await.expect(201)
    }

    /// Every user of the tenant as the core holds them (version and timestamps included), so
    /// any write at all shows as a difference.
    pub async fn stored(&self) -> Vec<User> {
        self.app
            .directory
            .list_users(
                &Actor::cli(self.tenant),
                &UserFilter::all(),
                Cursor::Start,
                10_000,
            )
            .await
            .unwrap()
            .users
    }
}

/// A SCIM Error answer: its status, media type, schema and `status` member agree.
#[track_caller]
pub fn assert_error(r: &Resp, status: u16, scim_type: Option<&str>) -> Value {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.content_type, SCIM_JSON, "{}", r.text);
    let body = r.json();
    assert_eq!(body["schemas"], serde_json::json!([ERROR_SCHEMA]));
    assert_eq!(body["status"], Value::String(status.to_string()));
    assert_eq!(body["scimType"].as_str(), scim_type, "{}", r.text);
    body
}
