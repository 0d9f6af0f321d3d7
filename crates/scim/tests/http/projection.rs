//! `attributes` and `excludedAttributes` on the answers that carry a User.

use insta::assert_json_snapshot;
use rosetta_testkit::{backend_tests, Backend};
use serde_json::json;

use crate::support::*;
use crate::users::ada;

async fn attributes_and_excluded(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let r = scim.post("/Users?attributes=userName", &ada()).await;
    let created = r.expect(201);
    assert_json_snapshot!("user_attributes_user_name", created, {".id" => "[id]"});
    let id = created["id"].as_str().unwrap();
    let only = scim
        .get(&format!("/Users/{id}?attributes=userName,name.givenName"))
        .await
        .expect(200);
    assert_eq!(only["name"], json!({"givenName": "Ada"}));
    assert!(only.get("emails").is_none());
    assert_eq!(only["id"], json!(id));
    let without = scim
        .get(&format!("/Users/{id}?excludedAttributes=emails,meta"))
        .await
        .expect(200);
    assert!(without.get("emails").is_none() && without.get("meta").is_none());
    assert_eq!(without["userName"], json!("ada@example.com"));
    // `primary` and `roles.display` are returned on request only.
    let full = scim.get(&format!("/Users/{id}")).await.expect(200);
    assert!(full["emails"][0].get("primary").is_none(), "{full}");
    let asked = scim
        .get(&format!("/Users/{id}?attributes=roles.display"))
        .await
        .expect(200);
    assert_eq!(asked["roles"][0]["display"], json!("Full Access"));
}

backend_tests!(attributes_and_excluded);
