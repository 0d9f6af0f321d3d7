#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The kashflow dialect over HTTP, on a real gateway and database (SQLite and PostgreSQL).
//! Every response goes through `Kf::send`, which fails the test if a body carries a password,
//! a memorable word or a hash.

use std::time::Duration;

use reqwest::Method;
use rosetta_testkit::rosetta_core::{
    Actor, CreateUserRequest, NameInput, NewUser, Onboarding, Status, TenantId, User, UserId,
    UserKey,
};
use rosetta_testkit::{backend_tests, spawn_app, spawn_app_with, Backend, TestApp};
use serde_json::{json, Value};

const ADMIN_PW: &str = "Adm1n-Pa55";
const ADMIN_WORD: &str = "pineapple";
const TEST_PW: &str = "Te5t-Pa55";
const TEST_WORD: &str = "marmalade";
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

struct Resp {
    status: u16,
    location: Option<String>,
    content_type: String,
    text: String,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// Status and error code of an error envelope.
    fn error(&self) -> (u16, String) {
        (
            self.status,
            self.json()["Error"].as_str().unwrap_or("").to_owned(),
        )
    }
}

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

struct Kf<'a> {
    app: &'a TestApp,
}

impl<'a> Kf<'a> {
    fn new(app: &'a TestApp) -> Self {
        Self { app }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Resp {
        let mut rb = self
            .app
            .client
            .request(method, self.app.url(&format!("/kashflow{path}")));
        if let Some(t) = token {
            rb = rb.header("Authorization", format!("KfToken {t}"));
        }
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        if let Some(b) = body {
            rb = rb.body(b);
        }
        let r = rb.send().await.unwrap();
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        let content_type = r
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let text = r.text().await.unwrap();
        assert_clean(&text);
        Resp {
            status,
            location,
            content_type,
            text,
        }
    }

    async fn json(&self, method: Method, path: &str, token: Option<&str>, body: &Value) -> Resp {
        self.send(
            method,
            path,
            token,
            &[("Content-Type", "application/json")],
            Some(serde_json::to_vec(body).unwrap()),
        )
        .await
    }

    async fn get(&self, path: &str, token: &str) -> Resp {
        self.send(Method::GET, path, Some(token), &[], None).await
    }

    async fn xml(
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
    async fn start(&self, username: &str, password: &str) -> Resp {
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
    async fn finish(&self, step1: &Value, word: &str) -> Resp {
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

    async fn login(&self, username: &str, password: &str, word: &str) -> String {
        let r = self.start(username, password).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let r = self.finish(&r.json(), word).await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.json()["SessionToken"].as_str().unwrap().to_owned()
    }
}

struct Fixture {
    tenant: TenantId,
    admin: User,
    test_user: User,
}

/// The seed's two listed users: `admin` ("rediff", Full Access) and `TestUser` (role 11), so
/// that the user the seed POSTs gets number 3 as in its PUT example.
async fn fixture(app: &TestApp) -> Fixture {
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
fn redact(mut v: Value) -> Value {
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

fn redact_xml(text: &str) -> String {
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

fn snap(name: &str, r: &Resp) {
    insta::assert_json_snapshot!(name, redact(r.json()));
}

fn snap_xml(name: &str, r: &Resp) {
    assert!(r.content_type.contains("xml"), "{}", r.content_type);
    insta::assert_snapshot!(name, redact_xml(&r.text));
}

fn assert_datetime(s: &str) {
    assert_eq!(s.len(), 19, "{s}");
    assert!(
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").is_ok(),
        "{s}"
    );
}

// ----- the seed's examples ----------------------------------------------------------------

/// The seed's POST body, exactly as written (the address read as an ordinary one).
const SEED_POST: &str = r#"{
"Email": "jsmith@example.com",
"FullName": "John Smith",
"Password": "letmein",
"RoleNumber": 2,
"Username": "jsmith",
"MemorableWord": "aaaaa"
}"#;

/// The seed's PUT body, exactly as written.
const SEED_PUT: &str = r#"{
 "Number": 3,
 "Email": "jsmith@example.com",
 "FullName": "John SmithUpdated",
 "Password": "letmein",
 "RoleNumber": 2,
 "Username": "jsmith",
 "UserAccountDisabled": false
}"#;

async fn seed_examples(backend: Backend) {
    let app = spawn_app(backend).await;
    let kf = Kf::new(&app);
    let fx = fixture(&app).await;
    assert_eq!((fx.admin.id, fx.test_user.id), (UserId(1), UserId(2)));
    let token = kf.login("admin", ADMIN_PW, ADMIN_WORD).await;

    // GET of a user the seed lists, before anyone else logs in: exactly its members.
    let r = kf.get("/users/2", &token).await;
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("application/json"));
    assert_eq!(
        r.json(),
        json!({"Email": "test@test.com", "FullName": "TestUser", "UserAccountDisabled": false,
               "LastLogin": "Never", "NoOfLogins": 0, "RoleNumber": 11,
               "RoleName": "Invoices & Customers (read only)", "Number": 2, "Username": "TestUser"})
    );
    // Member order follows the seed.
    assert!(r.text.starts_with(r#"{"Email":"test@test.com","FullName":"TestUser","UserAccountDisabled":false,"LastLogin":"Never","NoOfLogins":0,"RoleNumber":11"#), "{}", r.text);
    snap("get_user", &r);

    // POST of the seed's example.
    let r = kf
        .send(
            Method::POST,
            "/users",
            Some(&token),
            &[("Content-Type", "application/json")],
            Some(SEED_POST.as_bytes().to_vec()),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.location.as_deref(), Some("/kashflow/users/3"));
    let created = json!({"Email": "jsmith@example.com", "FullName": "John Smith",
        "UserAccountDisabled": false, "LastLogin": "Never", "NoOfLogins": 0, "RoleNumber": 2,
        "RoleName": "Standard", "Number": 3, "Username": "jsmith"});
    assert_eq!(r.json(), created);
    snap("post_user_created", &r);

    // It reads back with the seed's GET members, under both spellings of the path.
    assert_eq!(kf.get("/users/3", &token).await.json(), created);
    assert_eq!(kf.get("/user/3", &token).await.json(), created);

    // The list: the seed's two users and the new one; the admin's own login shows.
    let r = kf.get("/users", &token).await;
    assert_eq!(r.status, 200);
    let list = r.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["Username"], "admin");
    assert_eq!(list[0]["FullName"], "rediff");
    assert_eq!(list[0]["RoleName"], "Full Access");
    assert_eq!(list[0]["NoOfLogins"], 1);
    assert_datetime(list[0]["LastLogin"].as_str().unwrap());
    assert_eq!(list[1]["LastLogin"], "Never");
    assert_eq!(list[2], created);
    snap("list_users", &r);

    // PUT of the seed's example, as written, to the number it names.
    let r = kf
        .send(
            Method::PUT,
            "/users/3",
            Some(&token),
            &[("Content-Type", "application/json")],
            Some(SEED_PUT.as_bytes().to_vec()),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mut updated = created.clone();
    updated["FullName"] = json!("John SmithUpdated");
    assert_eq!(r.json(), updated);
    snap("put_user", &r);
    assert_eq!(kf.get("/users/3", &token).await.json(), updated);

    // The created user logs in with the seed's password and memorable word.
    let jtoken = kf.login("jsmith", "letmein", "aaaaa").await;
    let me = kf.get("/users/3", &jtoken).await.json();
    assert_eq!(me["NoOfLogins"], 1);
    assert_datetime(me["LastLogin"].as_str().unwrap());

    // DELETE of the seed's example.
    let r = kf
        .send(Method::DELETE, "/users/3", Some(&token), &[], None)
        .await;
    assert_eq!(r.status, 204);
    assert!(r.text.is_empty());
    let r = kf.get("/users/3", &token).await;
    assert_eq!(r.error(), (404, "UserNotFound".into()));
    snap("error_user_not_found", &r);
    let r = kf
        .send(Method::DELETE, "/users/3", Some(&token), &[], None)
        .await;
    assert_eq!(r.error(), (404, "UserNotFound".into()));
    // The deleted user's session went with it.
    let r = kf.get("/users", &jtoken).await;
    assert_eq!(r.error(), (401, "InvalidSessionToken".into()));
}

// ----- the login ----------------------------------------------------------------------------

async fn login_flow(backend: Backend) {
    let app = spawn_app(backend).await;
    let kf = Kf::new(&app);
    let fx = fixture(&app).await;

    // No token, a malformed header, an unknown token: all the documented 401.
    let r = kf.send(Method::GET, "/users", None, &[], None).await;
    assert_eq!(r.error(), (401, "InvalidSessionToken".into()));
    assert_eq!(
        r.text,
        r#"{"Error":"InvalidSessionToken","Message":"Session token provided is invalid."}"#
    );
    snap("error_invalid_session_token", &r);
    let r = kf
        .send(
            Method::GET,
            "/users",
            None,
            &[("Authorization", "Bearer x")],
            None,
        )
        .await;
    assert_eq!(r.error(), (401, "InvalidSessionToken".into()));
    let r = kf.get("/users", "not-a-token").await;
    assert_eq!(r.error(), (401, "InvalidSessionToken".into()));

    // Wrong password and unknown user read the same.
    let r = kf.start("admin", "wrong").await;
    assert_eq!(r.error(), (401, "InvalidCredentials".into()));
    snap("error_invalid_credentials", &r);
    let r = kf.start("nobody", ADMIN_PW).await;
    assert_eq!(r.error(), (401, "InvalidCredentials".into()));
    let r = kf
        .json(
            Method::POST,
            "/sessiontoken",
            None,
            &json!({"UserName": "admin"}),
        )
        .await;
    assert_eq!(r.error(), (400, "ValidationError".into()));
    assert!(r.json()["Message"].as_str().unwrap().contains("Password"));

    // Step 1: a temporary token, three distinct positions within the word, IsAdmin.
    let r = kf.start("ADMIN", ADMIN_PW).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let step1 = r.json();
    let positions: Vec<u64> = step1["MemorableWordList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["Position"].as_u64().unwrap())
        .collect();
    assert_eq!(positions.len(), 3);
    assert!(positions.windows(2).all(|w| w[0] < w[1]));
    assert!(positions
        .iter()
        .all(|&p| (1..=ADMIN_WORD.len() as u64).contains(&p)));
    assert_eq!(step1["IsAdmin"], true);
    assert!(r.text.starts_with(r#"{"TemporaryToken":""#), "{}", r.text);
    assert!(r.text.ends_with(r#"}],"IsAdmin":true}"#), "{}", r.text);
    snap("temporary_token", &r);

    // Wrong letters: refused, and the temporary token is spent.
    let wrong: Vec<Value> = positions
        .iter()
        .map(|&p| json!({"Position": p, "Value": "#"}))
        .collect();
    let r = kf
        .json(
            Method::PUT,
            "/sessiontoken",
            None,
            &json!({"TemporaryToken": step1["TemporaryToken"], "MemorableWordList": wrong}),
        )
        .await;
    assert_eq!(r.error(), (401, "InvalidMemorableWord".into()));
    snap("error_invalid_memorable_word", &r);
    let r = kf.finish(&step1, ADMIN_WORD).await;
    assert_eq!(r.error(), (401, "InvalidTemporaryToken".into()));
    snap("error_invalid_temporary_token", &r);

    // A right answer in any letter case gives a session; the token cannot be used twice.
    let step1 = kf.start("admin", ADMIN_PW).await.json();
    let r = kf.finish(&step1, ADMIN_WORD).await;
    assert_eq!(r.status, 200, "{}", r.text);
    snap("session_token", &r);
    let token = r.json()["SessionToken"].as_str().unwrap().to_owned();
    let r = kf.finish(&step1, ADMIN_WORD).await;
    assert_eq!(r.error(), (401, "InvalidTemporaryToken".into()));
    // A temporary token is no session token, and a session token no temporary one.
    let r = kf
        .get("/users", step1["TemporaryToken"].as_str().unwrap())
        .await;
    assert_eq!(r.error(), (401, "InvalidSessionToken".into()));
    let r = kf
        .json(
            Method::PUT,
            "/sessiontoken",
            None,
            &json!({"TemporaryToken": token, "MemorableWordList": []}),
        )
        .await;
    assert_eq!(r.error(), (401, "InvalidTemporaryToken".into()));

    // The login is real: LastLogin set, NoOfLogins counts the live sessions.
    let me = kf.get("/users/1", &token).await.json();
    assert_eq!(me["NoOfLogins"], 1);
    assert_datetime(me["LastLogin"].as_str().unwrap());
    let at = app
        .directory
        .get_user(&Actor::cli(fx.tenant), UserKey::Id(fx.admin.id))
        .await
        .unwrap()
        .last_login_at
        .unwrap();
    assert_eq!(me["LastLogin"], at.format("%Y-%m-%dT%H:%M:%S").to_string());
    let second = kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
    assert_eq!(kf.get("/users/1", &token).await.json()["NoOfLogins"], 2);

    // A non-administrator is told so at step 1 and may read.
    let r = kf.start("TestUser", TEST_PW).await;
    assert_eq!(r.json()["IsAdmin"], false);
    let user_token = kf.finish(&r.json(), TEST_WORD).await.json()["SessionToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(kf.get("/users", &user_token).await.status, 200);

    // DELETE ends only the caller's session.
    let r = kf
        .send(Method::DELETE, "/sessiontoken", Some(&second), &[], None)
        .await;
    assert_eq!(r.status, 204);
    let r = kf.get("/users", &second).await;
    assert_eq!(r.error(), (401, "InvalidSessionToken".into()));
    let r = kf
        .send(Method::DELETE, "/sessiontoken", Some(&second), &[], None)
        .await;
    assert_eq!(r.error(), (401, "InvalidSessionToken".into()));
    assert_eq!(kf.get("/users/1", &token).await.json()["NoOfLogins"], 1);

    // A user without a memorable word (made through another dialect) answers an empty list.
    let mut new = NewUser::new("plain@example.com", NameInput::Full("Plain User".into()));
    new.username = Some("plain".into());
    new.password = Some("Sup3r-Secret".into());
    app.directory
        .create_user(
            &Actor::cli(fx.tenant),
            CreateUserRequest {
                user: new,
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap();
    let r = kf.start("plain", "Sup3r-Secret").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["MemorableWordList"], json!([]));
    assert_eq!(r.json()["IsAdmin"], false);
    let r = kf
        .json(
            Method::PUT,
            "/sessiontoken",
            None,
            &json!({"TemporaryToken": r.json()["TemporaryToken"], "MemorableWordList": []}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);

    // A disabled user's sessions stop working, and the user cannot log in.
    let r = kf
        .json(
            Method::PUT,
            "/users/2",
            Some(&token),
            &json!({"Number": 2, "FullName": "TestUser", "RoleNumber": 11,
                    "Email": "test@test.com", "Username": "TestUser", "UserAccountDisabled": true}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["UserAccountDisabled"], true);
    assert_eq!(
        kf.get("/users", &user_token).await.error(),
        (401, "InvalidSessionToken".into())
    );
    assert_eq!(
        kf.start("TestUser", TEST_PW).await.error(),
        (401, "InvalidCredentials".into())
    );
}

async fn expiry(backend: Backend) {
    let app = spawn_app_with(backend, |c| {
        c.sessions.temporary_ttl = Duration::from_secs(1);
        c.sessions.idle_ttl = Duration::from_secs(2);
    })
    .await;
    let kf = Kf::new(&app);
    fixture(&app).await;

    // A stale temporary token.
    let step1 = kf.start("admin", ADMIN_PW).await.json();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let r = kf.finish(&step1, ADMIN_WORD).await;
    assert_eq!(r.error(), (401, "InvalidTemporaryToken".into()));

    // A session kept alive by use, then left idle past its time.
    let token = kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(800)).await;
        assert_eq!(kf.get("/users", &token).await.status, 200);
    }
    assert_eq!(kf.get("/users/1", &token).await.json()["NoOfLogins"], 1);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let r = kf.get("/users", &token).await;
    assert_eq!(r.error(), (401, "InvalidSessionToken".into()));
    // An expired session no longer counts as a login.
    let other = kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
    assert_eq!(kf.get("/users/1", &other).await.json()["NoOfLogins"], 1);
}

async fn lockout(backend: Backend) {
    let app = spawn_app_with(backend, |c| {
        c.security.lockout_duration = Duration::from_secs(2);
    })
    .await;
    let kf = Kf::new(&app);
    let fx = fixture(&app).await;

    // Five wrong passwords in a row: the fifth answer is the lock.
    for _ in 0..4 {
        assert_eq!(
            kf.start("admin", "wrong").await.error(),
            (401, "InvalidCredentials".into())
        );
    }
    let r = kf.start("admin", "wrong").await;
    assert_eq!(r.error(), (401, "AccountLocked".into()));
    snap("error_account_locked", &r);
    // Locked: even the right password is refused, and nothing counts further.
    assert_eq!(
        kf.start("admin", ADMIN_PW).await.error(),
        (401, "AccountLocked".into())
    );
    // Another user of the tenant is not affected.
    kf.login("TestUser", TEST_PW, TEST_WORD).await;
    tokio::time::sleep(Duration::from_millis(2300)).await;
    // Unlocked after the lock time.
    let token = kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
    assert_eq!(kf.get("/users", &token).await.status, 200);

    // Wrong memorable-word letters count too, mixed with wrong passwords.
    let wrong_letters = |step1: &Value| {
        let list: Vec<Value> = step1["MemorableWordList"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| json!({"Position": p["Position"], "Value": "#"}))
            .collect();
        json!({"TemporaryToken": step1["TemporaryToken"], "MemorableWordList": list})
    };
    for _ in 0..2 {
        assert_eq!(
            kf.start("TestUser", "wrong").await.error(),
            (401, "InvalidCredentials".into())
        );
    }
    for _ in 0..2 {
        let step1 = kf.start("TestUser", TEST_PW).await.json();
        let r = kf
            .json(Method::PUT, "/sessiontoken", None, &wrong_letters(&step1))
            .await;
        assert_eq!(r.error(), (401, "InvalidMemorableWord".into()));
    }
    // A temporary token issued before the lock is refused once the account is locked.
    let held = kf.start("TestUser", TEST_PW).await.json();
    let step1 = kf.start("TestUser", TEST_PW).await.json();
    let r = kf
        .json(Method::PUT, "/sessiontoken", None, &wrong_letters(&step1))
        .await;
    assert_eq!(r.error(), (401, "AccountLocked".into()));
    assert_eq!(
        kf.finish(&held, TEST_WORD).await.error(),
        (401, "AccountLocked".into())
    );
    assert_eq!(
        kf.start("TestUser", TEST_PW).await.error(),
        (401, "AccountLocked".into())
    );
    tokio::time::sleep(Duration::from_millis(2300)).await;
    kf.login("TestUser", TEST_PW, TEST_WORD).await;

    // A success resets the count: four failures, a login, four more, and still not locked.
    for _ in 0..4 {
        assert_eq!(
            kf.start("admin", "wrong").await.error(),
            (401, "InvalidCredentials".into())
        );
    }
    kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
    for _ in 0..4 {
        assert_eq!(
            kf.start("admin", "wrong").await.error(),
            (401, "InvalidCredentials".into())
        );
    }
    kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
    let _ = fx;
}

// ----- bad writes change nothing ----------------------------------------------------------

fn valid_post() -> Value {
    json!({"Email": "jsmith@example.com", "FullName": "John Smith", "Password": "letmein",
           "RoleNumber": 2, "Username": "jsmith", "MemorableWord": "aaaaa"})
}

fn valid_put() -> Value {
    json!({"Number": 2, "Email": "test@test.com", "FullName": "Test User", "RoleNumber": 11,
           "Username": "TestUser"})
}

async fn bad_writes_change_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let kf = Kf::new(&app);
    fixture(&app).await;
    let token = kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
    let before = kf.get("/users", &token).await.text;
    let unchanged = || async { assert_eq!(kf.get("/users", &token).await.text, before) };

    // Each mandatory POST member missing in turn (absent, null, and blank).
    for member in [
        "FullName",
        "RoleNumber",
        "Email",
        "Username",
        "Password",
        "MemorableWord",
    ] {
        for blank in [None, Some(Value::Null), Some(json!(""))] {
            if member == "RoleNumber" && blank == Some(json!("")) {
                continue;
            }
            let mut body = valid_post();
            match &blank {
                None => {
                    body.as_object_mut().unwrap().remove(member);
                }
                Some(v) => body[member] = v.clone(),
            }
            let r = kf.json(Method::POST, "/users", Some(&token), &body).await;
            assert_eq!(
                r.error(),
                (400, "ValidationError".into()),
                "{member}: {}",
                r.text
            );
            assert_eq!(r.json()["Message"], format!("{member} is required."));
            if member == "FullName" && blank.is_none() {
                snap("error_validation_missing", &r);
            }
        }
    }
    unchanged().await;

    // Each mandatory PUT member missing in turn.
    for member in ["FullName", "RoleNumber", "Email", "Username", "Number"] {
        let mut body = valid_put();
        body.as_object_mut().unwrap().remove(member);
        let r = kf.json(Method::PUT, "/users/2", Some(&token), &body).await;
        assert_eq!(r.error(), (400, "ValidationError".into()), "{member}");
        assert_eq!(r.json()["Message"], format!("{member} is required."));
    }
    unchanged().await;

    let cases: Vec<(Method, &str, Value, &str)> = vec![
        (
            Method::PUT,
            "/users/2",
            {
                let mut b = valid_put();
                b["Number"] = json!(1);
                b
            },
            "Number",
        ),
        (
            Method::PUT,
            "/users/2",
            {
                let mut b = valid_put();
                b["RoleNumber"] = json!(99);
                b
            },
            "RoleNumber",
        ),
        (
            Method::POST,
            "/users",
            {
                let mut b = valid_post();
                b["RoleNumber"] = json!(99);
                b
            },
            "RoleNumber",
        ),
        (
            Method::POST,
            "/users",
            {
                let mut b = valid_post();
                b["RoleNumber"] = json!("six");
                b
            },
            "RoleNumber",
        ),
        (
            Method::POST,
            "/users",
            {
                let mut b = valid_post();
                b["Email"] = json!("not-an-email");
                b
            },
            "Email",
        ),
        (
            Method::PUT,
            "/users/2",
            {
                let mut b = valid_put();
                b["Email"] = json!("x@y");
                b
            },
            "Email",
        ),
        (
            Method::POST,
            "/users",
            {
                let mut b = valid_post();
                b["MemorableWord"] = json!("ab");
                b
            },
            "MemorableWord",
        ),
        (
            Method::PUT,
            "/users/2",
            {
                let mut b = valid_put();
                b["MemorableWord"] = json!("ab");
                b
            },
            "MemorableWord",
        ),
        (
            Method::PUT,
            "/users/2",
            {
                let mut b = valid_put();
                b["UserAccountDisabled"] = json!("maybe");
                b
            },
            "UserAccountDisabled",
        ),
        (Method::POST, "/users", json!([valid_post()]), "object"),
    ];
    for (method, path, body, member) in cases {
        let r = kf.json(method.clone(), path, Some(&token), &body).await;
        assert_eq!(
            r.error(),
            (400, "ValidationError".into()),
            "{member}: {}",
            r.text
        );
        assert!(
            r.json()["Message"].as_str().unwrap().contains(member),
            "{member}: {}",
            r.text
        );
        if member == "RoleNumber" && method == Method::POST && body["RoleNumber"] == 99 {
            snap("error_validation_role", &r);
        }
    }
    unchanged().await;

    // Duplicates in another letter case, on create and on update.
    let mut body = valid_post();
    body["Username"] = json!("testuser");
    let r = kf.json(Method::POST, "/users", Some(&token), &body).await;
    assert_eq!(r.error(), (409, "DuplicateUsername".into()));
    snap("error_duplicate_username", &r);
    let mut body = valid_post();
    body["Email"] = json!("TEST@Test.com");
    let r = kf.json(Method::POST, "/users", Some(&token), &body).await;
    assert_eq!(r.error(), (409, "DuplicateEmail".into()));
    snap("error_duplicate_email", &r);
    let mut body = valid_put();
    body["Username"] = json!("ADMIN");
    let r = kf.json(Method::PUT, "/users/2", Some(&token), &body).await;
    assert_eq!(r.error(), (409, "DuplicateUsername".into()));
    let mut body = valid_put();
    body["Email"] = json!("Swati_Garg05@REDIFF.com");
    let r = kf.json(Method::PUT, "/users/2", Some(&token), &body).await;
    assert_eq!(r.error(), (409, "DuplicateEmail".into()));
    unchanged().await;

    // Malformed JSON and XML, a DOCTYPE, an entity.
    let broken: Vec<(&str, &str)> = vec![
        ("application/json", r#"{"FullName": "John", "#),
        ("application/json", "not json"),
        ("application/xml", "<User><FullName>John</User>"),
        ("text/xml", "<User><FullName>John</FullName>"),
        (
            "application/xml",
            r#"<!DOCTYPE User [<!ENTITY x "y">]><User><FullName>&x;</FullName></User>"#,
        ),
        ("application/xml", "<User><FullName>&x;</FullName></User>"),
    ];
    for (ct, body) in broken {
        let r = kf
            .send(
                Method::POST,
                "/users",
                Some(&token),
                &[("Content-Type", ct)],
                Some(body.as_bytes().to_vec()),
            )
            .await;
        assert_eq!(r.error(), (400, "ValidationError".into()), "{body}");
        let r = kf
            .send(
                Method::PUT,
                "/users/2",
                Some(&token),
                &[("Content-Type", ct)],
                Some(body.as_bytes().to_vec()),
            )
            .await;
        assert_eq!(r.error(), (400, "ValidationError".into()), "{body}");
    }
    let r = kf
        .send(
            Method::POST,
            "/users",
            Some(&token),
            &[("Content-Type", "application/json")],
            Some(b"{".to_vec()),
        )
        .await;
    snap("error_malformed_json", &r);
    unchanged().await;

    // Oversize and unsupported bodies.
    let mut big = valid_post();
    big["FullName"] = json!("x".repeat(300_000));
    let r = kf.json(Method::POST, "/users", Some(&token), &big).await;
    assert_eq!(r.error(), (413, "RequestTooLarge".into()));
    snap("error_too_large", &r);
    let mut big = valid_put();
    big["FullName"] = json!("x".repeat(300_000));
    let r = kf.json(Method::PUT, "/users/2", Some(&token), &big).await;
    assert_eq!(r.error(), (413, "RequestTooLarge".into()));
    let r = kf
        .send(
            Method::POST,
            "/users",
            Some(&token),
            &[("Content-Type", "application/x-www-form-urlencoded")],
            Some(b"FullName=John".to_vec()),
        )
        .await;
    assert_eq!(r.error(), (415, "UnsupportedMediaType".into()));
    snap("error_unsupported_media_type", &r);
    unchanged().await;

    // A non-administrator may read but not write.
    let user_token = kf.login("TestUser", TEST_PW, TEST_WORD).await;
    let before = kf.get("/users", &token).await.text;
    assert_eq!(kf.get("/users/1", &user_token).await.status, 200);
    let r = kf
        .json(Method::POST, "/users", Some(&user_token), &valid_post())
        .await;
    assert_eq!(r.error(), (403, "Forbidden".into()));
    snap("error_forbidden", &r);
    let mut body = valid_put();
    body["RoleNumber"] = json!(6);
    let r = kf
        .json(Method::PUT, "/users/2", Some(&user_token), &body)
        .await;
    assert_eq!(r.error(), (403, "Forbidden".into()));
    let r = kf
        .send(Method::DELETE, "/users/1", Some(&user_token), &[], None)
        .await;
    assert_eq!(r.error(), (403, "Forbidden".into()));
    // An administrator may not delete itself (the tenant would lose its way in).
    let r = kf
        .send(Method::DELETE, "/users/1", Some(&token), &[], None)
        .await;
    assert_eq!(r.error(), (403, "Forbidden".into()));
    assert_eq!(kf.get("/users", &token).await.text, before);

    // PUT leaves the password and memorable word alone when they are not sent.
    let r = kf
        .json(Method::PUT, "/users/2", Some(&token), &valid_put())
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["FullName"], "Test User");
    kf.login("TestUser", TEST_PW, TEST_WORD).await;
    // ... and changes them when they are.
    let mut body = valid_put();
    body["Password"] = json!("Sup3r-Secret");
    body["MemorableWord"] = json!("zebracrossing");
    assert_eq!(
        kf.json(Method::PUT, "/user/2", Some(&token), &body)
            .await
            .status,
        200
    );
    assert_eq!(
        kf.start("TestUser", TEST_PW).await.error(),
        (401, "InvalidCredentials".into())
    );
    kf.login("TestUser", "Sup3r-Secret", "zebracrossing").await;
}

// ----- XML ------------------------------------------------------------------------------------

async fn xml_formats(backend: Backend) {
    let app = spawn_app(backend).await;
    let kf = Kf::new(&app);
    fixture(&app).await;

    // The login in XML.
    let r = kf
        .xml(
            Method::POST,
            "/sessiontoken",
            None,
            Some(&format!(
                "<Login><UserName>admin</UserName><Password>{ADMIN_PW}</Password></Login>"
            )),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    snap_xml("xml_temporary_token", &r);
    let temp = between(&r.text, "<TemporaryToken>", "</TemporaryToken>");
    let positions: Vec<usize> = r
        .text
        .split("<Position>")
        .skip(1)
        .map(|s| s[..s.find('<').unwrap()].parse().unwrap())
        .collect();
    assert_eq!(positions.len(), 3);
    let word: Vec<char> = ADMIN_WORD.chars().collect();
    let items: String = positions
        .iter()
        .map(|&p| {
            format!(
                "<MemorableWord><Position>{p}</Position><Value>{}</Value></MemorableWord>",
                word[p - 1]
            )
        })
        .collect();
    let r = kf
        .xml(
            Method::PUT,
            "/sessiontoken",
            None,
            Some(&format!(
                "<?xml version=\"1.0\"?><Login><TemporaryToken>{temp}</TemporaryToken><MemorableWordList>{items}</MemorableWordList></Login>"
            )),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    snap_xml("xml_session_token", &r);
    let token = between(&r.text, "<SessionToken>", "</SessionToken>");

    // Reads.
    let r = kf.xml(Method::GET, "/users", Some(&token), None).await;
    assert_eq!(r.status, 200);
    assert!(r
        .text
        .contains("<ArrayOfUser><User><Email>swati_garg05@rediff.com</Email>"));
    snap_xml("xml_list_users", &r);
    let r = kf.xml(Method::GET, "/users/2", Some(&token), None).await;
    snap_xml("xml_get_user", &r);
    let r = kf
        .send(
            Method::GET,
            "/users/2",
            Some(&token),
            &[("Accept", "text/xml")],
            None,
        )
        .await;
    assert!(r.content_type.starts_with("text/xml"));
    assert!(r
        .text
        .contains("<RoleName>Invoices &amp; Customers (read only)</RoleName>"));

    // A create in XML, answered in XML.
    let body = "<User xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"><Email>jsmith@example.com</Email><FullName>John &amp; Smith</FullName><Password>letmein</Password><RoleNumber>2</RoleNumber><Username>jsmith</Username><MemorableWord>aaaaa</MemorableWord><Number i:nil=\"true\"/></User>";
    let r = kf
        .xml(Method::POST, "/users", Some(&token), Some(body))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.location.as_deref(), Some("/kashflow/users/3"));
    snap_xml("xml_post_user_created", &r);
    // An XML body answered in JSON (no Accept).
    let r = kf
        .send(
            Method::PUT,
            "/users/3",
            Some(&token),
            &[("Content-Type", "text/xml; charset=utf-8")],
            Some(b"<User><Number>3</Number><Email>jsmith@example.com</Email><FullName>John Smith</FullName><RoleNumber>6</RoleNumber><Username>jsmith</Username><UserAccountDisabled>true</UserAccountDisabled></User>".to_vec()),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["RoleName"], "Full Access");
    assert_eq!(r.json()["UserAccountDisabled"], true);

    // Errors in XML when XML was asked.
    let r = kf.xml(Method::GET, "/users/999", Some(&token), None).await;
    assert_eq!(r.status, 404);
    snap_xml("xml_error_not_found", &r);
    let r = kf.xml(Method::GET, "/users", Some("nope"), None).await;
    assert_eq!(r.status, 401);
    snap_xml("xml_error_invalid_session_token", &r);
    let r = kf
        .xml(
            Method::POST,
            "/users",
            Some(&token),
            Some("<User><FullName>x</User>"),
        )
        .await;
    assert_eq!(r.status, 400);
    snap_xml("xml_error_malformed", &r);
    assert_eq!(
        kf.get("/users", &token)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

fn between(text: &str, open: &str, close: &str) -> String {
    let start = text.find(open).unwrap() + open.len();
    let end = start + text[start..].find(close).unwrap();
    text[start..end].to_owned()
}

// ----- tenants and the directory ------------------------------------------------------------

async fn other_tenant_is_invisible(backend: Backend) {
    let app = spawn_app(backend).await;
    let kf = Kf::new(&app);
    fixture(&app).await;
    let (other, _) = app.tenant("Other").await;
    let stranger = app
        .user_with(
            other,
            "stranger",
            "stranger@example.com",
            "Sup3r-Secret",
            |n| {
                n.memorable_word = Some("zebracrossing".into());
            },
        )
        .await;
    let token = kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
    let path = format!("/users/{}", stranger.id);
    let missing = kf.get("/users/999999", &token).await;
    let theirs = kf.get(&path, &token).await;
    assert_eq!(
        (theirs.status, &theirs.text),
        (missing.status, &missing.text)
    );
    assert_eq!(kf.get("/users/abc", &token).await.text, missing.text);
    let mut body = valid_put();
    body["Number"] = json!(stranger.id.0);
    let r = kf.json(Method::PUT, &path, Some(&token), &body).await;
    assert_eq!(r.error(), (404, "UserNotFound".into()));
    let r = kf
        .send(Method::DELETE, &path, Some(&token), &[], None)
        .await;
    assert_eq!(r.error(), (404, "UserNotFound".into()));
    let list = kf.get("/users", &token).await.json();
    assert!(!list.to_string().contains("stranger"));
    // The stranger is untouched and sees only its own tenant.
    let theirs = kf.login("stranger", "Sup3r-Secret", "zebracrossing").await;
    let list = kf.get("/users", &theirs).await.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["Email"], "stranger@example.com");
    assert_eq!(kf.get("/users/1", &theirs).await.text, missing.text);
}

async fn canonical_values(backend: Backend) {
    let app = spawn_app(backend).await;
    let kf = Kf::new(&app);
    let fx = fixture(&app).await;
    let token = kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
    let mut body = valid_post();
    body["FullName"] = json!("John Ronald Reuel Tolkien");
    body["RoleNumber"] = json!(11);
    let r = kf.json(Method::POST, "/users", Some(&token), &body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = UserId(r.json()["Number"].as_i64().unwrap());
    let cli = Actor::cli(fx.tenant);
    let u = app.directory.get_user(&cli, UserKey::Id(id)).await.unwrap();
    assert_eq!(u.tenant_id, fx.tenant);
    assert_eq!(u.names.full, "John Ronald Reuel Tolkien");
    assert_eq!(u.names.first, "John");
    assert_eq!(u.names.last, "Ronald Reuel Tolkien");
    assert_eq!(u.username.as_str(), "jsmith");
    assert_eq!(u.email.as_str(), "jsmith@example.com");
    assert_eq!(u.status, Status::Active);
    assert_eq!(u.role_number, 11);
    assert!(u.perms.is_empty());
    assert!(u.has_password && u.has_memorable_word);
    assert!(u.last_login_at.is_none());

    // Disabled and enabled again through UserAccountDisabled.
    let put = |disabled: bool| {
        json!({"Number": id.0, "Email": "jsmith@example.com", "FullName": "Solo", "RoleNumber": 6,
               "Username": "jsmith", "UserAccountDisabled": disabled})
    };
    assert_eq!(
        kf.json(
            Method::PUT,
            &format!("/users/{id}"),
            Some(&token),
            &put(true)
        )
        .await
        .status,
        200
    );
    let u = app.directory.get_user(&cli, UserKey::Id(id)).await.unwrap();
    assert_eq!(u.status, Status::Inactive);
    assert_eq!(
        (u.names.first.as_str(), u.names.last.as_str()),
        ("Solo", "")
    );
    assert_eq!(u.role_number, 6);
    assert_eq!(
        kf.json(
            Method::PUT,
            &format!("/users/{id}"),
            Some(&token),
            &put(false)
        )
        .await
        .status,
        200
    );
    let u = app.directory.get_user(&cli, UserKey::Id(id)).await.unwrap();
    assert_eq!(u.status, Status::Active);

    // A pending user made elsewhere shows as disabled; the role catalogue renames show here.
    let pending = app
        .user_with(
            fx.tenant,
            "pending",
            "pending@example.com",
            "Sup3r-Secret",
            |n| {
                n.status = Status::Pending;
            },
        )
        .await;
    let r = kf
        .get(&format!("/users/{}", pending.id), &token)
        .await
        .json();
    assert_eq!(r["UserAccountDisabled"], true);
    app.directory
        .set_role(
            fx.tenant,
            rosetta_testkit::rosetta_core::Role {
                number: 6,
                name: "Boss".into(),
                admin: true,
            },
        )
        .await
        .unwrap();
    assert_eq!(kf.get("/users/1", &token).await.json()["RoleName"], "Boss");
    // The gateway keeps the catalogue in memory; a change made by another process on the same
    // database (here a second directory, as `rosetta role set` would be) shows on the next call,
    // and so does an administrator role losing its rights.
    let (other, _db) = rosetta_server::app::open(&app.config, String::new())
        .await
        .unwrap();
    other
        .set_role(
            fx.tenant,
            rosetta_testkit::rosetta_core::Role {
                number: 6,
                name: "Chief".into(),
                admin: false,
            },
        )
        .await
        .unwrap();
    assert_eq!(kf.get("/users/1", &token).await.json()["RoleName"], "Chief");
    let r = kf
        .send(
            Method::DELETE,
            &format!("/users/{}", pending.id),
            Some(&token),
            &[],
            None,
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.text);
    other
        .set_role(
            fx.tenant,
            rosetta_testkit::rosetta_core::Role {
                number: 6,
                name: "Boss".into(),
                admin: true,
            },
        )
        .await
        .unwrap();

    // The audit trail names this dialect.
    let r = kf
        .send(
            Method::DELETE,
            &format!("/users/{id}"),
            Some(&token),
            &[],
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    let audits = app.directory.deleted_audits(&cli, 10).await.unwrap();
    assert!(audits
        .iter()
        .any(|a| a.user_id == id && a.dialect == "kashflow" && a.actor == "user:1"));
}

backend_tests!(
    seed_examples,
    login_flow,
    expiry,
    lockout,
    bad_writes_change_nothing,
    xml_formats,
    other_tenant_is_invisible,
    canonical_values,
);
