//! The four dialects' clients over one recording [`Client`], as their callers sign in: what
//! the cross-dialect suites (and the server's replicas test) drive a gateway with.

use reqwest::Method;
use serde_json::{json, Value};

use crate::client::{enc, json_bytes, Client, Resp};
use crate::fixtures::Fixtures;

fn json_body(v: &Value) -> Option<Vec<u8>> {
    Some(json_bytes(v))
}

// ---------------------------------------------------------------------------------------------
// kashflow: two-step login, `Authorization: KfToken`, under /kashflow.

pub struct Kf {
    pub gw: Client,
    pub token: String,
}

impl Kf {
    /// Step 1 (`POST /sessiontoken`).
    pub async fn start(gw: &Client, username: &str, password: &str) -> Resp {
        gw.call(
            Method::POST,
            "/kashflow/sessiontoken",
            &[("Content-Type", "application/json")],
            json_body(&json!({"UserName": username, "Password": password})),
        )
        .await
    }

    /// Step 2 (`PUT /sessiontoken`) with the asked characters of `word`.
    pub async fn finish(gw: &Client, step1: &Value, word: &str) -> Resp {
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
    pub async fn login(gw: &Client, username: &str, password: &str, word: &str) -> Self {
        let step1 = Self::start(gw, username, password).await.expect(200);
        let done = Self::finish(gw, &step1, word).await.expect(200);
        Self {
            gw: gw.clone(),
            token: done["SessionToken"].as_str().unwrap().to_owned(),
        }
    }

    pub fn with_token(gw: &Client, token: &str) -> Self {
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
    pub gw: Client,
    pub token: String,
}

impl Usr {
    pub fn new(gw: &Client, token: &str) -> Self {
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
    pub gw: Client,
    pub token: String,
}

impl Keaz {
    pub async fn try_login(gw: &Client, email: &str, password: &str) -> Resp {
        gw.call(
            Method::POST,
            "/keaz/login",
            &[("Content-Type", "application/json")],
            json_body(&json!({"email": email, "password": password})),
        )
        .await
    }

    pub async fn login(gw: &Client, email: &str, password: &str) -> Self {
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
    pub async fn activate(gw: &Client, ticket: &str, password: &str) -> Resp {
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
    pub gw: Client,
    pub company: i64,
    pub key: String,
}

impl V2 {
    pub fn new(gw: &Client, company: i64, key: &str) -> Self {
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
    app: &impl Fixtures,
    gw: &Client,
    tenant_name: &str,
    username: &str,
    email: &str,
) -> (rosetta_core::TenantId, Clients) {
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
