//! PATCH of a Group: member add/remove/replace in the shapes Entra ID and Okta send, applied
//! to the JSON and as member deltas.

use rosetta_scim::patch::{MemberChanges, MemberPlan, OpKind};
use rosetta_scim::schema::{urn, GROUP_TYPE};
use rosetta_scim::{member_changes, PatchOp};
use serde_json::{json, Value};

use crate::{group, patched};

fn ops(operations: Value) -> Value {
    json!({"schemas": [urn::PATCH_OP], "Operations": operations})
}

fn plan(operations: Value) -> Option<MemberPlan> {
    let op = match PatchOp::from_json(&ops(operations)) {
        Ok(op) => op,
        Err(e) => panic!("{e}"),
    };
    match member_changes(&op) {
        Ok(plan) => plan,
        Err(e) => panic!("{e}"),
    }
}

fn changes(operations: Value) -> MemberChanges {
    match plan(operations) {
        Some(p) => p.members,
        None => panic!("no member plan"),
    }
}

fn member_ids(g: &Value) -> Vec<String> {
    g["members"]
        .as_array()
        .map(|m| {
            m.iter()
                .filter_map(|v| v["value"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

const ADD_ENTRA: &str = r#"[{"name": "addMember", "op": "Add", "path": "members", "value": [{"$ref": null, "value": "u3"}]}]"#;
const REMOVE_ENTRA: &str = r#"[{"name": "removeMember", "op": "Remove", "path": "members", "value": [{"$ref": null, "value": "u1"}]}]"#;

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

#[test]
fn entra_add_and_remove_member() {
    let out = patched(&GROUP_TYPE, group(), ops(parse(ADD_ENTRA)));
    assert_eq!(member_ids(&out), ["u1", "u2", "u3"]);
    let out = patched(&GROUP_TYPE, out, ops(parse(REMOVE_ENTRA)));
    assert_eq!(member_ids(&out), ["u2", "u3"]);
    assert_eq!(changes(parse(ADD_ENTRA)).add, ["u3"]);
    assert_eq!(changes(parse(REMOVE_ENTRA)).remove, ["u1"]);
}

#[test]
fn okta_add_with_display_and_remove_by_filter() {
    let add = json!([{"op": "add", "path": "members", "value": [{"value": "u2", "display": "again"}, {"value": "u4", "display": "test.user@okta.local"}]}]);
    let out = patched(&GROUP_TYPE, group(), ops(add.clone()));
    assert_eq!(
        member_ids(&out),
        ["u1", "u2", "u4"],
        "u2 is not added twice"
    );
    let remove = json!([{"op": "remove", "path": "members[value eq \"u1\"]"}]);
    let out = patched(&GROUP_TYPE, out, ops(remove.clone()));
    assert_eq!(member_ids(&out), ["u2", "u4"]);
    assert_eq!(changes(add).add, ["u2", "u4"]);
    assert_eq!(changes(remove).remove, ["u1"]);
}

#[test]
fn okta_replace_of_all_members_and_rename() {
    let body = json!([
        {"op": "replace", "path": "members", "value": [{"value": "u7"}]},
        {"op": "replace", "value": {"id": "6c5bb468-14b2-4183-baf2-06d523e03bd3", "displayName": "Renamed"}}
    ]);
    let out = patched(&GROUP_TYPE, group(), ops(body.clone()));
    assert_eq!(member_ids(&out), ["u7"]);
    assert_eq!(out["displayName"], "Renamed");
    let Some(plan) = plan(body) else {
        panic!("no plan")
    };
    assert_eq!(plan.members.replace_all, Some(vec!["u7".to_owned()]));
    assert_eq!(plan.rest.len(), 1);
    assert_eq!(plan.rest[0].op, OpKind::Replace);
}

#[test]
fn remove_of_all_members() {
    let out = patched(
        &GROUP_TYPE,
        group(),
        ops(json!([{"op": "remove", "path": "members"}])),
    );
    assert!(out.get("members").is_none());
    assert_eq!(
        changes(json!([{"op": "remove", "path": "members"}])).replace_all,
        Some(vec![])
    );
}

#[test]
fn deltas_fold_in_order() {
    let c = changes(json!([
        {"op": "add", "path": "members", "value": [{"value": "a"}, {"value": "b"}]},
        {"op": "remove", "path": "members[value eq \"a\" or value eq \"c\"]"},
        {"op": "add", "value": {"members": [{"value": "c"}], "displayName": "x"}}
    ]));
    assert_eq!(
        c,
        MemberChanges {
            replace_all: None,
            add: vec!["b".into(), "c".into()],
            remove: vec!["a".into()]
        }
    );
    let c = changes(json!([
        {"op": "replace", "path": "members", "value": [{"value": "a"}]},
        {"op": "add", "path": "members", "value": [{"value": "b"}]},
        {"op": "remove", "path": "members[value eq \"a\"]"}
    ]));
    assert_eq!(
        c,
        MemberChanges {
            replace_all: Some(vec!["b".into()]),
            add: vec![],
            remove: vec![]
        }
    );
}

#[test]
fn filters_not_by_id_need_the_members_loaded() {
    assert!(plan(json!([{"op": "remove", "path": "members[display co \"x\"]"}])).is_none());
    assert!(plan(
        json!([{"op": "replace", "path": "members[value eq \"u1\"].display", "value": "x"}])
    )
    .is_none());
    let Some(p) = plan(json!([{"op": "replace", "path": "displayName", "value": "x"}])) else {
        panic!("no plan")
    };
    assert!(p.members.is_empty());
    assert_eq!(p.rest.len(), 1);
}

#[test]
fn a_member_without_value_is_invalid_value() {
    let op = PatchOp::from_json(&ops(
        json!([{"op": "add", "path": "members", "value": [{"display": "x"}]}]),
    ));
    let Ok(op) = op else { panic!("did not parse") };
    let e = member_changes(&op);
    assert!(
        matches!(e, Err(rosetta_scim::RequestError::InvalidValue(_))),
        "{e:?}"
    );
}
