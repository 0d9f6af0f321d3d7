//! Tenant isolation and administrator rights, over every route of every dialect that names or
//! lists users.
//!
//! A credential of tenant A asking for tenant B's user gets exactly what it gets for a user
//! that does not exist: same status, same content type, same body once the asked key (id,
//! email, GUID, name, ExternalId) is replaced by a placeholder in both. Writes aimed at B's
//! users change nothing, A's lists never hold B's users, and nothing A receives carries B's
//! data. Non-administrators' writes are refused in the dialects that have non-administrator
//! callers: a kashflow role-11 user, a keaz user with role 2 and no admin perm. (A usr bearer
//! credential and a v2 integration key are administrators of their tenant by design: there is
//! no lesser usr or v2 caller to test.)

use std::collections::BTreeSet;

use reqwest::Method;
use rosetta_e2e::TestGateway;
use rosetta_server::app::DIALECTS;
use rosetta_testkit::callers::{admin_clients, Clients, Keaz, Kf};
use rosetta_testkit::{backend_tests, enc, Backend, Client, Fixtures, Resp};

use crate::scim::Scim;
use serde_json::{json, Value};

const MISSING_ID: &str = "987654";
const MISSING_EMAIL: &str = "nobody@nowhere.test";
const MISSING_UUID: &str = "0b5e0c1e-0000-4000-8000-000000000000";
const MISSING_NAME: &str = "Zzyzx";
const MISSING_EXT: &str = "NO-EXT-0";

/// What a case names: the kind of key decides which of B's values and which missing value go
/// in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Key {
    Id,
    Email,
    Uuid,
    Name,
    Ext,
    /// A SCIM group's id.
    Group,
}

/// One request of the matrix; `{key}` in `path` and `body` is the asked key.
struct Case {
    dialect: &'static str,
    method: Method,
    /// The route as the dialect's `ROUTES` spells it.
    route: &'static str,
    path: &'static str,
    body: Option<&'static str>,
    key: Key,
}

fn case(
    dialect: &'static str,
    method: Method,
    route: &'static str,
    path: &'static str,
    body: Option<&'static str>,
    key: Key,
) -> Case {
    Case {
        dialect,
        method,
        route,
        path,
        body,
        key,
    }
}

const KF_PUT: &str = r#"{"Number": {key}, "Email": "hijack@alpha.test", "FullName": "Hi Jack",
    "RoleNumber": 2, "Username": "hijack", "UserAccountDisabled": false}"#;
const SCIM_USER: &str = r#"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    "userName": "hijack", "name": {"givenName": "Hi", "familyName": "Jack"},
    "emails": [{"value": "hijack@alpha.test", "type": "work", "primary": true}]}"#;
const SCIM_PATCH: &str = r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{"op": "replace", "path": "active", "value": false}]}"#;
const SCIM_GROUP: &str =
    r#"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Hijacked"}"#;
const SCIM_GROUP_PATCH: &str = r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{"op": "replace", "path": "displayName", "value": "Hijacked"}]}"#;
const SCIM_SEARCH_EMAIL: &str = r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
    "filter": "emails.value eq \"{key}\""}"#;
const SCIM_SEARCH_GROUP: &str = r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
    "filter": "id eq \"{key}\""}"#;
const BOOKING: &str =
    r#"{"asset": "car", "start": "2026-03-10T09:00:00Z", "end": "2026-03-10T10:00:00Z"}"#;

/// Reads first, then writes, then deletes (so a broken delete cannot hide a broken read).
/// Columns: dialect, method, route as `ROUTES` spells it, request path, body, key kind.
fn matrix() -> Vec<Case> {
    with_v2_extensions(base_matrix())
}

/// v2 serves each route also as `.json` and `.xml` (v2.md, format by extension): the same
/// requests, asked through those paths.
fn with_v2_extensions(cases: Vec<Case>) -> Vec<Case> {
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let mut all = Vec::with_capacity(cases.len() * 2);
    for c in cases {
        if c.dialect == "v2" {
            for ext in [".json", ".xml"] {
                let (path, query) = c.path.split_once('?').unwrap_or((c.path, ""));
                let path = if query.is_empty() {
                    format!("{path}{ext}")
                } else {
                    format!("{path}{ext}?{query}")
                };
                all.push(Case {
                    dialect: c.dialect,
                    method: c.method.clone(),
                    route: leak(format!("{}{ext}", c.route)),
                    path: leak(path),
                    body: c.body,
                    key: c.key,
                });
            }
        }
        all.push(c);
    }
    all
}

#[rustfmt::skip]
fn base_matrix() -> Vec<Case> {
    use Key::*;
    let (get, post, put, delete) = (Method::GET, Method::POST, Method::PUT, Method::DELETE);
    vec![
        case("kashflow", get.clone(), "/users/{number}", "/users/{key}", None, Id),
        case("kashflow", get.clone(), "/user/{number}", "/user/{key}", None, Id),
        case("usr", get.clone(), "/usr/{userId}", "/usr/{key}", None, Id),
        case("keaz", get.clone(), "/user/{id}", "/user/{key}", None, Id),
        case("keaz", get.clone(), "/user/byemail", "/user/byemail?email={key}", None, Email),
        case("keaz", get.clone(), "/user/{id}/perms", "/user/{key}/perms", None, Id),
        case("keaz", get.clone(), "/user/{id}/license-types", "/user/{key}/license-types", None, Id),
        case("keaz", get.clone(), "/user/{id}/assets", "/user/{key}/assets", None, Id),
        case("keaz", get.clone(), "/user/{id}/assets/{tag}", "/user/{key}/assets/car", None, Id),
        case("keaz", get.clone(), "/user/{id}/bookings/{year}", "/user/{key}/bookings/2026", None, Id),
        case("keaz", get.clone(), "/user/{id}/bookings/{year}/{month}", "/user/{key}/bookings/2026/03", None, Id),
        case("keaz", get.clone(), "/user/{id}/bookings/{year}/{month}/{day}", "/user/{key}/bookings/2026/03/10", None, Id),
        case("keaz", get.clone(), "/user/{id}/bookings/{year}/{month}/{day}/{hour}", "/user/{key}/bookings/2026/03/10/09", None, Id),
        case("v2", get.clone(), "/api/v2/user", "/api/v2/user?Id={key}", None, Uuid),
        case("v2", get.clone(), "/api/v2/user", "/api/v2/user?Email={key}", None, Email),
        case("v2", get.clone(), "/api/v2/user", "/api/v2/user?ExternalId={key}", None, Ext),
        case("v2", get.clone(), "/api/v2/user/search", "/api/v2/user/search?Email={key}", None, Email),
        case("v2", get.clone(), "/api/v2/user/search", "/api/v2/user/search?Name={key}", None, Name),
        case("v2", get.clone(), "/api/v2/user/search", "/api/v2/user/search?ExternalId={key}&IncludeDeletedUserAudits=true", None, Ext),
        case("v2", post.clone(), "/api/v2/user/search", "/api/v2/user/search", Some(r#"{"Email": "{key}"}"#), Email),
        case("v2", post.clone(), "/api/v2/user/search", "/api/v2/user/search", Some(r#"{"Name": "{key}"}"#), Name),
        case("scim", get.clone(), "/Users/{id}", "/Users/{key}", None, Uuid),
        case("scim", get.clone(), "/Groups/{id}", "/Groups/{key}", None, Group),
        case("scim", get.clone(), "/Users", "/Users?filter=id%20eq%20%22{key}%22", None, Uuid),
        case("scim", get.clone(), "/Users", "/Users?filter=userName%20eq%20%22{key}%22", None, Email),
        case("scim", get.clone(), "/Users", "/Users?filter=name.givenName%20co%20%22{key}%22", None, Name),
        case("scim", get.clone(), "/Users", "/Users?filter=externalId%20eq%20%22{key}%22", None, Ext),
        case("scim", get.clone(), "/Groups", "/Groups?filter=members.value%20eq%20%22{key}%22", None, Uuid),
        case("scim", get.clone(), "/Groups", "/Groups?filter=id%20eq%20%22{key}%22", None, Group),
        case("scim", post.clone(), "/Users/.search", "/Users/.search", Some(SCIM_SEARCH_EMAIL), Email),
        case("scim", post.clone(), "/Groups/.search", "/Groups/.search", Some(SCIM_SEARCH_GROUP), Group),
        case("scim", post.clone(), "/.search", "/.search", Some(SCIM_SEARCH_EMAIL), Email),
        // Writes.
        case("kashflow", put.clone(), "/users/{number}", "/users/{key}", Some(KF_PUT), Id),
        case("kashflow", put.clone(), "/user/{number}", "/user/{key}", Some(KF_PUT), Id),
        case("usr", post.clone(), "/usr/{userId}", "/usr/{key}", Some(r#"{"contactName": "Hi Jack"}"#), Id),
        case("usr", put.clone(), "/usr/{userId}", "/usr/{key}", Some(r#"{"active": 0}"#), Id),
        case("keaz", put.clone(), "/user/{id}", "/user/{key}", Some(r#"{"name": "Hi Jack", "status": "inactive"}"#), Id),
        case("keaz", put.clone(), "/user/{id}/perms", "/user/{key}/perms", Some(r#"["fleet-view"]"#), Id),
        case("keaz", put.clone(), "/user/{id}/license-types", "/user/{key}/license-types", Some(r#"["C1"]"#), Id),
        case("keaz", post.clone(), "/user/{id}/resend", "/user/{key}/resend", None, Id),
        case("keaz", post.clone(), "/user/{id}/assets/{tag}", "/user/{key}/assets/car", Some(r#"{"reg": "HIJACK"}"#), Id),
        case("keaz", post.clone(), "/user/{id}/bookings", "/user/{key}/bookings", Some(BOOKING), Id),
        case("scim", put.clone(), "/Users/{id}", "/Users/{key}", Some(SCIM_USER), Uuid),
        case("scim", Method::PATCH, "/Users/{id}", "/Users/{key}", Some(SCIM_PATCH), Uuid),
        case("scim", put.clone(), "/Groups/{id}", "/Groups/{key}", Some(SCIM_GROUP), Group),
        case("scim", Method::PATCH, "/Groups/{id}", "/Groups/{key}", Some(SCIM_GROUP_PATCH), Group),
        // Deletes.
        case("kashflow", delete.clone(), "/users/{number}", "/users/{key}", None, Id),
        case("kashflow", delete.clone(), "/user/{number}", "/user/{key}", None, Id),
        case("usr", delete.clone(), "/usr/{userId}", "/usr/{key}", None, Id),
        case("keaz", delete.clone(), "/user/{id}", "/user/{key}", None, Id),
        case("v2", delete.clone(), "/api/v2/user", "/api/v2/user?Id={key}", None, Uuid),
        case("scim", delete.clone(), "/Users/{id}", "/Users/{key}", None, Uuid),
        case("scim", delete, "/Groups/{id}", "/Groups/{key}", None, Group),
    ]
}

/// Routes that list users: checked below by what the lists hold.
const LIST_ROUTES: &[(&str, &str, &str)] = &[
    ("kashflow", "GET", "/users"),
    ("usr", "GET", "/pub/usr/acc/{accountId}"),
    ("usr", "GET", "/usr/acc/{accountId}"),
    ("keaz", "GET", "/users"),
];

/// Routes that name no existing user, so there is nothing of B's to ask for.
const NO_USER_ROUTES: &[(&str, &str, &str, &str)] = &[
    ("kashflow", "POST", "/sessiontoken", "login"),
    ("kashflow", "PUT", "/sessiontoken", "login"),
    (
        "kashflow",
        "DELETE",
        "/sessiontoken",
        "logout of the caller's own session",
    ),
    ("kashflow", "POST", "/users", "create"),
    ("usr", "POST", "/usr/new", "create"),
    ("usr", "PUT", "/usr/new", "create"),
    ("keaz", "POST", "/login", "login"),
    ("keaz", "GET", "/login", "login"),
    ("keaz", "POST", "/user", "create"),
    (
        "keaz",
        "POST",
        "/activate/{ticket}",
        "a ticket, no credential",
    ),
    (
        "keaz",
        "GET",
        "/activate/{ticket}",
        "a ticket, no credential",
    ),
    ("keaz", "POST", "/import/users", "create"),
    ("v2", "POST", "/api/v2/user", "create"),
    ("v2", "POST", "/api/v2/user.json", "create"),
    ("v2", "POST", "/api/v2/user.xml", "create"),
    ("scim", "POST", "/Users", "create"),
    ("scim", "POST", "/Groups", "create"),
    ("scim", "GET", "/ServiceProviderConfig", "discovery"),
    ("scim", "GET", "/ResourceTypes", "discovery"),
    ("scim", "GET", "/ResourceTypes/{name}", "discovery"),
    ("scim", "GET", "/Schemas", "discovery"),
    ("scim", "GET", "/Schemas/{urn}", "discovery"),
    ("scim", "GET", "/{unknown}", "no endpoint: the SCIM 404"),
];

/// Every route of every dialect is in the matrix, a list, or named as naming no user: a new
/// route cannot slip past this suite.
#[test]
fn the_matrix_covers_every_route() {
    let mut covered: BTreeSet<(String, String, String)> = matrix()
        .iter()
        .map(|c| (c.dialect.into(), c.method.to_string(), c.route.into()))
        .collect();
    for (d, m, r) in LIST_ROUTES {
        covered.insert(((*d).into(), (*m).into(), (*r).into()));
    }
    for (d, m, r, _why) in NO_USER_ROUTES {
        covered.insert(((*d).into(), (*m).into(), (*r).into()));
    }
    // Every dialect the server mounts: one registered in `DIALECTS` fails here until the
    // matrix covers its routes.
    let mut missing = Vec::new();
    for dialect in DIALECTS {
        let d = dialect.name;
        for r in dialect.routes {
            if !covered.contains(&(d.into(), r.method.to_string(), r.path.into())) {
                missing.push(format!("{d} {} {}", r.method, r.path));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "routes not in the isolation matrix: {missing:?}"
    );
}

/// Sends `path` (with `{key}` replaced) through the dialect's client.
/// kashflow and v2 also answer in XML (`xml`); usr and keaz speak JSON only.
async fn ask(c: &Clients, scim: &Scim, case: &Case, key: &str, xml: bool) -> Resp {
    let in_url = if matches!(case.key, Key::Id | Key::Uuid | Key::Group) {
        key.to_owned()
    } else {
        enc(key)
    };
    let path = case.path.replace("{key}", &in_url);
    let body: Option<Value> = case
        .body
        .map(|b| serde_json::from_str(&b.replace("{key}", key)).unwrap());
    let m = case.method.clone();
    let bytes = body.as_ref().map(|b| serde_json::to_vec(b).unwrap());
    match (case.dialect, xml) {
        ("kashflow", true) => {
            let auth = format!("KfToken {}", c.kf.token);
            let headers = [
                ("Authorization", auth.as_str()),
                ("Accept", "application/xml"),
                ("Content-Type", "application/json"),
            ];
            let path = format!("/kashflow{path}");
            c.kf.gw.call(m, &path, &headers, bytes).await
        }
        ("v2", true) => {
            let (p, q) = path.split_once('?').unwrap_or((&path, ""));
            let url = format!(
                "{p}?format=xml&CompanyId={}&IntegrationKey={}&{q}",
                c.v2.company, c.v2.key
            );
            let headers = [("Content-Type", "application/json")];
            c.v2.gw.call(m, &url, &headers, bytes).await
        }
        (_, true) => unreachable!("{} has no XML", case.dialect),
        ("kashflow", false) => c.kf.send(m, &path, body.as_ref()).await,
        ("usr", false) => c.usr.send(m, &path, body.as_ref()).await,
        ("keaz", false) => c.keaz.send(m, &path, body.as_ref()).await,
        ("scim", false) => scim.send(m, &path, body.as_ref()).await,
        ("v2", false) => {
            let (p, q) = path.split_once('?').unwrap_or((&path, ""));
            c.v2.send(m, p, q, body.as_ref()).await
        }
        (other, _) => unreachable!("{other}"),
    }
}

/// `text` with every whole occurrence of `key` (and its URL form) replaced by `{key}`.
fn redact(text: &str, key: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(key) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + key.len()..].chars().next();
        let digits = key.chars().all(|c| c.is_ascii_digit());
        let glued = digits
            && (before.is_some_and(|c| c.is_ascii_digit())
                || after.is_some_and(|c| c.is_ascii_digit()));
        out.push_str(&rest[..i]);
        out.push_str(if glued { key } else { "{key}" });
        rest = &rest[i + key.len()..];
    }
    out.push_str(rest);
    if enc(key) != key {
        out = out.replace(&enc(key), "{key}");
    }
    out
}

/// Tenant B's users, as B's own administrator made them.
struct TenantB {
    target_id: String,
    pending_id: String,
    email: String,
    uuid: String,
    /// What B's target reads like through B's own clients before A tries anything.
    before: Vec<Value>,
}

async fn b_snapshot(b: &Clients, id: &str, uuid: &str) -> Vec<Value> {
    vec![
        b.kf.get(&format!("/users/{id}")).await.expect(200),
        b.usr.user(id.parse().unwrap()).await.expect(200),
        b.keaz.user(id.parse().unwrap()).await.expect(200),
        b.keaz
            .send(Method::GET, &format!("/user/{id}/assets"), None)
            .await
            .expect(200),
        b.keaz
            .send(Method::GET, &format!("/user/{id}/bookings/2026"), None)
            .await
            .expect(200),
        b.v2.by_id(uuid).await.expect(200),
    ]
}

async fn setup_b(app: &TestGateway, b: &Clients, gw: &Client) -> TenantB {
    let pw = gw.secret("Beatrix-pw-1");
    let v =
        b.v2.send(
            Method::POST,
            "/api/v2/user",
            "",
            Some(&json!({"FirstName": "Beatrix", "LastName": "Target",
                         "Email": "target@beta.test", "Password": pw,
                         "ExternalId": "B-EXT-1", "DoNotEmail": true})),
        )
        .await
        .expect(200);
    let uuid = v["User"]["Id"].as_str().unwrap().to_owned();
    let z = b
        .keaz
        .send(Method::GET, "/user/byemail?email=target%40beta.test", None)
        .await
        .expect(200);
    let target_id = z["id"].to_string();
    for (path, body) in [
        (format!("/user/{target_id}/perms"), json!(["fleet-view"])),
        (format!("/user/{target_id}/license-types"), json!(["B"])),
    ] {
        b.keaz
            .send(Method::PUT, &path, Some(&body))
            .await
            .expect(200);
    }
    b.keaz
        .send(
            Method::POST,
            &format!("/user/{target_id}/assets/car"),
            Some(&json!({"reg": "B-REG-77"})),
        )
        .await
        .expect(201);
    b.keaz
        .send(
            Method::POST,
            &format!("/user/{target_id}/bookings"),
            Some(&serde_json::from_str(BOOKING).unwrap()),
        )
        .await
        .expect(201);
    let pending = b
        .keaz
        .send(
            Method::POST,
            "/user",
            Some(&json!({"name": "Quentin Quill", "email": "pending@beta.test"})),
        )
        .await
        .expect(201);
    b.usr
        .send(
            Method::POST,
            "/usr/new",
            Some(
                &json!({"contactName": "Beatrix Account", "emailAddress": "acct@beta.test",
                         "defaultAccountId": 77, "username": "bacct", "password": pw}),
            ),
        )
        .await
        .expect(201);
    // A deletion in B, for the v2 audit list.
    let gone = b
        .usr
        .send(
            Method::POST,
            "/usr/new",
            Some(
                &json!({"contactName": "Beatrix Gone", "emailAddress": "gone@beta.test",
                         "defaultAccountId": 77, "username": "bgone", "password": pw}),
            ),
        )
        .await
        .expect(201);
    b.usr
        .send(Method::DELETE, &format!("/usr/{}", gone["id"]), None)
        .await
        .expect(200);
    let _ = app;
    TenantB {
        before: b_snapshot(b, &target_id, &uuid).await,
        target_id,
        pending_id: pending["id"].to_string(),
        email: "target@beta.test".into(),
        uuid,
    }
}

/// What only tenant B has; none of it may reach A.
const B_MARKERS: &[&str] = &[
    "beta.test",
    "Beatrix",
    "Quentin",
    "B-EXT-1",
    "B-REG-77",
    "rootb",
    "Beta Team",
];

async fn foreign_users_read_as_missing(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let gw = app.client.clone();
    let (ga, gb) = (gw.tagged("A"), gw.tagged("B"));
    let (ta, a) = admin_clients(&app, &ga, "Alpha", "roota", "roota@alpha.test").await;
    let (tbid, b) = admin_clients(&app, &gb, "Beta", "rootb", "rootb@beta.test").await;
    let (scim_a, scim_b) = (
        Scim::of(&app, &ga, ta).await,
        Scim::of(&app, &gb, tbid).await,
    );
    // A has a user on account 42 too, and a deletion of its own.
    a.usr
        .send(
            Method::POST,
            "/usr/new",
            Some(
                &json!({"contactName": "Alan Decoy", "emailAddress": "decoy@alpha.test",
                         "defaultAccountId": 42, "username": "decoy", "password": "x"}),
            ),
        )
        .await
        .expect(201);
    let mut tb = setup_b(&app, &b, &gb).await;
    // A SCIM group of B's, with B's target in it; and one of A's, so A's lists are not empty.
    let b_group = scim_b
        .send(
            Method::POST,
            "/Groups",
            Some(
                &json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                         "displayName": "Beta Team", "members": [{"value": tb.uuid}]}),
            ),
        )
        .await
        .expect(201);
    let b_group_id = b_group["id"].as_str().unwrap().to_owned();
    scim_a
        .send(
            Method::POST,
            "/Groups",
            Some(
                &json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                         "displayName": "Alpha Team"}),
            ),
        )
        .await
        .expect(201);
    let b_group_before = scim_b
        .get(&format!("/Groups/{b_group_id}"))
        .await
        .expect(200);
    // B's target is in the group now (its v2 Groups say so): the state A must not change.
    tb.before = b_snapshot(&b, &tb.target_id, &tb.uuid).await;

    for case in matrix() {
        let foreign: Vec<String> = match case.key {
            Key::Id => vec![tb.target_id.clone(), tb.pending_id.clone()],
            Key::Email => vec![tb.email.clone()],
            Key::Uuid => vec![tb.uuid.clone()],
            Key::Name => vec!["Beatrix".into()],
            Key::Ext => vec!["B-EXT-1".into()],
            Key::Group => vec![b_group_id.clone()],
        };
        let missing = match case.key {
            Key::Id => MISSING_ID,
            Key::Email => MISSING_EMAIL,
            Key::Uuid => MISSING_UUID,
            Key::Name => MISSING_NAME,
            Key::Ext => MISSING_EXT,
            Key::Group => MISSING_UUID,
        };
        let formats: &[bool] = match case.dialect {
            "kashflow" | "v2" => &[false, true],
            _ => &[false],
        };
        for key in foreign {
            for &xml in formats {
                let what = format!(
                    "{} {} {} with {key}{}",
                    case.dialect,
                    case.method,
                    case.path,
                    if xml { " (XML)" } else { "" }
                );
                let theirs = ask(&a, &scim_a, &case, &key, xml).await;
                let nobodys = ask(&a, &scim_a, &case, missing, xml).await;
                assert_eq!(
                    theirs.status, nobodys.status,
                    "{what}: {} / {}",
                    theirs.text, nobodys.text
                );
                let search = (case.dialect == "v2" && case.path.contains("search"))
                    || (case.dialect == "scim"
                        && (case.path.contains("filter=") || case.path.contains(".search")));
                if case.dialect == "scim" && !search {
                    // scim.md: another tenant's resource is 404, exactly as a missing one.
                    assert_eq!(theirs.status, 404, "{what}: {}", theirs.text);
                }
                if search {
                    assert!(
                        theirs.status != 200 || !theirs.text.contains(&key),
                        "{what}: {}",
                        theirs.text
                    );
                }
                assert!(
                    theirs.status >= 400 || search,
                    "{what}: B's user answered {}: {}",
                    theirs.status,
                    theirs.text
                );
                assert_eq!(theirs.content_type, nobodys.content_type, "{what}");
                assert_eq!(
                    redact(&theirs.text, &key),
                    redact(&nobodys.text, missing),
                    "{what}"
                );
                if xml {
                    assert!(theirs.text.starts_with("<?xml"), "{what}: {}", theirs.text);
                }
            }
        }
    }

    // Nothing of B's changed.
    assert_eq!(b_snapshot(&b, &tb.target_id, &tb.uuid).await, tb.before);
    assert_eq!(
        scim_b
            .get(&format!("/Groups/{b_group_id}"))
            .await
            .expect(200),
        b_group_before
    );
    // A's SCIM lists hold only A's users and groups.
    let users = scim_a.get("/Users?count=1000").await.expect(200);
    assert_eq!(users["totalResults"], 2, "roota and the decoy: {users}");
    let groups = scim_a.get("/Groups").await.expect(200);
    assert_eq!(groups["totalResults"], 1, "{groups}");
    assert_eq!(groups["Resources"][0]["displayName"], "Alpha Team");
    b.keaz
        .user(tb.pending_id.parse().unwrap())
        .await
        .expect(200);

    // Lists: A's hold only A's users; an account only B uses reads like an unused one.
    let acc77 = a.usr.send(Method::GET, "/pub/usr/acc/77", None).await;
    let acc78 = a.usr.send(Method::GET, "/pub/usr/acc/78", None).await;
    assert_eq!((acc77.status, &acc77.text), (acc78.status, &acc78.text));
    assert_eq!(acc77.expect(200), json!([]));
    let acc77 = a.usr.send(Method::GET, "/usr/acc/77", None).await;
    assert_eq!(acc77.expect(200), json!([]));
    let acc42 = a
        .usr
        .send(Method::GET, "/pub/usr/acc/42", None)
        .await
        .expect(200);
    assert_eq!(acc42.as_array().unwrap().len(), 1, "{acc42}");
    assert_eq!(acc42[0]["emailAddress"], "decoy@alpha.test");
    let kf = a.kf.get("/users").await.expect(200);
    assert_eq!(kf.as_array().unwrap().len(), 2, "roota and the decoy: {kf}");
    for path in ["/users", "/users?inactive"] {
        let list = a.keaz.send(Method::GET, path, None).await.expect(200);
        assert!(list
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["email"].as_str().unwrap().ends_with("@alpha.test")));
    }
    let audits =
        a.v2.send(
            Method::GET,
            "/api/v2/user/search",
            "Name=a&IncludeDeletedUserAudits=true",
            None,
        )
        .await
        .expect(200);
    assert_eq!(audits["DeletedUsers"], json!([]), "{audits}");

    // A's key with B's CompanyId is refused like a company that does not exist.
    let q = |company: &str| {
        format!(
            "/api/v2/user/search?format=json&CompanyId={company}&IntegrationKey={}&Name=Beatrix",
            a.v2.key
        )
    };
    let theirs = ga
        .call(Method::GET, &q(&b.v2.company.to_string()), &[], None)
        .await;
    let nobodys = ga.call(Method::GET, &q(MISSING_ID), &[], None).await;
    assert_eq!(theirs.status, 401, "{}", theirs.text);
    assert_eq!(
        (
            theirs.status,
            redact(&theirs.text, &b.v2.company.to_string())
        ),
        (nobodys.status, redact(&nobodys.text, MISSING_ID))
    );

    // Nothing A received carries B's data.
    for (what, body) in gw.bodies("A") {
        for marker in B_MARKERS {
            let shown =
                body.contains(marker) && !what.contains(&enc(marker)) && !what.contains(marker);
            assert!(!shown, "{what} answered B's {marker}: {body}");
        }
    }

    // Usernames and emails are unique per tenant only: A may use B's, and is told nothing.
    a.kf.send(
        Method::POST,
        "/users",
        Some(
            &json!({"Email": "target@beta.test", "FullName": "Alpha Twin", "Password": "x",
                     "RoleNumber": 2, "Username": "bacct", "MemorableWord": "abcde"}),
        ),
    )
    .await
    .expect(201);
    a.usr
        .send(
            Method::POST,
            "/usr/new",
            Some(
                &json!({"contactName": "Alpha Twin", "emailAddress": "acct@beta.test",
                         "defaultAccountId": 77, "username": "rootb", "password": "x"}),
            ),
        )
        .await
        .expect(201);
    a.keaz
        .send(
            Method::POST,
            "/user",
            Some(&json!({"name": "Alpha Twin", "email": "pending@beta.test"})),
        )
        .await
        .expect(201);
    a.v2.send(
        Method::POST,
        "/api/v2/user",
        "",
        Some(
            &json!({"FirstName": "Alpha", "LastName": "Twin", "Email": "rootb@beta.test",
                     "ExternalId": "B-EXT-1", "DoNotEmail": true}),
        ),
    )
    .await
    .expect(200);
    assert_eq!(b_snapshot(&b, &tb.target_id, &tb.uuid).await, tb.before);
    gw.assert_no_leaks();
}

async fn non_administrators_cannot_write(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let gw = app.client.clone();
    let (tenant, a) = admin_clients(&app, &gw, "Alpha", "roota", "roota@alpha.test").await;
    let pw = gw.secret("Cl3rk-pw");
    let word = gw.secret("marmalade");
    app.user_with(tenant, "clerk", "clerk@alpha.test", &pw, |n| {
        n.role_number = Some(11);
        n.memorable_word = Some(word.clone());
    })
    .await;
    app.user_with(tenant, "viewer", "viewer@alpha.test", &pw, |n| {
        n.role_number = Some(2);
        n.perms = vec!["fleet-view".into()];
    })
    .await;
    let victim = a
        .keaz
        .send(
            Method::POST,
            "/user",
            Some(&json!({"name": "Vic Tim", "email": "victim@alpha.test"})),
        )
        .await
        .expect(201);
    let vid = victim["id"].as_i64().unwrap();
    let viewer_id = a
        .keaz
        .send(Method::GET, "/user/byemail?email=viewer%40alpha.test", None)
        .await
        .expect(200)["id"]
        .as_i64()
        .unwrap();
    let clerk = Kf::login(&gw, "clerk", &pw, &word).await;
    let viewer = Keaz::login(&gw, "viewer@alpha.test", &pw).await;
    let before_kf = a.kf.get("/users").await.expect(200);
    let before_keaz = a.keaz.user(vid).await.expect(200);

    // kashflow: role 11 reads, but every write is 403 Forbidden, whatever the body.
    clerk.get("/users").await.expect(200);
    clerk.user(vid).await.expect(200);
    let kf_user = json!({"Number": vid, "Email": "x@alpha.test", "FullName": "X Y",
                         "RoleNumber": 6, "Username": "xy", "Password": "p",
                         "MemorableWord": "abcde"});
    let mut kf_writes = BTreeSet::new();
    for (method, path) in [
        (Method::POST, "/users".to_owned()),
        (Method::PUT, format!("/users/{vid}")),
        (Method::PUT, format!("/user/{vid}")),
        (Method::DELETE, format!("/users/{vid}")),
        (Method::DELETE, format!("/user/{vid}")),
    ] {
        let r = clerk.send(method.clone(), &path, Some(&kf_user)).await;
        assert_eq!(r.expect(403)["Error"], "Forbidden", "{method} {path}");
        kf_writes.insert(format!(
            "{method} {}",
            path.replace(&vid.to_string(), "{number}")
        ));
    }
    for r in rosetta_kashflow::ROUTES {
        if r.method != "GET" && r.path != "/sessiontoken" {
            assert!(
                kf_writes.contains(&format!("{} {}", r.method, r.path)),
                "kashflow write {} {} not tried",
                r.method,
                r.path
            );
        }
    }

    // keaz: role 2 with only `fleet-view` reads, but every write is 403 forbidden.
    viewer.send(Method::GET, "/users", None).await.expect(200);
    viewer.user(vid).await.expect(200);
    let attempts: Vec<(Method, String, Value)> = vec![
        (
            Method::POST,
            "/user".into(),
            json!({"name": "New One", "email": "new@alpha.test"}),
        ),
        (
            Method::PUT,
            format!("/user/{vid}"),
            json!({"name": "Changed"}),
        ),
        (Method::DELETE, format!("/user/{vid}"), Value::Null),
        (
            Method::PUT,
            format!("/user/{vid}/perms"),
            json!(["fleet-view"]),
        ),
        (
            Method::PUT,
            format!("/user/{viewer_id}/perms"),
            json!(["fleet-view", "admin"]),
        ),
        (
            Method::PUT,
            format!("/user/{vid}/license-types"),
            json!(["B"]),
        ),
        (Method::POST, format!("/user/{vid}/resend"), Value::Null),
        (
            Method::POST,
            format!("/user/{vid}/assets/car"),
            json!({"reg": "X"}),
        ),
        (
            Method::POST,
            format!("/user/{vid}/bookings"),
            serde_json::from_str(BOOKING).unwrap(),
        ),
    ];
    let mut keaz_writes = BTreeSet::new();
    for (method, path, body) in attempts {
        let body = (!body.is_null()).then_some(body);
        let r = viewer.send(method.clone(), &path, body.as_ref()).await;
        assert_eq!(r.expect(403)["error"], "forbidden", "{method} {path}");
        let route = path
            .replace(&vid.to_string(), "{id}")
            .replace(&viewer_id.to_string(), "{id}")
            .replace("/car", "/{tag}");
        keaz_writes.insert(format!("{method} {route}"));
    }
    let r = viewer
        .send_raw(
            Method::POST,
            "/import/users",
            "text/csv",
            "name,email\nCsv One,csv1@alpha.test\n",
        )
        .await;
    assert_eq!(r.expect(403)["error"], "forbidden");
    keaz_writes.insert("POST /import/users".into());
    for r in rosetta_keaz::ROUTES {
        let open = matches!(r.path, "/login" | "/activate/{ticket}");
        if r.method != "GET" && !open {
            assert!(
                keaz_writes.contains(&format!("{} {}", r.method, r.path)),
                "keaz write {} {} not tried",
                r.method,
                r.path
            );
        }
    }

    // Nothing changed.
    assert_eq!(a.kf.get("/users").await.expect(200), before_kf);
    assert_eq!(a.keaz.user(vid).await.expect(200), before_keaz);
    let assets = a
        .keaz
        .send(Method::GET, &format!("/user/{vid}/assets"), None)
        .await
        .expect(200);
    assert_eq!(assets, json!({}));
    let viewer_perms = a
        .keaz
        .send(Method::GET, &format!("/user/{viewer_id}/perms"), None)
        .await
        .expect(200);
    assert_eq!(viewer_perms, json!(["fleet-view"]));
    gw.assert_no_leaks();
}

backend_tests!(
    foreign_users_read_as_missing,
    non_administrators_cannot_write
);
