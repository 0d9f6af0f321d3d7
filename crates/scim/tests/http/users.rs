//! `/Users` and `/Users/{id}`: create, read, replace, delete, with their headers (`Location`,
//! `ETag`) and preconditions (`If-Match`, `If-None-Match`).

use insta::assert_json_snapshot;
use reqwest::Method;
use rosetta_testkit::rosetta_core::{Actor, Status, UserKey};
use rosetta_testkit::{backend_tests, Backend};
use serde_json::{json, Value};

use crate::support::*;

/// What Entra ID sends to provision a user (its documented request, with our values).
pub fn ada() -> Value {
    json!({
        "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
        ],
        "externalId": "ext-ada",
        "userName": "ada@example.com",
        "active": true,
        "name": {"givenName": "Ada", "familyName": "Lovelace", "formatted": "Ada Lovelace"},
        "displayName": "Ada Lovelace",
        "emails": [{"primary": true, "type": "work", "value": "ada@example.com"}],
        "phoneNumbers": [{"type": "work", "value": "+44 20 7946 0000"}],
        "roles": [{"value": "6"}],
        "entitlements": [{"value": "fleet"}],
        "password": "Analytical-Engine-1",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "employeeNumber": "E-17",
            "costCenter": "CC-4"
        }
    })
}

macro_rules! user_snapshot {
    ($name:expr, $value:expr) => {
        assert_json_snapshot!($name, $value, {
            ".id" => "[id]",
            ".meta.created" => "[time]",
            ".meta.lastModified" => "[time]",
            ".meta.location" => "[location]",
        })
    };
}

async fn create_reads_back(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    app.client.secret("Analytical-Engine-1");

    let r = scim.post("/Users", &ada()).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.content_type, SCIM_JSON);
    let created = r.json();
    user_snapshot!("user_created", &created);
    let id = created["id"].as_str().unwrap().to_owned();
    let location = format!("http://{}/scim/v2/Users/{id}", app.addr);
    assert_eq!(created["meta"]["location"], json!(location));
    assert_eq!(r.location.as_deref(), Some(location.as_str()));
    assert_eq!(r.header("etag"), created["meta"]["version"].as_str());
    for at in ["created", "lastModified"] {
        let t = created["meta"][at].as_str().unwrap();
        assert!(t.ends_with('Z') && chrono_like(t), "{t}");
    }

    // The canonical user is the one the table of scim.md names.
    let stored = app
        .directory
        .get_user(&Actor::cli(scim.tenant), UserKey::Uuid(id.parse().unwrap()))
        .await
        .unwrap();
    assert_eq!(stored.username.as_str(), "ada@example.com");
    assert_eq!(stored.external_id.as_deref(), Some("ext-ada"));
    assert_eq!(
        (stored.names.first.as_str(), stored.names.last.as_str()),
        ("Ada", "Lovelace")
    );
    assert_eq!(stored.role_number, 6);
    assert_eq!(stored.perms, vec!["fleet".to_owned()]);
    assert_eq!(
        stored.profile.contact_number.as_deref(),
        Some("+44 20 7946 0000")
    );
    assert_eq!(stored.profile.employee_id.as_deref(), Some("E-17"));
    assert_eq!(stored.profile.cost_centre_id.as_deref(), Some("CC-4"));
    assert_eq!(stored.status, Status::Active);
    assert!(stored.has_password);

    let r = scim.get(&format!("/Users/{id}")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.content_type, SCIM_JSON);
    assert_eq!(r.json(), created);
    user_snapshot!("user_read", r.json());
}

/// `2026-12-01T19:43:00.123Z`: RFC 3339, UTC.
fn chrono_like(t: &str) -> bool {
    t.len() == 24 && t.as_bytes()[10] == b'T' && t.as_bytes()[4] == b'-'
}

async fn minimal_user_gets_defaults(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    // Okta's smallest create: a userName that is an address, no name, no emails.
    let created = scim
        .create_user(
            &json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "grace@example.com"}),
        )
        .await;
    user_snapshot!("user_created_minimal", &created);
    assert_eq!(created["emails"][0]["value"], json!("grace@example.com"));
    assert_eq!(created["roles"][0]["value"], json!("2"));
}

async fn replace_changes_and_clears(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let created = scim.create_user(&ada()).await;
    let id = created["id"].as_str().unwrap();

    // Okta's PUT: the whole user, with read-only members echoed and attribute names in
    // another letter case; externalId, phone and the extension left out are cleared.
    let body = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": id,
        "meta": created["meta"],
        "USERNAME": "ada.king@example.com",
        "name": {"givenname": "Ada", "familyName": "King"},
        "emails": [{"value": "ada.king@example.com", "primary": true}],
        "active": "False",
        "roles": [{"value": "2"}],
        "entitlements": [{"value": "fleet"}]
    });
    let r = scim.put(&format!("/Users/{id}"), &body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let replaced = r.json();
    user_snapshot!("user_replaced", &replaced);
    assert_eq!(r.header("etag"), replaced["meta"]["version"].as_str());
    assert_ne!(replaced["meta"]["version"], created["meta"]["version"]);
    assert_eq!(replaced["displayName"], json!("Ada King"));
    assert_eq!(replaced["active"], json!(false));
    assert!(replaced.get("externalId").is_none());
    assert!(replaced.get("phoneNumbers").is_none());
    let stored = &scim.stored().await[0];
    assert_eq!(stored.status, Status::Inactive);
    assert_eq!(stored.external_id, None);
    // The password, never read back, is kept.
    assert!(stored.has_password);

    // `displayName` alone changed (as a PATCH of it produces): it wins over the unchanged name.
    let mut again = replaced.clone();
    again["displayName"] = json!("Countess Lovelace");
    let r = scim.put(&format!("/Users/{id}"), &again).await;
    let body = r.expect(200);
    assert_eq!(body["displayName"], json!("Countess Lovelace"));
    assert_eq!(body["name"]["givenName"], json!("Countess"));
}

async fn delete_then_missing(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let created = scim.create_user(&ada()).await;
    let id = created["id"].as_str().unwrap();
    let r = scim.delete(&format!("/Users/{id}")).await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert!(r.text.is_empty());
    assert!(scim.stored().await.is_empty());
    let r = scim.get(&format!("/Users/{id}")).await;
    let body = assert_error(&r, 404, None);
    assert_json_snapshot!("user_not_found", body);
    let r = scim.delete(&format!("/Users/{id}")).await;
    assert_eq!(assert_error(&r, 404, None), body);
}

async fn etags_and_preconditions(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let created = scim.create_user(&ada()).await;
    let id = created["id"].as_str().unwrap();
    let path = format!("/Users/{id}");
    let tag = created["meta"]["version"].as_str().unwrap().to_owned();
    assert!(tag.starts_with("W/\""), "{tag}");

    let r = scim
        .send(Method::GET, &path, &[("If-None-Match", &tag)], None)
        .await;
    assert_eq!(r.status, 304, "{}", r.text);
    assert_eq!(r.header("etag"), Some(tag.as_str()));
    assert!(r.text.is_empty());
    let r = scim
        .send(Method::GET, &path, &[("If-None-Match", "W/\"999\"")], None)
        .await;
    assert_eq!(r.status, 200);

    let before = scim.stored().await;
    let mut body = created.clone();
    body["displayName"] = json!("Someone Else");
    let stale = [("If-Match", "W/\"999\"")];
    let r = scim.send(Method::PUT, &path, &stale, Some(&body)).await;
    assert_json_snapshot!("user_precondition_failed", assert_error(&r, 412, None));
    let r = scim.send(Method::DELETE, &path, &stale, None).await;
    assert_error(&r, 412, None);
    assert_eq!(
        scim.stored().await,
        before,
        "a refused write changed nothing"
    );

    let r = scim
        .send(Method::PUT, &path, &[("If-Match", &tag)], Some(&body))
        .await;
    let replaced = r.expect(200);
    let r = scim
        .send(Method::DELETE, &path, &[("If-Match", &tag)], None)
        .await;
    assert_error(&r, 412, None);
    let current = replaced["meta"]["version"].as_str().unwrap();
    let r = scim
        .send(Method::DELETE, &path, &[("If-Match", current)], None)
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
}

async fn another_tenants_user_is_missing(backend: Backend) {
    let app = spawn_app(backend).await;
    let acme = Scim::new(&app, "Acme").await;
    let other = Scim::new(&app, "Other").await;
    let theirs = other.create_user(&ada()).await;
    let id = theirs["id"].as_str().unwrap();
    let path = format!("/Users/{id}");
    let missing = acme
        .get("/Users/00000000-0000-4000-8000-000000000000")
        .await;
    let missing = assert_error(&missing, 404, None);
    for r in [
        acme.get(&path).await,
        acme.put(&path, &ada()).await,
        acme.delete(&path).await,
        acme.get("/Users/not-a-uuid").await,
    ] {
        assert_eq!(assert_error(&r, 404, None), missing);
    }
    assert_eq!(other.stored().await.len(), 1);
    assert_eq!(other.get(&path).await.json(), theirs);
}

backend_tests!(
    create_reads_back,
    minimal_user_gets_defaults,
    replace_changes_and_clears,
    delete_then_missing,
    etags_and_preconditions,
    another_tenants_user_is_missing,
);
