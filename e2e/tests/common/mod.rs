//! Clients for the four dialects, shared by the e2e suites (and by the server package's
//! replicas test, which includes this file by path).
//!
//! Every request goes through [`Gw::call`], which records the response body; a suite ends with
//! [`Gw::assert_no_leaks`], the leak scan over everything the test received.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use reqwest::Method;
use serde_json::{json, Value};

/// One answer, read whole.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub content_type: String,
    pub location: Option<String>,
    pub text: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}), status {}: {}", self.status, self.text))
    }

    /// Fails the test unless the status is `want`; gives the JSON body.
    #[track_caller]
    pub fn expect(&self, want: u16) -> Value {
        assert_eq!(self.status, want, "unexpected answer: {}", self.text);
        if self.text.is_empty() {
            Value::Null
        } else {
            self.json()
        }
    }
}

#[derive(Default)]
struct Log {
    /// (request line, response body) of everything received.
    bodies: Vec<(String, String)>,
    /// Passwords, memorable words, keys: none may ever come back.
    secrets: Vec<String>,
}

/// A recording HTTP client for one gateway (or several, with [`Gw::at`] sharing one log).
#[derive(Clone)]
pub struct Gw {
    pub base: String,
    /// Put before each recorded request line (e.g. which tenant asked).
    tag: String,
    client: reqwest::Client,
    log: Arc<Mutex<Log>>,
}

impl Gw {
    pub fn new(base: impl Into<String>) -> Self {
        Self {
            base: base.into(),
            tag: String::new(),
            client: reqwest::Client::new(),
            log: Arc::default(),
        }
    }

    pub fn for_app(app: &rosetta_testkit::TestApp) -> Self {
        Self::new(app.url(""))
    }

    /// The same recorder, talking to another gateway.
    pub fn at(&self, base: impl Into<String>) -> Self {
        Self {
            base: base.into(),
            ..self.clone()
        }
    }

    /// The same recorder and gateway, marking what it records with `tag`.
    pub fn tagged(&self, tag: &str) -> Self {
        Self {
            tag: tag.to_owned(),
            ..self.clone()
        }
    }

    /// (request line, body) of everything recorded with `tag`.
    pub fn bodies(&self, tag: &str) -> Vec<(String, String)> {
        self.log
            .lock()
            .unwrap()
            .bodies
            .iter()
            .filter(|(what, _)| what.starts_with(&format!("[{tag}] ")))
            .cloned()
            .collect()
    }

    /// Registers a secret the test wrote; the leak scan looks for it in every body.
    pub fn secret(&self, s: &str) -> String {
        self.log.lock().unwrap().secrets.push(s.to_owned());
        s.to_owned()
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Resp {
        let what = format!("[{}] {method} {path}", self.tag);
        let mut rb = self.client.request(method, format!("{}{path}", self.base));
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        if let Some(b) = body {
            rb = rb.body(b);
        }
        let r = rb.send().await.unwrap_or_else(|e| panic!("{what}: {e}"));
        let header = |name: &str| {
            r.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let status = r.status().as_u16();
        let content_type = header("content-type").unwrap_or_default();
        let location = header("location");
        let text = r.text().await.unwrap_or_else(|e| panic!("{what}: {e}"));
        self.log.lock().unwrap().bodies.push((what, text.clone()));
        Resp {
            status,
            content_type,
            location,
            text,
        }
    }

    /// How many answers were recorded (so a scan over nothing cannot pass by accident).
    pub fn recorded(&self) -> usize {
        self.log.lock().unwrap().bodies.len()
    }

    /// The leak scan: no body may carry a registered secret, a bcrypt hash, or a password /
    /// memorable-word member with a value (JSON member or XML element).
    #[track_caller]
    pub fn assert_no_leaks(&self) {
        let log = self.log.lock().unwrap();
        assert!(!log.bodies.is_empty(), "nothing was recorded");
        let mut found = Vec::new();
        for (what, body) in &log.bodies {
            for problem in leaks(body, &log.secrets) {
                found.push(format!("{what}: {problem}: {body}"));
            }
        }
        assert!(found.is_empty(), "leaks:\n{}", found.join("\n"));
    }
}

const SECRET_MEMBERS: &[&str] = &["Password", "password", "MemorableWord"];

/// What in `body` must not be there.
pub fn leaks(body: &str, secrets: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for s in secrets {
        if !s.is_empty() && body.contains(s.as_str()) {
            out.push(format!("secret {s:?}"));
        }
    }
    for prefix in ["$2a$", "$2b$", "$2y$"] {
        if body.contains(prefix) {
            out.push(format!("bcrypt hash ({prefix})"));
        }
    }
    if let Ok(v) = serde_json::from_str::<Value>(body) {
        json_members(&v, &mut out);
    }
    // XML (or anything else): an element of that name with text in it.
    for name in SECRET_MEMBERS {
        let mut rest = body;
        while let Some(i) = rest.find('<') {
            rest = &rest[i + 1..];
            let local = rest
                .split(|c: char| c == '>' || c == '/' || c.is_whitespace())
                .next()
                .unwrap_or("");
            let local = local.rsplit(':').next().unwrap_or(local);
            if local != *name {
                continue;
            }
            let Some(close) = rest.find('>') else { break };
            if rest[..close].ends_with('/') {
                continue;
            }
            let content = rest[close + 1..].split('<').next().unwrap_or("");
            if !content.trim().is_empty() {
                out.push(format!("element <{name}> with a value"));
            }
        }
    }
    out
}

fn json_members(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, val) in map {
                let has_value = !matches!(val, Value::Null) && val != &json!("");
                if SECRET_MEMBERS.contains(&k.as_str()) && has_value {
                    out.push(format!("member {k:?} with a value"));
                }
                json_members(val, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| json_members(i, out)),
        _ => {}
    }
}

fn json_body(v: &Value) -> Option<Vec<u8>> {
    Some(serde_json::to_vec(v).unwrap())
}

/// Percent-encodes a query value (enough for emails, names, GUIDs).
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// kashflow: two-step login, `Authorization: KfToken`, under /kashflow.

pub struct Kf {
    pub gw: Gw,
    pub token: String,
}

impl Kf {
    /// Step 1 (`POST /sessiontoken`).
    pub async fn start(gw: &Gw, username: &str, password: &str) -> Resp {
        gw.call(
            Method::POST,
            "/kashflow/sessiontoken",
            &[("Content-Type", "application/json")],
            json_body(&json!({"UserName": username, "Password": password})),
        )
        .await
    }

    /// Step 2 (`PUT /sessiontoken`) with the asked characters of `word`.
    pub async fn finish(gw: &Gw, step1: &Value, word: &str) -> Resp {
        let chars: Vec<char> = word.chars().collect();
        let list: Vec<Value> = step1["MemorableWordList"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let pos = p["Position"].as_u64().unwrap() as usize;
                json!({"Position": pos, "Value": chars[pos - 1].to_string()})
            })
            .collect();
        gw.call(
            Method::PUT,
            "/kashflow/sessiontoken",
            &[("Content-Type", "application/json")],
            json_body(
                &json!({"TemporaryToken": step1["TemporaryToken"], "MemorableWordList": list}),
            ),
        )
        .await
    }

    /// Both steps; `word` is "" for a user without a memorable word.
    pub async fn login(gw: &Gw, username: &str, password: &str, word: &str) -> Self {
        let step1 = Self::start(gw, username, password).await.expect(200);
        let done = Self::finish(gw, &step1, word).await.expect(200);
        Self {
            gw: gw.clone(),
            token: done["SessionToken"].as_str().unwrap().to_owned(),
        }
    }

    pub fn with_token(gw: &Gw, token: &str) -> Self {
        Self {
            gw: gw.clone(),
            token: token.to_owned(),
        }
    }

    /// `path` is relative to `/kashflow`.
    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Resp {
        let auth = format!("KfToken {}", self.token);
        let mut headers = vec![("Authorization", auth.as_str())];
        if body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        self.gw
            .call(
                method,
                &format!("/kashflow{path}"),
                &headers,
                body.and_then(json_body),
            )
            .await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(Method::GET, path, None).await
    }

    pub async fn user(&self, id: i64) -> Resp {
        self.get(&format!("/users/{id}")).await
    }
}

// ---------------------------------------------------------------------------------------------
// usr: `Authorization: Bearer` (a tenant credential), `text/javascript` bodies, no prefix.

pub struct Usr {
    pub gw: Gw,
    pub token: String,
}

impl Usr {
    pub fn new(gw: &Gw, token: &str) -> Self {
        gw.secret(token);
        Self {
            gw: gw.clone(),
            token: token.to_owned(),
        }
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Resp {
        let auth = format!("Bearer {}", self.token);
        let mut headers = vec![("Authorization", auth.as_str())];
        if body.is_some() {
            headers.push(("Content-Type", "text/javascript"));
        }
        self.gw
            .call(method, path, &headers, body.and_then(json_body))
            .await
    }

    pub async fn user(&self, id: i64) -> Resp {
        self.send(Method::GET, &format!("/usr/{id}"), None).await
    }
}

// ---------------------------------------------------------------------------------------------
// keaz: `POST /login` gives a token, sent in the `token` header, under /keaz.

pub struct Keaz {
    pub gw: Gw,
    pub token: String,
}

impl Keaz {
    pub async fn try_login(gw: &Gw, email: &str, password: &str) -> Resp {
        gw.call(
            Method::POST,
            "/keaz/login",
            &[("Content-Type", "application/json")],
            json_body(&json!({"email": email, "password": password})),
        )
        .await
    }

    pub async fn login(gw: &Gw, email: &str, password: &str) -> Self {
        let v = Self::try_login(gw, email, password).await.expect(200);
        Self {
            gw: gw.clone(),
            token: v["token"].as_str().unwrap().to_owned(),
        }
    }

    /// `path` is relative to `/keaz`.
    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Resp {
        let mut headers = vec![("token", self.token.as_str())];
        if body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        self.gw
            .call(
                method,
                &format!("/keaz{path}"),
                &headers,
                body.and_then(json_body),
            )
            .await
    }

    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: &str,
    ) -> Resp {
        self.gw
            .call(
                method,
                &format!("/keaz{path}"),
                &[
                    ("token", self.token.as_str()),
                    ("Content-Type", content_type),
                ],
                Some(body.as_bytes().to_vec()),
            )
            .await
    }

    pub async fn user(&self, id: i64) -> Resp {
        self.send(Method::GET, &format!("/user/{id}"), None).await
    }

    /// `POST /activate/{ticket}` (no token: the link from the email).
    pub async fn activate(gw: &Gw, ticket: &str, password: &str) -> Resp {
        gw.call(
            Method::POST,
            &format!("/keaz/activate/{ticket}"),
            &[("Content-Type", "application/json")],
            json_body(&json!({"password": password})),
        )
        .await
    }
}

// ---------------------------------------------------------------------------------------------
// v2: `CompanyId` + `IntegrationKey` query parameters, `format=json`, no prefix.

pub struct V2 {
    pub gw: Gw,
    pub company: i64,
    pub key: String,
}

impl V2 {
    pub fn new(gw: &Gw, company: i64, key: &str) -> Self {
        gw.secret(key);
        Self {
            gw: gw.clone(),
            company,
            key: key.to_owned(),
        }
    }

    /// `query` is appended to the credentials (e.g. `Email=a%40b.c`), may be "".
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        query: &str,
        body: Option<&Value>,
    ) -> Resp {
        let url = format!(
            "{path}?format=json&CompanyId={}&IntegrationKey={}{}{query}",
            self.company,
            self.key,
            if query.is_empty() { "" } else { "&" }
        );
        let headers: &[(&str, &str)] = if body.is_some() {
            &[
                ("Content-Type", "application/json"),
                ("Accept", "application/json"),
            ]
        } else {
            &[("Accept", "application/json")]
        };
        self.gw
            .call(method, &url, headers, body.and_then(json_body))
            .await
    }

    pub async fn by_email(&self, email: &str) -> Resp {
        self.send(
            Method::GET,
            "/api/v2/user",
            &format!("Email={}", enc(email)),
            None,
        )
        .await
    }

    pub async fn by_id(&self, uuid: &str) -> Resp {
        self.send(Method::GET, "/api/v2/user", &format!("Id={uuid}"), None)
            .await
    }
}

/// The usual four clients of one tenant, signed in as its administrator.
pub struct Clients {
    pub kf: Kf,
    pub usr: Usr,
    pub keaz: Keaz,
    pub v2: V2,
}

/// An administrator as an operator makes it (role 6, `admin` and `keaz` perms, a memorable
/// word), and the four clients for its tenant.
pub async fn admin_clients(
    app: &rosetta_testkit::TestApp,
    gw: &Gw,
    tenant_name: &str,
    username: &str,
    email: &str,
) -> (rosetta_testkit::rosetta_core::TenantId, Clients) {
    let password = gw.secret(&format!("Adm!n-{username}-pw"));
    let word = gw.secret("pineapplez");
    let (tenant, key) = app.tenant(tenant_name).await;
    app.user_with(tenant, username, email, &password, |n| {
        n.memorable_word = Some(word.clone());
        n.perms = vec!["admin".into(), "keaz".into()];
    })
    .await;
    let usr_token = app.credential(tenant, "usr").await;
    let clients = Clients {
        kf: Kf::login(gw, username, &password, &word).await,
        usr: Usr::new(gw, &usr_token),
        keaz: Keaz::login(gw, email, &password).await,
        v2: V2::new(gw, tenant.0, &key),
    };
    (tenant, clients)
}
