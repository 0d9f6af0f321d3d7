//! The provisioning sequences Entra ID and Okta document, request for request: existence
//! check by `userName eq`, create, PATCH `Replace` of attributes, `"active": "False"`, Okta's
//! PUT and deactivate.

use rosetta_testkit::rosetta_core::Status;
use rosetta_testkit::{backend_tests, Backend};
use serde_json::json;

use crate::support::*;

async fn entra_id(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let filter = "/Users?filter=userName+eq+%22Test_User_ab6490ee%40example.com%22";
    let none = scim.get(filter).await.expect(200);
    assert_eq!(none["totalResults"], json!(0));
    assert_eq!(none["Resources"], json!([]));
    let created = scim
        .create_user(&json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
            "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
            "userName": "Test_User_ab6490ee@example.com",
            "active": true,
            "emails": [{"primary": true, "type": "work", "value": "Test_User_fd0ea19b@example.com"}],
            "meta": {"resourceType": "User"},
            "name": {"formatted": "givenName familyName", "familyName": "familyName",
                "givenName": "givenName"},
            "roles": []
        }))
        .await;
    let id = created["id"].as_str().unwrap();
    let found = scim.get(filter).await.expect(200);
    assert_eq!(found["totalResults"], json!(1));
    assert_eq!(found["Resources"][0]["id"], json!(id));
    let r = scim
        .patch(
            &format!("/Users/{id}"),
            &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [
                {"op": "Replace", "path": "displayName", "value": "Ryan Leenay"},
                {"op": "Replace", "path": "emails[type eq \"work\"].value",
                    "value": "updatedEmail@microsoft.com"},
                {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"},
                {"op": "Add", "path": "phoneNumbers[type eq \"work\"].value", "value": "+1 555"},
                {"op": "Add", "path": "title", "value": "Engineer"}
            ]}),
        )
        .await;
    let patched = r.expect(200);
    assert_eq!(
        patched["emails"][0]["value"],
        json!("updatedEmail@microsoft.com")
    );
    assert_eq!(patched["name"]["familyName"], json!("updatedFamilyName"));
    assert_eq!(patched["phoneNumbers"][0]["value"], json!("+1 555"));
    let r = scim
        .patch(
            &format!("/Users/{id}"),
            &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "Replace", "path": "active", "value": "False"}]}),
        )
        .await;
    assert_eq!(r.expect(200)["active"], json!(false));
    assert_eq!(scim.stored().await[0].status, Status::Inactive);
    let r = scim.delete(&format!("/Users/{id}")).await;
    assert_eq!(r.status, 204);
}

async fn okta(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let none = scim
        .get("/Users?filter=userName%20eq%20%22isabella%40example.com%22&startIndex=1&count=100")
        .await
        .expect(200);
    assert_eq!(none["totalResults"], json!(0));
    app.client.secret("1mz050nq");
    let created = scim
        .create_user(&json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "isabella@example.com",
            "name": {"givenName": "Isabella", "familyName": "Cook"},
            "emails": [{"primary": true, "value": "isabella@example.com", "type": "work"}],
            "displayName": "Isabella Cook",
            "locale": "en-US",
            "externalId": "00u1dhhb1fkIGP7RL1d8",
            "groups": [],
            "password": "1mz050nq",
            "active": true
        }))
        .await;
    let id = created["id"].as_str().unwrap();
    // Okta's PUT sends the whole user back with its changes.
    let mut put = created.clone();
    put["name"]["familyName"] = json!("Cook-Smith");
    put["displayName"] = json!("Isabella Cook-Smith");
    let r = scim.put(&format!("/Users/{id}"), &put).await;
    let replaced = r.expect(200);
    assert_eq!(replaced["name"]["familyName"], json!("Cook-Smith"));
    assert_eq!(replaced["externalId"], json!("00u1dhhb1fkIGP7RL1d8"));
    // Deactivation: a PATCH without path.
    let r = scim
        .patch(
            &format!("/Users/{id}"),
            &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "value": {"active": false}}]}),
        )
        .await;
    assert_eq!(r.expect(200)["active"], json!(false));
    // Reactivation.
    let r = scim
        .patch(
            &format!("/Users/{id}"),
            &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "value": {"active": true}}]}),
        )
        .await;
    assert_eq!(r.expect(200)["active"], json!(true));
    assert_eq!(scim.stored().await[0].status, Status::Active);
}

backend_tests!(entra_id, okta);
