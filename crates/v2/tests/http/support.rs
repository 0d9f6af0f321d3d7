//! What every v2 test shares: a tenant with its integration key, URLs carrying the format and
//! the credentials, and the checks every answer takes.

use regex::Regex;
use reqwest::Method;
use rosetta_testkit::rosetta_core::{
    Actor, CreateUserRequest, Cursor, NameInput, NewUser, Onboarding, Status, TenantId, UserFilter,
};
use rosetta_testkit::{Backend, Fixtures, TestApp};
use serde_json::{json, Value};

use crate::datacontract::parse_xml;

pub const FOLDER: &str = "6f9619ff-8b86-d011-b42d-00c04fc964ff";
pub const GROUP_A: &str = "0b5e5f37-2f4c-4c55-9d6e-2f0d2b7c1a10";
pub const GROUP_B: &str = "c3a1e4f2-9d8b-4a6f-8e2d-7b1c0a9f5e33";

/// v2 alone, served over a fresh database, with a tenant whose key the leak scan looks for.
pub struct V2 {
    pub app: TestApp,
    pub tenant: TenantId,
    pub key: String,
}

impl V2 {
    pub async fn new(backend: Backend) -> Self {
        let app = TestApp::serve(backend, &[rosetta_v2::DIALECT]).await;
        let (tenant, key) = app.tenant("Acme Forms").await;
        app.client.secret(&key);
        Self { app, tenant, key }
    }

    /// A v2 URL with format and credentials, plus `extra` (already encoded).
    pub fn url(&self, path: &str, format: &str, extra: &str) -> String {
        let mut u = self.app.url(&format!(
            "{path}?format={format}&CompanyId={}&IntegrationKey={}",
            self.tenant.0, self.key
        ));
        if !extra.is_empty() {
            u.push('&');
            u.push_str(extra);
        }
        u
    }

    /// Sends to `url` (a URL of this app, as [`V2::url`] and `app.url` make them).
    pub async fn send(
        &self,
        method: Method,
        url: String,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> (u16, String) {
        let path = url
            .strip_prefix(&self.app.client.base)
            .expect("a URL of this app");
        let body = body.map(|b| b.as_bytes().to_vec());
        let r = self.app.client.call(method, path, headers, body).await;
        (r.status, r.text)
    }

    pub async fn get(&self, url: String) -> (u16, String) {
        self.send(Method::GET, url, &[], None).await
    }

    pub async fn delete(&self, url: String) -> (u16, String) {
        self.send(Method::DELETE, url, &[], None).await
    }

    pub async fn post(&self, url: String, content_type: Option<&str>, body: &str) -> (u16, String) {
        let headers: Vec<(&str, &str)> = content_type
            .map(|ct| ("Content-Type", ct))
            .into_iter()
            .collect();
        self.send(Method::POST, url, &headers, Some(body)).await
    }

    pub async fn post_json(&self, body: &Value) -> (u16, String) {
        self.post(
            self.url("/api/v2/user", "json", ""),
            Some("application/json"),
            &body.to_string(),
        )
        .await
    }

    /// The Ids of one JSON search page.
    pub async fn page_ids(&self, extra: &str) -> Vec<String> {
        let (status, body) = self
            .get(self.url("/api/v2/user/search", "json", extra))
            .await;
        assert_eq!(status, 200, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        v["Users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["Id"].as_str().unwrap().to_owned())
            .collect()
    }

    /// How many users the tenant has, read straight from the directory.
    pub async fn count(&self) -> u64 {
        self.app
            .directory
            .list_users(
                &Actor::cli(self.tenant),
                &UserFilter::all(),
                Cursor::Start,
                1,
            )
            .await
            .unwrap()
            .total
    }

    /// A user made directly in the directory (fast set-up for searches).
    pub async fn seed(&self, first: &str, last: &str, email: &str) {
        let mut new = NewUser::new(
            email,
            NameInput::Parts {
                first: first.into(),
                last: last.into(),
            },
        );
        new.status = Status::Active;
        self.app
            .directory
            .create_user(
                &Actor::cli(self.tenant),
                CreateUserRequest {
                    user: new,
                    onboarding: Onboarding::Plain,
                },
            )
            .await
            .unwrap();
    }
}

pub fn redact(body: &str) -> String {
    let guid = Regex::new(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").unwrap();
    let date = Regex::new(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").unwrap();
    let body = guid.replace_all(body, "[guid]");
    date.replace_all(&body, "[date]").into_owned()
}

/// An error answer in either format: ResponseStatus with ErrorCode and Message, no trace.
pub fn assert_error(format: &str, body: &str, code: &str) {
    assert!(!body.contains("StackTrace"), "{body}");
    assert!(
        !body.contains("panicked") && !body.contains(".rs:"),
        "{body}"
    );
    if format == "json" {
        let v: Value = serde_json::from_str(body).unwrap();
        let rs = &v["ResponseStatus"];
        assert_eq!(rs["ErrorCode"], code, "{body}");
        assert!(
            rs["Message"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}"
        );
        assert!(rs["Errors"].is_array(), "{body}");
        assert!(
            v.get("User").is_none() && v.get("Users").is_none(),
            "{body}"
        );
    } else {
        let root = parse_xml(body);
        let rs = root.child("ResponseStatus");
        assert_eq!(rs.names(), ["ErrorCode", "Message", "Errors"], "{body}");
        assert_eq!(rs.child("ErrorCode").text, code, "{body}");
        assert!(!rs.child("Message").text.is_empty(), "{body}");
        let payload = if root.name == "UserResponse" {
            "User"
        } else {
            "Users"
        };
        assert!(root.child(payload).is_nil(), "{body}");
    }
}

pub fn full_user_json(email: &str) -> Value {
    json!({
        "FirstName": "Jo",
        "LastName": "O'Brien & Sons <ltd>",
        "Email": email,
        "ExternalId": "SAP-0042",
        "WebsiteRole": "Admin",
        "Folders": [FOLDER],
        "Groups": [GROUP_B, GROUP_A],
        "UserDevices": [
            {"Id": "dev-1", "Name": "Jo's phone", "OS": "iOS 17", "AppVersion": "5.2.1", "LastUsed": "2026-11-23T10:15:00Z"},
            {"Id": "dev-2"}
        ],
        "Password": "s3cret",
        "DoNotEmail": true
    })
}
