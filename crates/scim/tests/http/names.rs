//! The name rule through HTTP (docs/dialects/scim.md, "Names"): `name.formatted` written with
//! the parts is kept as written; either written alone follows MAPPING.md's rule.

use rosetta_testkit::{backend_tests, Backend};
use serde_json::{json, Value};

use crate::support::*;

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

fn ops(operations: Value) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": operations})
}

fn names(u: &Value) -> (String, String, String, String) {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    (
        text(&u["name"]["formatted"]),
        text(&u["name"]["givenName"]),
        text(&u["name"]["familyName"]),
        text(&u["displayName"]),
    )
}

fn four(f: &str, g: &str, l: &str, d: &str) -> (String, String, String, String) {
    (f.into(), g.into(), l.into(), d.into())
}

async fn formatted_with_the_parts_is_kept(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let created = scim
        .create_user(
            &json!({"schemas": [USER], "userName": "bjensen@example.com",
            "name": {"formatted": "Ms. Barbara J Jensen, III", "givenName": "Barbara",
                "familyName": "Jensen"}}),
        )
        .await;
    let want = four(
        "Ms. Barbara J Jensen, III",
        "Barbara",
        "Jensen",
        "Ms. Barbara J Jensen, III",
    );
    assert_eq!(names(&created), want, "{created}");
    let path = format!("/Users/{}", created["id"].as_str().unwrap());
    assert_eq!(names(&scim.get(&path).await.expect(200)), want);
    let stored = &scim.stored().await[0].names;
    assert_eq!(
        (
            stored.full.as_str(),
            stored.first.as_str(),
            stored.last.as_str()
        ),
        ("Ms. Barbara J Jensen, III", "Barbara", "Jensen")
    );

    // scim2-tester's check_replace_attribute: `name` replaced whole reads back as sent.
    let r = scim
        .patch(
            &path,
            &ops(json!([{"op": "replace", "path": "name", "value":
                {"formatted": "Dr. B. Jensen-Smith", "givenName": "Babs", "familyName": "Smith"}}])),
        )
        .await;
    let want = four(
        "Dr. B. Jensen-Smith",
        "Babs",
        "Smith",
        "Dr. B. Jensen-Smith",
    );
    assert_eq!(names(&r.expect(200)), want);
    assert_eq!(names(&scim.get(&path).await.expect(200)), want);

    // The parts changed alone: the formatted name is derived from them again.
    let r = scim
        .patch(
            &path,
            &ops(json!([{"op": "Replace", "path": "name.givenName", "value": "Barbara"}])),
        )
        .await;
    assert_eq!(
        names(&r.expect(200)),
        four("Barbara Smith", "Barbara", "Smith", "Barbara Smith")
    );

    // Entra ID's default mapping: the parts and formatted = Join(" ", given, family) at once.
    let r = scim
        .patch(
            &path,
            &ops(json!([
                {"op": "Replace", "path": "name.familyName", "value": "Jensen"},
                {"op": "Replace", "path": "name.formatted", "value": "Barbara Jensen"}
            ])),
        )
        .await;
    assert_eq!(
        names(&r.expect(200)),
        four("Barbara Jensen", "Barbara", "Jensen", "Barbara Jensen")
    );

    // formatted alone: split as a full name written alone.
    let r = scim
        .patch(
            &path,
            &ops(json!([{"op": "replace", "path": "name.formatted", "value": "Babs  Ann Jensen"}])),
        )
        .await;
    assert_eq!(
        names(&r.expect(200)),
        four("Babs  Ann Jensen", "Babs", "Ann Jensen", "Babs  Ann Jensen")
    );
}

async fn put_keeps_formatted_beside_the_parts(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let created = scim
        .create_user(&json!({"schemas": [USER], "userName": "ada@example.com",
            "name": {"givenName": "Ada", "familyName": "Lovelace"}}))
        .await;
    assert_eq!(
        names(&created),
        four("Ada Lovelace", "Ada", "Lovelace", "Ada Lovelace")
    );
    let path = format!("/Users/{}", created["id"].as_str().unwrap());
    let mut body = created.clone();
    body["name"] = json!({"formatted": "Augusta Ada King, Countess of Lovelace",
        "givenName": "Augusta Ada", "familyName": "King"});
    let r = scim.put(&path, &body).await;
    let want = four(
        "Augusta Ada King, Countess of Lovelace",
        "Augusta Ada",
        "King",
        "Augusta Ada King, Countess of Lovelace",
    );
    assert_eq!(names(&r.expect(200)), want);
    assert_eq!(names(&scim.get(&path).await.expect(200)), want);
    // A formatted name over the length bound is refused, not cut.
    body["name"]["formatted"] = json!("x".repeat(300));
    body["name"]["givenName"] = json!("Ada");
    let r = scim.put(&path, &body).await;
    assert_error(&r, 400, Some("invalidValue"));
    assert_eq!(names(&scim.get(&path).await.expect(200)), want);
}

backend_tests!(
    formatted_with_the_parts_is_kept,
    put_keeps_formatted_beside_the_parts
);
