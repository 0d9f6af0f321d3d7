//! PATCH /Users/{id}: every form of scim.md through HTTP (add, replace, remove, with and
//! without path, value filters, Entra ID's capitalised ops and `"False"`), its errors, and
//! that a PATCH is one write with one audit row.

use insta::assert_json_snapshot;
use reqwest::Method;
use rosetta_testkit::rosetta_core::{Actor, Status, UpdateUserRequest, UserPatch};
use rosetta_testkit::{backend_tests, Backend};
use serde_json::{json, Value};

use crate::support::*;
use crate::users::ada;

fn ops(operations: Value) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": operations})
}

async fn every_form(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let created = scim.create_user(&ada()).await;
    let id = created["id"].as_str().unwrap();
    let path = format!("/Users/{id}");
    let cases: Vec<(Value, &str, Value)> = vec![
        // Entra ID: capitalised op, boolean as text.
        (
            json!([{"op": "Replace", "path": "active", "value": "False"}]),
            "/active",
            json!(false),
        ),
        (
            json!([{"op": "replace", "path": "active", "value": true}]),
            "/active",
            json!(true),
        ),
        // Without a path: a value object of attributes.
        (
            json!([{"op": "replace", "value": {"displayName": "Ada King", "externalId": "ext-2"}}]),
            "/displayName",
            json!("Ada King"),
        ),
        (
            json!([{"op": "Add", "path": "name.familyName", "value": "Byron"}]),
            "/name/familyName",
            json!("Byron"),
        ),
        // A value-filter path to a sub-attribute.
        (
            json!([{"op": "replace", "path": "emails[type eq \"work\"].value",
                "value": "ada.byron@example.com"}]),
            "/emails/0/value",
            json!("ada.byron@example.com"),
        ),
        (
            json!([{"op": "replace", "path": "phoneNumbers[type eq \"work\"].value",
                "value": "+44 1"}]),
            "/phoneNumbers/0/value",
            json!("+44 1"),
        ),
        (
            json!([{"op": "replace",
                "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
                "value": "E-18"}]),
            "/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User/employeeNumber",
            json!("E-18"),
        ),
        (
            json!([{"op": "add", "path": "entitlements", "value": [{"value": "books"}]}]),
            "/entitlements/1/value",
            json!("books"),
        ),
        (
            json!([{"op": "remove", "path": "entitlements[value eq \"fleet\"]"}]),
            "/entitlements/0/value",
            json!("books"),
        ),
        (
            json!([{"op": "Remove", "path": "externalId"}]),
            "/externalId",
            Value::Null,
        ),
        (
            json!([{"op": "replace", "path": "roles", "value": [{"value": "2"}]}]),
            "/roles/0/value",
            json!("2"),
        ),
    ];
    for (operations, pointer, want) in cases {
        let r = scim.patch(&path, &ops(operations.clone())).await;
        assert_eq!(r.status, 200, "{operations}: {}", r.text);
        let body = r.json();
        assert_eq!(
            body.pointer(pointer).cloned().unwrap_or(Value::Null),
            want,
            "{operations}: {body}"
        );
        assert_eq!(r.header("etag"), body["meta"]["version"].as_str());
        // What PATCH answered is what a GET reads.
        assert_eq!(scim.get(&path).await.json(), body);
    }
    let last = scim.get(&path).await.json();
    assert_json_snapshot!("user_patched", last, {
        ".id" => "[id]",
        ".meta.created" => "[time]",
        ".meta.lastModified" => "[time]",
        ".meta.location" => "[location]",
    });
    let stored = &scim.stored().await[0];
    assert_eq!(stored.status, Status::Active);
    assert_eq!(stored.names.last, "Byron");
    assert_eq!(stored.perms, vec!["books".to_owned()]);
}

async fn one_write_one_audit_row(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let created = scim.create_user(&ada()).await;
    let id = created["id"].as_str().unwrap();
    let user = scim.stored().await[0].id;
    let audits = || async {
        app.directory
            .audits_for_user(&Actor::cli(scim.tenant), user)
            .await
            .unwrap()
            .len()
    };
    let before = audits().await;
    let r = scim
        .patch(
            &format!("/Users/{id}"),
            &ops(json!([
                {"op": "replace", "path": "displayName", "value": "Ada King"},
                {"op": "replace", "path": "active", "value": "False"},
                {"op": "add", "path": "phoneNumbers", "value": [{"type": "work", "value": "+1"}]}
            ])),
        )
        .await;
    let body = r.expect(200);
    assert_eq!(body["meta"]["version"], json!("W/\"2\""));
    assert_eq!(audits().await, before + 1);
    // A PATCH that changes nothing writes nothing.
    let r = scim
        .patch(
            &format!("/Users/{id}"),
            &ops(json!([{"op": "replace", "path": "displayName", "value": "Ada King"}])),
        )
        .await;
    assert_eq!(r.expect(200)["meta"]["version"], json!("W/\"2\""));
    assert_eq!(audits().await, before + 1);
}

async fn patch_errors(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let created = scim.create_user(&ada()).await;
    let id = created["id"].as_str().unwrap();
    let path = format!("/Users/{id}");
    let before = scim.stored().await;
    let cases = [
        (
            "patch_not_patchop",
            json!({"Operations": "x"}),
            400,
            Some("invalidSyntax"),
        ),
        (
            "patch_bad_op",
            ops(json!([{"op": "move", "path": "displayName"}])),
            400,
            Some("invalidSyntax"),
        ),
        (
            "patch_bad_path",
            ops(json!([{"op": "replace", "path": "emails[type eq]", "value": "x"}])),
            400,
            Some("invalidPath"),
        ),
        (
            "patch_no_target",
            ops(json!([{"op": "remove", "path": "entitlements[value eq \"nope\"]"}])),
            400,
            Some("noTarget"),
        ),
        (
            "patch_remove_required",
            ops(json!([{"op": "remove", "path": "userName"}])),
            400,
            Some("mutability"),
        ),
        (
            "patch_read_only",
            ops(json!([{"op": "replace", "path": "id", "value": "other"}])),
            400,
            Some("mutability"),
        ),
        (
            "patch_bad_value",
            ops(json!([{"op": "replace", "path": "active", "value": "maybe"}])),
            400,
            Some("invalidValue"),
        ),
        // The second operation fails: the first is not applied either.
        (
            "patch_half",
            ops(json!([
                {"op": "replace", "path": "displayName", "value": "Changed"},
                {"op": "remove", "path": "userName"}
            ])),
            400,
            Some("mutability"),
        ),
    ];
    for (name, body, status, scim_type) in cases {
        let r = scim.patch(&path, &body).await;
        assert_json_snapshot!(name, assert_error(&r, status, scim_type));
    }
    let r = scim
        .send(
            Method::PATCH,
            &path,
            &[("If-Match", "W/\"99\"")],
            Some(&ops(
                json!([{"op": "replace", "path": "displayName", "value": "X"}]),
            )),
        )
        .await;
    assert_error(&r, 412, None);
    let r = scim
        .patch(
            "/Users/00000000-0000-4000-8000-000000000000",
            &ops(json!([{"op": "replace", "path": "displayName", "value": "X"}])),
        )
        .await;
    assert_error(&r, 404, None);
    assert_eq!(scim.stored().await, before, "nothing was written");
}

/// scim.md: writing `active: false` makes the user inactive, also a pending one (which reads as
/// `active: false` already); a PATCH that does not name `active` leaves it pending.
async fn false_deactivates_a_pending_user(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let created = scim.create_user(&ada()).await;
    let path = format!("/Users/{}", created["id"].as_str().unwrap());
    // Pending, as a keaz invitation leaves a user.
    let user = scim.stored().await[0].id;
    app.directory
        .update_user(
            &Actor::cli(scim.tenant),
            UpdateUserRequest {
                id: user,
                patch: UserPatch {
                    status: Some(Status::Pending),
                    ..UserPatch::default()
                },
                expected_version: None,
            },
        )
        .await
        .unwrap();
    let status = || async { scim.stored().await[0].status };
    let r = scim
        .patch(
            &path,
            &ops(json!([{"op": "replace", "path": "displayName", "value": "Ada King"}])),
        )
        .await;
    assert_eq!(r.expect(200)["active"], json!(false));
    assert_eq!(status().await, Status::Pending);
    let r = scim
        .patch(
            &path,
            &ops(json!([{"op": "replace", "path": "active", "value": false}])),
        )
        .await;
    assert_eq!(r.expect(200)["active"], json!(false));
    assert_eq!(status().await, Status::Inactive);
    // And `true` activates it again.
    let r = scim
        .patch(
            &path,
            &ops(json!([{"op": "replace", "value": {"active": "True"}}])),
        )
        .await;
    assert_eq!(r.expect(200)["active"], json!(true));
    assert_eq!(status().await, Status::Active);
}

backend_tests!(
    every_form,
    one_write_one_audit_row,
    patch_errors,
    false_deactivates_a_pending_user
);
