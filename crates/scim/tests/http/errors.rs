//! Every refusal of the user routes: its status, SCIM Error body (`scimType` as RFC 7644
//! lists them) and that nothing was written.

use insta::assert_json_snapshot;
use reqwest::Method;
use rosetta_testkit::{backend_tests, Backend, Fixtures};
use serde_json::json;

use crate::support::*;
use crate::users::ada;

async fn unauthenticated(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let usr_token = app.credential(scim.tenant, "usr").await;
    app.client.secret(&usr_token);
    let usr_bearer = format!("Bearer {usr_token}");
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![],
        vec![("Authorization", "Basic YTpi")],
        vec![("Authorization", "Bearer")],
        vec![("Authorization", "Bearer not-a-token")],
        // A credential of another dialect is not a scim one.
        vec![("Authorization", &usr_bearer)],
    ];
    for headers in cases {
        let r = app
            .client
            .call(
                Method::GET,
                "/scim/v2/Users/00000000-0000-4000-8000-000000000000",
                &headers,
                None,
            )
            .await;
        let body = assert_error(&r, 401, None);
        assert_eq!(r.header("www-authenticate"), Some("Bearer"));
        if headers.len() == 1 && headers[0].1.starts_with("Bearer ") {
            assert_json_snapshot!("unauthenticated_token", body);
        } else if headers.is_empty() {
            assert_json_snapshot!("unauthenticated_missing", body);
        }
    }
    let r = app
        .client
        .call(
            Method::POST,
            "/scim/v2/Users",
            &[("Content-Type", SCIM_JSON)],
            Some(ada().to_string().into_bytes()),
        )
        .await;
    assert_error(&r, 401, None);
    assert!(scim.stored().await.is_empty());
}

async fn bad_bodies(backend: Backend) {
    let app = spawn_app_with(backend, |o| o.limits.body_bytes = 4096).await;
    let scim = Scim::new(&app, "Acme").await;
    let auth = format!("Bearer {}", scim.token);
    let raw = |ct: &'static str, body: Vec<u8>| {
        let auth = auth.clone();
        let app = &app;
        async move {
            app.client
                .call(
                    Method::POST,
                    "/scim/v2/Users",
                    &[("Authorization", &auth), ("Content-Type", ct)],
                    Some(body),
                )
                .await
        }
    };
    let r = raw(SCIM_JSON, b"{\"userName\":".to_vec()).await;
    assert_json_snapshot!(
        "body_not_json",
        assert_error(&r, 400, Some("invalidSyntax"))
    );
    let r = raw(SCIM_JSON, b"[1]".to_vec()).await;
    assert_json_snapshot!(
        "body_not_object",
        assert_error(&r, 400, Some("invalidSyntax"))
    );
    let r = raw("text/plain", ada().to_string().into_bytes()).await;
    assert_json_snapshot!("body_wrong_media_type", assert_error(&r, 415, None));
    let r = raw(SCIM_JSON, vec![b' '; 5000]).await;
    assert_json_snapshot!("body_too_large", assert_error(&r, 413, None));
    // application/json is accepted as well.
    let r = raw("application/json", ada().to_string().into_bytes()).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.content_type, SCIM_JSON);
    assert_eq!(scim.stored().await.len(), 1);
}

async fn bad_values(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let with = |member: &str, value: serde_json::Value| {
        let mut body = ada();
        body[member] = value;
        body
    };
    let mut no_user_name = ada();
    no_user_name.as_object_mut().unwrap().remove("userName");
    let cases = [
        ("user_name_missing", no_user_name),
        ("user_name_not_string", with("userName", json!(5))),
        ("active_not_boolean", with("active", json!("yes"))),
        (
            "email_invalid",
            with(
                "emails",
                json!([{"value": "not-an-address", "primary": true}]),
            ),
        ),
        ("emails_not_list", with("emails", json!("ada@example.com"))),
        (
            "role_not_number",
            with("roles", json!([{"value": "admin"}])),
        ),
        ("role_unknown", with("roles", json!([{"value": "99"}]))),
        ("name_not_object", with("name", json!("Ada"))),
        ("user_name_control", with("userName", json!("ada\u{1}"))),
    ];
    for (name, body) in cases {
        let r = scim.post("/Users", &body).await;
        let err = assert_error(&r, 400, Some("invalidValue"));
        assert_json_snapshot!(name, err);
    }
    assert!(scim.stored().await.is_empty(), "nothing was written");
}

async fn uniqueness(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    scim.create_user(&ada()).await;
    let before = scim.stored().await;
    // userName is caseExact false: another letter case is the same name.
    let mut again = ada();
    again["userName"] = json!("ADA@example.com");
    again["externalId"] = json!("ext-other");
    again["emails"] = json!([{"value": "other@example.com"}]);
    let r = scim.post("/Users", &again).await;
    assert_json_snapshot!("user_name_taken", assert_error(&r, 409, Some("uniqueness")));
    let mut other = ada();
    other["userName"] = json!("ada2@example.com");
    other["externalId"] = json!("ext-ada2");
    let r = scim.post("/Users", &other).await;
    assert_json_snapshot!("email_taken", assert_error(&r, 409, Some("uniqueness")));
    let mut other = ada();
    other["userName"] = json!("ada3@example.com");
    other["emails"] = json!([{"value": "ada3@example.com"}]);
    let r = scim.post("/Users", &other).await;
    assert_json_snapshot!(
        "external_id_taken",
        assert_error(&r, 409, Some("uniqueness"))
    );
    assert_eq!(scim.stored().await, before);
}

async fn methods_not_served(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let r = scim.send(Method::DELETE, "/Users", &[], None).await;
    let body = assert_error(&r, 405, None);
    assert_json_snapshot!("users_method_not_allowed", body);
    assert_eq!(r.header("allow"), Some("GET, POST"));
    let r = scim
        .send(
            Method::POST,
            "/Users/00000000-0000-4000-8000-000000000000",
            &[],
            Some(&ada()),
        )
        .await;
    assert_error(&r, 405, None);
    assert!(scim.stored().await.is_empty());
}

backend_tests!(
    unauthenticated,
    bad_bodies,
    bad_values,
    uniqueness,
    methods_not_served
);
