//! PATCH of a User: every form in scim.md, and the request bodies Entra ID and Okta document.

use rosetta_scim::patch::AttrRef;
use rosetta_scim::schema::{urn, USER_TYPE};
use serde_json::{json, Value};

use crate::{patched, try_patch, user};

const EXT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn ops(operations: Value) -> Value {
    json!({"schemas": [urn::PATCH_OP], "Operations": operations})
}

#[test]
fn replace_with_path() {
    let out = patched(
        &USER_TYPE,
        user(),
        ops(json!([
            {"op": "replace", "path": "displayName", "value": "Babs Jensen"}
        ])),
    );
    assert_eq!(out["displayName"], "Babs Jensen");
    let mut expected = user();
    expected["displayName"] = json!("Babs Jensen");
    assert_eq!(out, expected);
}

#[test]
fn entra_replace_of_attributes_and_the_work_email() {
    // Microsoft's "Update User [Multi-valued properties]" request.
    let out = patched(
        &USER_TYPE,
        user(),
        ops(json!([
            {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "updatedEmail@microsoft.com"},
            {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"}
        ])),
    );
    assert_eq!(
        out["emails"],
        json!([{"value": "updatedEmail@microsoft.com", "type": "work", "primary": true}])
    );
    assert_eq!(out["name"]["familyName"], "updatedFamilyName");
    assert_eq!(out["name"]["givenName"], "Barbara");
}

#[test]
fn entra_single_valued_user_name() {
    let out = patched(
        &USER_TYPE,
        user(),
        ops(json!([
            {"op": "Replace", "path": "userName", "value": "5b50642d@testuser.com"}
        ])),
    );
    assert_eq!(out["userName"], "5b50642d@testuser.com");
}

#[test]
fn entra_active_false_as_text_and_as_boolean() {
    for value in [json!("False"), json!(false), json!("false")] {
        let out = patched(
            &USER_TYPE,
            user(),
            ops(json!([
                {"op": "Replace", "path": "active", "value": value}
            ])),
        );
        assert_eq!(out["active"], false, "{value}");
    }
    let mut inactive = user();
    inactive["active"] = json!(false);
    let out = patched(
        &USER_TYPE,
        inactive,
        ops(json!([{"op": "Replace", "path": "active", "value": "True"}])),
    );
    assert_eq!(out["active"], true);
}

#[test]
fn okta_no_path_replace_of_active() {
    // Okta's deactivation.
    let out = patched(
        &USER_TYPE,
        user(),
        ops(json!([{"op": "replace", "value": {"active": false}}])),
    );
    assert_eq!(out["active"], false);
}

#[test]
fn okta_password_change_without_path() {
    let out = patched(
        &USER_TYPE,
        user(),
        ops(json!([{"op": "replace", "value": {"password": "n3w-Secret"}}])),
    );
    assert_eq!(out["password"], "n3w-Secret");
}

#[test]
fn no_path_value_with_dotted_and_urn_keys() {
    let out = patched(
        &USER_TYPE,
        user(),
        ops(json!([{"op": "Add", "value": {
            "name.givenName": "Babs",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "42",
            EXT: {"costCenter": "99"},
            "nickName": "ignored, Rosetta does not keep it"
        }}])),
    );
    assert_eq!(out["name"]["givenName"], "Babs");
    assert_eq!(
        out[EXT],
        json!({"employeeNumber": "42", "costCenter": "99"})
    );
    assert!(out.get("nickName").is_none());
}

#[test]
fn extension_attribute_by_full_urn_path() {
    let path = format!("{EXT}:employeeNumber");
    let out = patched(
        &USER_TYPE,
        user(),
        ops(json!([{"op": "replace", "path": path, "value": "1234"}])),
    );
    assert_eq!(out[EXT]["employeeNumber"], "1234");
    let out = patched(
        &USER_TYPE,
        out,
        ops(json!([{"op": "remove", "path": path}])),
    );
    assert_eq!(out[EXT], json!({"costCenter": "4130"}));
}

#[test]
fn extension_added_to_a_user_without_it() {
    let mut bare = user();
    if let Some(o) = bare.as_object_mut() {
        o.remove(EXT);
    }
    let out = patched(
        &USER_TYPE,
        bare,
        ops(json!([
            {"op": "add", "path": format!("{EXT}:costCenter"), "value": "7"}
        ])),
    );
    assert_eq!(out[EXT], json!({"costCenter": "7"}));
}

#[test]
fn add_to_multi_valued_appends_without_duplicates() {
    let out = patched(
        &USER_TYPE,
        user(),
        ops(json!([
            {"op": "add", "path": "entitlements", "value": [{"value": "reports"}, {"value": "billing"}]}
        ])),
    );
    assert_eq!(
        out["entitlements"],
        json!([{"value": "reports"}, {"value": "billing"}])
    );
}

#[test]
fn replace_of_multi_valued_sets_the_list() {
    let out = patched(
        &USER_TYPE,
        user(),
        ops(json!([
            {"op": "replace", "path": "entitlements", "value": [{"value": "billing"}]}
        ])),
    );
    assert_eq!(out["entitlements"], json!([{"value": "billing"}]));
}

#[test]
fn add_with_filter_creates_the_element_it_describes() {
    let mut no_phone = user();
    if let Some(o) = no_phone.as_object_mut() {
        o.remove("phoneNumbers");
    }
    let out = patched(
        &USER_TYPE,
        no_phone,
        ops(json!([
            {"op": "Add", "path": "phoneNumbers[type eq \"work\"].value", "value": "+44 20 7946 0000"}
        ])),
    );
    assert_eq!(
        out["phoneNumbers"],
        json!([{"type": "work", "value": "+44 20 7946 0000"}])
    );
}

#[test]
fn filter_with_and_on_a_boolean() {
    let out = patched(
        &USER_TYPE,
        user(),
        ops(json!([
            {"op": "replace", "path": "emails[type eq \"work\" and primary eq true].value", "value": "b@example.org"}
        ])),
    );
    assert_eq!(out["emails"][0]["value"], "b@example.org");
}

#[test]
fn filter_compares_case_insensitively_where_the_schema_says() {
    let out = patched(
        &USER_TYPE,
        user(),
        ops(json!([
            {"op": "replace", "path": "emails[value eq \"BJENSEN@example.com\"].type", "value": "home"}
        ])),
    );
    assert_eq!(out["emails"][0]["type"], "home");
}

/// emails is required (the core keeps one address): removing the last one is refused.
#[test]
fn removing_a_required_attribute_is_refused() {
    for path in [
        "emails[value eq \"bjensen@example.com\"]",
        "emails",
        "name",
        "displayName",
        "active",
        "roles",
    ] {
        let mut resource = user();
        let err = try_patch(
            &USER_TYPE,
            &mut resource,
            ops(json!([{"op": "remove", "path": path}])),
        )
        .unwrap_err();
        assert_eq!(
            (err.status(), err.scim_type()),
            (400, "mutability"),
            "{path}: {err}"
        );
        assert_eq!(resource, user(), "{path}");
    }
}

#[test]
fn remove_with_path_and_of_a_sub_attribute() {
    let out = patched(
        &USER_TYPE,
        user(),
        ops(json!([
            {"op": "remove", "path": "name.formatted"},
            {"op": "Remove", "path": "phoneNumbers"}
        ])),
    );
    assert_eq!(
        out["name"],
        json!({"givenName": "Barbara", "familyName": "Jensen"})
    );
    assert!(out.get("phoneNumbers").is_none());
}

#[test]
fn attribute_names_in_any_case() {
    let out = patched(
        &USER_TYPE,
        user(),
        ops(json!([
            {"op": "REPLACE", "path": "DisplayName", "value": "x"},
            {"op": "replace", "value": {"NAME": {"GivenName": "y"}}}
        ])),
    );
    assert_eq!(out["displayName"], "x");
    assert_eq!(out["name"]["givenName"], "y");
    assert!(out.get("DisplayName").is_none());
}

#[test]
fn touched_attributes_and_changed() {
    let mut resource = user();
    let body = ops(json!([
        {"op": "replace", "path": "displayName", "value": "Barbara Jensen"},
        {"op": "replace", "path": format!("{EXT}:costCenter"), "value": "4130"}
    ]));
    let outcome = match try_patch(&USER_TYPE, &mut resource, body) {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    };
    assert!(!outcome.changed, "the same values change nothing");
    let touched: Vec<AttrRef> = outcome.touched.into_iter().collect();
    assert_eq!(
        touched,
        [
            AttrRef {
                schema: urn::USER,
                name: "displayName"
            },
            AttrRef {
                schema: urn::ENTERPRISE_USER,
                name: "costCenter"
            },
        ]
    );
}

#[test]
fn writing_the_primary_flag_it_already_has_is_accepted() {
    let out = patched(
        &USER_TYPE,
        user(),
        ops(json!([
            {"op": "replace", "path": "emails[type eq \"work\"].primary", "value": "True"}
        ])),
    );
    assert_eq!(out, user());
    let mut resource = user();
    let e = try_patch(
        &USER_TYPE,
        &mut resource,
        ops(json!([
            {"op": "replace", "path": "emails[type eq \"work\"].primary", "value": false}
        ])),
    );
    assert!(
        matches!(e, Err(rosetta_scim::RequestError::Mutability(_))),
        "{e:?}"
    );
}

#[test]
fn touched_is_known_before_applying() {
    let body = ops(json!([
        {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "x@example.com"},
        {"op": "replace", "value": {"active": false, "name.givenName": "B", "nickName": "n", EXT: {"costCenter": "1"}}},
        {"op": "remove", "path": format!("{EXT}:employeeNumber")}
    ]));
    let Ok(op) = rosetta_scim::PatchOp::from_json(&body) else {
        panic!("did not parse")
    };
    let touched: Vec<(&str, &str)> = op
        .touched(&USER_TYPE)
        .into_iter()
        .map(|a| (a.schema, a.name))
        .collect();
    assert_eq!(
        touched,
        [
            (urn::USER, "active"),
            (urn::USER, "emails"),
            (urn::USER, "name"),
            (urn::ENTERPRISE_USER, "costCenter"),
            (urn::ENTERPRISE_USER, "employeeNumber"),
        ]
    );
    let mut resource = user();
    let applied = match try_patch(&USER_TYPE, &mut resource, body) {
        Ok(o) => o.touched,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(applied, op.touched(&USER_TYPE));
}

#[test]
fn an_empty_list_in_the_resource_is_no_change() {
    let mut resource = user();
    resource["phoneNumbers"] = json!([]);
    let body = ops(json!([{"op": "replace", "path": "active", "value": true}]));
    match try_patch(&USER_TYPE, &mut resource, body) {
        Ok(outcome) => assert!(!outcome.changed),
        Err(e) => panic!("{e}"),
    }
    assert!(resource.get("phoneNumbers").is_none());
}

#[test]
fn rfc_attributes_rosetta_does_not_keep_are_no_ops() {
    // What Entra ID's default attribute mapping sends besides what Rosetta keeps.
    let body = ops(json!([
        {"op": "Add", "path": "title", "value": "Tour Guide"},
        {"op": "Replace", "path": "preferredLanguage", "value": "en-GB"},
        {"op": "Add", "path": "addresses[type eq \"work\"].formatted", "value": "1 Main St"},
        {"op": "Replace", "path": "name.middleName", "value": "Q"},
        {"op": "Replace", "path": format!("{EXT}:department"), "value": "Tours"},
        {"op": "Add", "path": format!("{EXT}:manager"), "value": {"value": "m1"}},
        {"op": "Remove", "path": "nickName"}
    ]));
    let mut resource = user();
    match try_patch(&USER_TYPE, &mut resource, body) {
        Ok(outcome) => {
            assert!(!outcome.changed);
            assert!(outcome.touched.is_empty());
        }
        Err(e) => panic!("{e}"),
    }
    assert_eq!(resource, user());
}
