//! A SCIM PatchOp body, as bytes, read and applied to a User and a Group: nothing panics, a
//! failure changes nothing and is a 400 with a scimType, a success keeps the resource whole
//! (its id, its required attributes) and touches what `PatchOp::touched` said it would; the
//! Group's member deltas are computed without panicking too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rosetta_scim::schema::{GROUP_TYPE, USER_TYPE};
use rosetta_scim::{apply_patch, member_changes, PatchOp, ResourceType};
use serde_json::{json, Value};

fn user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "id": "2819c223-7f76-453a-919d-413861904646",
        "userName": "bjensen@example.com",
        "name": {"formatted": "Barbara Jensen", "familyName": "Jensen", "givenName": "Barbara"},
        "displayName": "Barbara Jensen",
        "active": true,
        "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true}],
        "phoneNumbers": [{"value": "555-555-5555", "type": "work"}],
        "roles": [{"value": "2", "display": "Standard"}],
        "entitlements": [{"value": "reports"}],
        "groups": [{"value": "e9e30dba", "display": "Tour Guides"}],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":
            {"employeeNumber": "701984", "costCenter": "4130"},
        "meta": {"resourceType": "User", "created": "2010-01-23T04:56:22Z"}
    })
}

fn group() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "6c5bb468-14b2-4183-baf2-06d523e03bd3",
        "displayName": "Tour Guides",
        "members": [{"value": "u1", "type": "User"}, {"value": "u2", "type": "User"}]
    })
}

fn check(rt: &ResourceType, original: Value, op: &PatchOp) {
    let mut resource = original.clone();
    match apply_patch(rt, &mut resource, op) {
        Err(e) => {
            assert_eq!(resource, original, "a failed patch ({e}) changed the resource");
            assert_eq!(e.status(), 400);
            assert!(!e.scim_type().is_empty());
        }
        Ok(outcome) => {
            assert_eq!(outcome.touched, op.touched(rt));
            assert_eq!(outcome.changed, resource != original);
            assert_eq!(resource["id"], original["id"]);
            for attr in rt.schema.attributes.iter().filter(|a| a.required) {
                assert!(resource.get(attr.name).is_some(), "{} lost", attr.name);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let Ok(op) = PatchOp::from_json(&body) else {
        return;
    };
    let _ = member_changes(&op);
    check(&USER_TYPE, user(), &op);
    check(&GROUP_TYPE, group(), &op);
});
