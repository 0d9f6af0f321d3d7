//! PATCH errors: each with its scimType and status, and the resource left as it was.

use rosetta_scim::schema::{urn, GROUP_TYPE, USER_TYPE};
use rosetta_scim::{PatchOp, RequestError};
use serde_json::{json, Value};

use crate::{group, try_patch, user};

fn ops(operations: Value) -> Value {
    json!({"schemas": [urn::PATCH_OP], "Operations": operations})
}

/// The error of patching a User with `operations`, checking the user is unchanged.
fn user_error(operations: Value) -> RequestError {
    let mut resource = user();
    match try_patch(&USER_TYPE, &mut resource, ops(operations.clone())) {
        Ok(_) => panic!("{operations} was applied"),
        Err(e) => {
            assert_eq!(resource, user(), "{operations} left a half-applied user");
            assert_eq!(e.status(), 400);
            e
        }
    }
}

fn kind(e: &RequestError) -> &'static str {
    e.scim_type()
}

#[test]
fn malformed_patch_ops_are_invalid_syntax() {
    for body in [
        json!([]),
        json!({"schemas": [urn::USER], "Operations": [{"op": "add", "path": "displayName", "value": "x"}]}),
        json!({"schemas": [urn::PATCH_OP]}),
        json!({"schemas": [urn::PATCH_OP], "Operations": []}),
        json!({"schemas": [urn::PATCH_OP], "Operations": {"op": "add"}}),
        json!({"schemas": [urn::PATCH_OP], "Operations": [{"op": "merge", "path": "displayName", "value": "x"}]}),
        json!({"schemas": [urn::PATCH_OP], "Operations": [{"path": "displayName", "value": "x"}]}),
        json!({"schemas": [urn::PATCH_OP], "Operations": [{"op": "add", "path": "displayName"}]}),
        json!({"schemas": [urn::PATCH_OP], "Operations": [{"op": "replace", "value": "x"}]}),
        json!({"schemas": [urn::PATCH_OP], "Operations": [{"op": "add", "path": 7, "value": "x"}]}),
        json!({"schemas": [urn::PATCH_OP], "Operations": ["add"]}),
    ] {
        match PatchOp::from_json(&body) {
            Ok(op) => panic!("{body} parsed as {op:?}"),
            Err(e) => assert_eq!(kind(&e), "invalidSyntax", "{body}: {e}"),
        }
    }
}

#[test]
fn bad_paths_are_invalid_path() {
    for path in [
        "emails[type eq]",
        "nickNames",
        "name.middleNames",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:departments",
        "userName[value eq \"x\"]",
        "emails[type eq \"work\"].nope",
        "urn:ietf:params:scim:schemas:core:2.0:Group:displayName",
    ] {
        let e = user_error(json!([{"op": "replace", "path": path, "value": "x"}]));
        assert_eq!(kind(&e), "invalidPath", "{path}: {e}");
    }
}

#[test]
fn a_value_filter_matching_nothing_is_no_target() {
    for op in [
        json!({"op": "remove", "path": "emails[type eq \"home\"]"}),
        json!({"op": "replace", "path": "emails[value co \"nowhere\"].type", "value": "home"}),
        json!({"op": "remove", "path": "roles[value eq \"9\"]"}),
    ] {
        let e = user_error(json!([op]));
        assert_eq!(kind(&e), "noTarget", "{op}: {e}");
    }
    let e = user_error(json!([{"op": "remove"}]));
    assert_eq!(kind(&e), "noTarget");
}

#[test]
fn removing_a_required_attribute_is_mutability() {
    for op in [
        json!({"op": "remove", "path": "userName"}),
        json!({"op": "replace", "path": "userName", "value": null}),
        json!({"op": "replace", "value": {"userName": null}}),
        json!({"op": "remove", "path": "emails.value"}),
    ] {
        let e = user_error(json!([op]));
        assert_eq!(kind(&e), "mutability", "{op}: {e}");
    }
    let mut g = group();
    let e = try_patch(
        &GROUP_TYPE,
        &mut g,
        ops(json!([{"op": "remove", "path": "displayName"}])),
    );
    assert!(matches!(e, Err(RequestError::Mutability(_))), "{e:?}");
}

#[test]
fn read_only_and_immutable_changes_are_mutability() {
    for op in [
        json!({"op": "replace", "path": "id", "value": "another"}),
        json!({"op": "replace", "path": "meta.created", "value": "2020-01-01T00:00:00Z"}),
        json!({"op": "add", "path": "groups", "value": [{"value": "g1"}]}),
        json!({"op": "replace", "value": {"groups": []}}),
        json!({"op": "remove", "path": "groups"}),
    ] {
        let e = user_error(json!([op]));
        assert_eq!(kind(&e), "mutability", "{op}: {e}");
    }
    let mut g = group();
    let e = try_patch(
        &GROUP_TYPE,
        &mut g,
        ops(json!([{"op": "replace", "path": "members[value eq \"u1\"].value", "value": "u9"}])),
    );
    assert!(matches!(e, Err(RequestError::Mutability(_))), "{e:?}");
}

#[test]
fn the_value_a_read_only_attribute_has_is_accepted() {
    // Okta renames a group with its id in the value.
    let mut g = group();
    let body = ops(
        json!([{"op": "replace", "value": {"id": g["id"].clone(), "displayName": "Test SCIMv2"}}]),
    );
    if let Err(e) = try_patch(&GROUP_TYPE, &mut g, body) {
        panic!("{e}")
    }
    assert_eq!(g["displayName"], "Test SCIMv2");
}

#[test]
fn wrong_types_are_invalid_value() {
    for op in [
        json!({"op": "replace", "path": "active", "value": "maybe"}),
        json!({"op": "replace", "path": "active", "value": 1}),
        json!({"op": "replace", "path": "userName", "value": true}),
        json!({"op": "replace", "path": "name", "value": "Babs"}),
        json!({"op": "add", "path": "emails", "value": [{"type": "work"}]}),
        json!({"op": "add", "path": "emails", "value": ["b@example.com"]}),
        json!({"op": "replace", "value": {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": "x"}}),
        json!({"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "value": {"a": 1}}),
    ] {
        let e = user_error(json!([op]));
        assert_eq!(kind(&e), "invalidValue", "{op}: {e}");
    }
}

#[test]
fn a_later_failure_undoes_the_earlier_operations() {
    let e = user_error(json!([
        {"op": "replace", "path": "displayName", "value": "changed"},
        {"op": "remove", "path": "userName"}
    ]));
    assert_eq!(kind(&e), "mutability");
}

#[test]
fn details_never_echo_the_value() {
    let e = user_error(json!([{"op": "replace", "path": "active", "value": "s3cret-Value"}]));
    assert!(!e.detail().contains("s3cret"), "{e}");
    assert!(!e.to_string().contains("s3cret"), "{e}");
    assert_eq!(e.scim_type(), "invalidValue");
}

#[test]
fn a_sub_attribute_alone_is_not_a_whole_element() {
    let mut no_email = user();
    if let Some(o) = no_email.as_object_mut() {
        o.remove("emails");
    }
    let before = no_email.clone();
    let e = try_patch(
        &USER_TYPE,
        &mut no_email,
        ops(json!([{"op": "add", "path": "emails.type", "value": "work"}])),
    );
    assert!(matches!(e, Err(RequestError::InvalidValue(_))), "{e:?}");
    assert_eq!(no_email, before);
    // With its value it is one.
    let e = try_patch(
        &USER_TYPE,
        &mut no_email,
        ops(json!([{"op": "add", "path": "emails.value", "value": "a@example.com"}])),
    );
    assert!(e.is_ok(), "{e:?}");
    assert_eq!(no_email["emails"], json!([{"value": "a@example.com"}]));
}

/// The scimType and detail of each kind of fault, pinned: the detail is what a client reads.
#[test]
fn error_details_snapshot() {
    let cases = [
        json!({"op": "merge", "path": "displayName", "value": "x"}),
        json!({"op": "add", "path": "displayName"}),
        json!({"op": "replace", "path": "emails[type eq]", "value": "x"}),
        json!({"op": "replace", "path": "nickNames", "value": "x"}),
        json!({"op": "replace", "path": "userName[value eq \"x\"]", "value": "x"}),
        json!({"op": "remove", "path": "emails[type eq \"home\"]"}),
        json!({"op": "remove"}),
        json!({"op": "remove", "path": "userName"}),
        json!({"op": "replace", "path": "id", "value": "another"}),
        json!({"op": "replace", "path": "active", "value": "maybe"}),
        json!({"op": "add", "path": "emails", "value": [{"type": "work"}]}),
    ];
    let answers: Vec<Value> = cases
        .iter()
        .map(|op| {
            let mut resource = user();
            match try_patch(&USER_TYPE, &mut resource, ops(json!([op]))) {
                Ok(_) => json!({"op": op, "applied": true}),
                Err(e) => json!({"op": op, "scimType": e.scim_type(), "detail": e.detail()}),
            }
        })
        .collect();
    insta::assert_json_snapshot!(answers);
}
