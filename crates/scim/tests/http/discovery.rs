//! The discovery endpoints: read only (405 in the SCIM shape for writes), 404 as a SCIM Error
//! for an unknown id or path, and URLs that are absolute.

use insta::assert_json_snapshot;
use reqwest::Method;
use rosetta_testkit::{backend_tests, Backend};
use serde_json::json;

use crate::support::*;

async fn documents(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let base = format!("http://{}/scim/v2", app.addr);
    let spc = scim.get("/ServiceProviderConfig").await.expect(200);
    assert_eq!(spc["patch"]["supported"], json!(true));
    assert_eq!(spc["filter"]["maxResults"], json!(1000));
    let types = scim.get("/ResourceTypes").await;
    assert_eq!(types.content_type, SCIM_JSON);
    let types = types.expect(200);
    assert_eq!(types["totalResults"], json!(2));
    for name in ["User", "Group"] {
        let one = scim
            .get(&format!("/ResourceTypes/{name}"))
            .await
            .expect(200);
        assert_eq!(one["id"], json!(name));
        assert!(one["meta"]["location"].as_str().unwrap().starts_with(&base));
    }
    let schemas = scim.get("/Schemas").await.expect(200);
    assert_eq!(schemas["totalResults"], json!(3));
    for s in schemas["Resources"].as_array().unwrap() {
        let id = s["id"].as_str().unwrap();
        let one = scim.get(&format!("/Schemas/{id}")).await.expect(200);
        assert_eq!(&one, s);
    }
    // The tenant's role catalogue is announced as roles.value's canonical values.
    let user = scim
        .get("/Schemas/urn:ietf:params:scim:schemas:core:2.0:User")
        .await
        .expect(200);
    let roles = user["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == json!("roles"))
        .unwrap();
    assert_eq!(
        roles["subAttributes"][0]["canonicalValues"],
        json!(["2", "6", "11"])
    );
}

async fn refusals(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let r = scim.get("/ResourceTypes/Nope").await;
    assert_json_snapshot!("resource_type_not_found", assert_error(&r, 404, None));
    let r = scim.get("/Schemas/urn:nope").await;
    assert_json_snapshot!("schema_not_found", assert_error(&r, 404, None));
    let r = scim.get("/0b6f8e4e-6a2f-4f7e-9d43-3c1e5b0a9f21").await;
    assert_json_snapshot!("no_endpoint", assert_error(&r, 404, None));
    for path in [
        "/ServiceProviderConfig",
        "/ResourceTypes",
        "/ResourceTypes/User",
        "/Schemas",
        "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User",
    ] {
        for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            let r = scim.send(method.clone(), path, &[], Some(&json!({}))).await;
            let body = assert_error(&r, 405, None);
            assert_eq!(r.header("allow"), Some("GET"), "{method} {path}");
            if path == "/Schemas" && method == Method::POST {
                assert_json_snapshot!("discovery_method_not_allowed", body);
            }
        }
    }
    let r = app
        .client
        .call(Method::GET, "/scim/v2/ServiceProviderConfig", &[], None)
        .await;
    assert_error(&r, 401, None);
}

backend_tests!(documents, refusals);
