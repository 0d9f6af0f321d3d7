//! The PATCH examples of RFC 7644 section 3.5.2, on the attributes Rosetta keeps.

use rosetta_scim::schema::{urn, GROUP_TYPE, USER_TYPE};
use serde_json::{json, Value};

use crate::{group, patched, try_patch, user};

fn ops(operations: Value) -> Value {
    json!({"schemas": [urn::PATCH_OP], "Operations": operations})
}

const BABS: &str = "2819c223-7f76-453a-919d-413861904646";

#[test]
fn add_a_member_3_5_2_1() {
    let out = patched(
        &GROUP_TYPE,
        group(),
        ops(json!([{
            "op": "add",
            "path": "members",
            "value": [{"display": "Babs Jensen", "$ref": format!("https://example.com/v2/Users/{BABS}"), "value": BABS}]
        }])),
    );
    let last = out["members"]
        .as_array()
        .and_then(|m| m.last().cloned())
        .unwrap_or_default();
    // display is readOnly (the user's name), so the member is kept without it.
    assert_eq!(
        last,
        json!({"$ref": format!("https://example.com/v2/Users/{BABS}"), "value": BABS})
    );
}

#[test]
fn add_without_path_3_5_2_1() {
    let out = patched(
        &USER_TYPE,
        user(),
        ops(json!([{
            "op": "add",
            "value": {"emails": [{"value": "babs@jensen.org", "type": "home"}], "nickName": "Babs"}
        }])),
    );
    assert_eq!(
        out["emails"][1],
        json!({"value": "babs@jensen.org", "type": "home"})
    );
    assert!(out.get("nickName").is_none());
}

#[test]
fn remove_one_member_then_all_3_5_2_2() {
    let out = patched(
        &GROUP_TYPE,
        group(),
        ops(json!([{"op": "remove", "path": "members[value eq \"u2\"]"}])),
    );
    assert_eq!(out["members"].as_array().map(Vec::len), Some(1));
    let out = patched(
        &GROUP_TYPE,
        out,
        ops(json!([{"op": "remove", "path": "members"}])),
    );
    assert!(out.get("members").is_none());
}

#[test]
fn remove_and_add_in_one_request_3_5_2_2() {
    let out = patched(
        &GROUP_TYPE,
        group(),
        ops(json!([
            {"op": "remove", "path": "members"},
            {"op": "add", "path": "members", "value": [{"value": "u8"}, {"value": "u9"}]}
        ])),
    );
    assert_eq!(out["members"], json!([{"value": "u8"}, {"value": "u9"}]));
}

#[test]
fn replace_members_3_5_2_3() {
    let out = patched(
        &GROUP_TYPE,
        group(),
        ops(json!([
            {"op": "replace", "path": "members", "value": [{"display": "Babs", "value": BABS}]}
        ])),
    );
    assert_eq!(out["members"], json!([{"value": BABS}]));
}

#[test]
fn replace_a_filtered_value_3_5_2_3() {
    let out = patched(
        &USER_TYPE,
        user(),
        ops(json!([
            {"op": "replace", "path": "emails[type eq \"work\"]", "value": {"type": "work", "value": "b@new.example"}}
        ])),
    );
    assert_eq!(
        out["emails"],
        json!([{"type": "work", "value": "b@new.example"}])
    );
}

#[test]
fn replace_without_path_3_5_2_3() {
    let out = patched(
        &USER_TYPE,
        user(),
        ops(json!([{
            "op": "replace",
            "value": {
                "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true}],
                "nickName": "Babs"
            }
        }])),
    );
    // primary is readOnly; nickName is not kept.
    assert_eq!(
        out["emails"],
        json!([{"value": "bjensen@example.com", "type": "work"}])
    );
}

#[test]
fn remove_without_path_is_no_target_3_5_2_2() {
    let mut u = user();
    let e = try_patch(&USER_TYPE, &mut u, ops(json!([{"op": "remove"}])));
    assert!(
        matches!(e, Err(rosetta_scim::RequestError::NoTarget(_))),
        "{e:?}"
    );
}
