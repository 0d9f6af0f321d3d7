//! What every kashflow test shares: the app, the client that fails a test when an answer
//! carries a secret, the seed's two users, and the snapshot redactions.

use reqwest::Method;
use rosetta_testkit::rosetta_core::{NameInput, TenantId, User};
use rosetta_testkit::{Backend, Fixtures, Options, Resp, TestApp};
use serde_json::{json, Value};

pub const ADMIN_PW: &str = "Adm1n-Pa55";
pub const ADMIN_WORD: &str = "pineapple";
pub const TEST_PW: &str = "Te5t-Pa55";
pub const TEST_WORD: &str = "marmalade";
/// Everything secret a test writes; no response may contain any of it.
const SECRETS: &[&str] = &[
    ADMIN_PW,
    ADMIN_WORD,
    TEST_PW,
    TEST_WORD,
    "letmein",
    "aaaaa",
    "Sup3r-Secret",
    "zebracrossing",
];

/// kashflow alone, served over a fresh database.
pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Options)) -> TestApp {
    TestApp::serve_with(backend, &[rosetta_kashflow::DIALECT], adjust).await
}

/// Status and error code of an error envelope.
pub trait ErrorCode {
    fn error(&self) -> (u16, String);
}

impl ErrorCode for Resp {
    fn error(&self) -> (u16, String) {
        (
            self.status,
            self.json()["Error"].as_str().unwrap_or("").to_owned(),
        )
    }
}

/// Stricter than the recording client's scan, which allows an empty member: kashflow never
/// writes a password or memorable-word member at all.
fn assert_clean(text: &str) {
    for bad in [
        "\"Password\"",
        "\"MemorableWord\"",
        "<Password",
        "<MemorableWord>",
        "$2a$",
        "$2b$",
        "$2y$",
    ] {
        assert!(!text.contains(bad), "response carries {bad}: {text}");
    }
    for secret in SECRETS {
        assert!(!text.contains(secret), "response carries a secret: {text}");
    }
}

/// Requests under `/kashflow`, each answer checked by [`assert_clean`].
pub struct Kf<'a> {
    app: &'a TestApp,
}

impl<'a> Kf<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self { app }
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Resp {
        let auth = token.map(|t| format!("KfToken {t}"));
        let mut all: Vec<(&str, &str)> =
            auth.iter().map(|a| ("Authorization", a.as_str())).collect();
        all.extend_from_slice(headers);
        let r = self
            .app
            .client
            .call(method, &format!("/kashflow{path}"), &all, body)
            .await;
        assert_clean(&r.text);
        r
    }

    pub async fn json(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> Resp {
        self.send(
            method,
            path,
            token,
            &[("Content-Type", "application/json")],
            Some(serde_json::to_vec(body).unwrap()),
        )
        .await
    }

    pub async fn get(&self, path: &str, token: &str) -> Resp {
        self.send(Method::GET, path, Some(token), &[], None).await
    }

    pub async fn xml(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> Resp {
        let mut headers = vec![("Accept", "application/xml")];
        if body.is_some() {
            headers.push(("Content-Type", "application/xml"));
        }
        self.send(
            method,
            path,
            token,
            &headers,
            body.map(|b| b.as_bytes().to_vec()),
        )
        .await
    }

    /// Step 1 of the login.
    pub async fn start(&self, username: &str, password: &str) -> Resp {
        self.json(
            Method::POST,
            "/sessiontoken",
            None,
            &json!({"UserName": username, "Password": password}),
        )
        .await
    }

    /// Step 2, answering the asked positions from `word` (upper-cased, to prove case does not
    /// matter).
    pub async fn finish(&self, step1: &Value, word: &str) -> Resp {
        let chars: Vec<char> = word.chars().collect();
        let list: Vec<Value> = step1["MemorableWordList"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let pos = p["Position"].as_u64().unwrap() as usize;
                json!({"Position": pos, "Value": chars[pos - 1].to_uppercase().to_string()})
            })
            .collect();
        self.json(
            Method::PUT,
            "/sessiontoken",
            None,
            &json!({"TemporaryToken": step1["TemporaryToken"], "MemorableWordList": list}),
        )
        .await
    }

    pub async fn login(&self, username: &str, password: &str, word: &str) -> String {
        let r = self.start(username, password).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let r = self.finish(&r.json(), word).await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.json()["SessionToken"].as_str().unwrap().to_owned()
    }
}

pub struct Fixture {
    pub tenant: TenantId,
    pub admin: User,
    pub test_user: User,
}

/// The seed's two listed users: `admin` ("rediff", Full Access) and `TestUser` (role 11), so
/// that the user the seed POSTs gets number 3 as in its PUT example.
pub async fn fixture(app: &TestApp) -> Fixture {
    let (tenant, _) = app.tenant("Acme").await;
    let admin = app
        .user_with(tenant, "admin", "swati_garg05@rediff.com", ADMIN_PW, |n| {
            n.name = NameInput::Full("rediff".into());
            n.memorable_word = Some(ADMIN_WORD.into());
        })
        .await;
    let test_user = app
        .user_with(tenant, "TestUser", "test@test.com", TEST_PW, |n| {
            n.role_number = Some(11);
            n.memorable_word = Some(TEST_WORD.into());
        })
        .await;
    Fixture {
        tenant,
        admin,
        test_user,
    }
}

/// Replaces what changes from run to run (tokens, login times) so snapshots hold still.
pub fn redact(mut v: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(m) => {
                for (k, x) in m.iter_mut() {
                    match (k.as_str(), &x) {
                        ("TemporaryToken" | "SessionToken", Value::String(_)) => {
                            *x = json!("[token]")
                        }
                        ("LastLogin", Value::String(s)) if s != "Never" => *x = json!("[datetime]"),
                        // Random by design; the tests check them one by one.
                        ("Position", Value::Number(_)) => *x = json!("[position]"),
                        _ => walk(x),
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut v);
    v
}

pub fn redact_xml(text: &str) -> String {
    let mut out = text.to_owned();
    for name in ["TemporaryToken", "SessionToken", "LastLogin", "Position"] {
        let (open, close) = (format!("<{name}>"), format!("</{name}>"));
        let mut from = 0;
        while let Some(i) = out[from..].find(&open) {
            let start = from + i + open.len();
            let end = start + out[start..].find(&close).unwrap();
            if &out[start..end] != "Never" {
                let mask = match name {
                    "LastLogin" => "[datetime]",
                    "Position" => "[position]",
                    _ => "[token]",
                };
                out.replace_range(start..end, mask);
            }
            from = start;
        }
    }
    out
}

pub fn snap(name: &str, r: &Resp) {
    insta::assert_json_snapshot!(name, redact(r.json()));
}

pub fn snap_xml(name: &str, r: &Resp) {
    assert!(r.content_type.contains("xml"), "{}", r.content_type);
    insta::assert_snapshot!(name, redact_xml(&r.text));
}

pub fn assert_datetime(s: &str) {
    assert_eq!(s.len(), 19, "{s}");
    assert!(
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").is_ok(),
        "{s}"
    );
}
