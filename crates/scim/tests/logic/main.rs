//! The SCIM logic through the crate's public API: schemas and discovery documents, attribute
//! lookup, projection and PATCH (every form in scim.md, Entra ID's and Okta's request bodies).

mod discovery;
mod filter_check;
mod input;
mod lookup;
mod matcher;
mod patch_errors;
mod patch_group;
mod patch_rfc;
mod patch_user;
mod project;
mod props;

use serde_json::{json, Value};

/// A full User as the dialect renders it (the RFC 7643 section 8.2 example, cut to what Rosetta
/// keeps), password included so that the checks can see it dropped.
pub fn user() -> Value {
    json!({
        "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
        ],
        "id": "2819c223-7f76-453a-919d-413861904646",
        "externalId": "701984",
        "userName": "bjensen@example.com",
        "name": {"formatted": "Barbara Jensen", "familyName": "Jensen", "givenName": "Barbara"},
        "displayName": "Barbara Jensen",
        "active": true,
        "password": "t1meMa$heen",
        "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true}],
        "phoneNumbers": [{"value": "555-555-5555", "type": "work"}],
        "roles": [{"value": "3", "display": "Manager"}],
        "entitlements": [{"value": "reports"}],
        "groups": [{
            "value": "e9e30dba-f08f-4109-8486-d5c6a331660a",
            "$ref": "https://example.com/scim/v2/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a",
            "display": "Tour Guides"
        }],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "employeeNumber": "701984",
            "costCenter": "4130"
        },
        "meta": {
            "resourceType": "User",
            "created": "2010-01-23T04:56:22Z",
            "lastModified": "2011-05-13T04:42:34Z",
            "version": "W/\"3694e05e9dff591\"",
            "location": "https://example.com/scim/v2/Users/2819c223-7f76-453a-919d-413861904646"
        }
    })
}

/// Applies a PatchOp body to `resource`, failing the test on an error.
pub fn patched(rt: &'static rosetta_scim::ResourceType, mut resource: Value, body: Value) -> Value {
    if let Err(e) = try_patch(rt, &mut resource, body) {
        panic!("the patch failed: {e}");
    }
    resource
}

/// Parses and applies a PatchOp body.
pub fn try_patch(
    rt: &'static rosetta_scim::ResourceType,
    resource: &mut Value,
    body: Value,
) -> Result<rosetta_scim::patch::PatchOutcome, rosetta_scim::RequestError> {
    let op = rosetta_scim::PatchOp::from_json(&body)?;
    rosetta_scim::apply_patch(rt, resource, &op)
}

/// A Group with two members.
pub fn group() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "6c5bb468-14b2-4183-baf2-06d523e03bd3",
        "displayName": "Tour Guides",
        "members": [
            {"value": "u1", "display": "Babs", "$ref": "https://example.com/scim/v2/Users/u1", "type": "User"},
            {"value": "u2", "display": "Mandy", "$ref": "https://example.com/scim/v2/Users/u2", "type": "User"}
        ],
        "meta": {"resourceType": "Group", "created": "2010-01-23T04:56:22Z", "lastModified": "2011-05-13T04:42:34Z", "version": "W/\"1\""}
    })
}
