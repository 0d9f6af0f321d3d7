//! Projection: returned always/never/default/request, sub-attributes, extension URNs, letter
//! case, and idempotence over generated selections.

use proptest::prelude::*;
use rosetta_scim::schema::{GROUP_TYPE, USER_TYPE};
use rosetta_scim::Projection;
use serde_json::{json, Value};

use crate::user;

fn project(attributes: Option<&str>, excluded: Option<&str>) -> Value {
    match Projection::from_query(&USER_TYPE, attributes, excluded) {
        Ok(p) => p.apply(&user()),
        Err(e) => panic!("projection refused: {e}"),
    }
}

fn keys(v: &Value) -> Vec<String> {
    let mut keys: Vec<String> = v
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    keys.sort();
    keys
}

#[test]
fn default_drops_the_password_and_nothing_else() {
    let out = project(None, None);
    assert!(out.get("password").is_none());
    let mut expected = keys(&user());
    expected.retain(|k| k != "password");
    assert_eq!(keys(&out), expected);
    assert_eq!(out["name"], user()["name"]);
    assert_eq!(out["meta"], user()["meta"]);
}

#[test]
fn attributes_keeps_schemas_and_id_always() {
    let out = project(Some("userName"), None);
    assert_eq!(keys(&out), ["id", "schemas", "userName"]);
}

#[test]
fn attributes_in_any_case_and_with_urn() {
    let out = project(
        Some("USERNAME, urn:ietf:params:scim:schemas:core:2.0:User:displayName"),
        None,
    );
    assert_eq!(keys(&out), ["displayName", "id", "schemas", "userName"]);
}

#[test]
fn sub_attributes_of_complex_and_multi_valued() {
    let out = project(Some("name.givenName,emails.value"), None);
    assert_eq!(out["name"], json!({"givenName": "Barbara"}));
    assert_eq!(out["emails"], json!([{"value": "bjensen@example.com"}]));
    assert!(out.get("meta").is_none());
}

#[test]
fn the_password_even_when_asked_for() {
    let out = project(Some("password,userName"), None);
    assert!(out.get("password").is_none());
}

#[test]
fn extension_attribute_by_urn_and_whole_extension() {
    let ext = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    let out = project(Some(&format!("{ext}:employeeNumber")), None);
    assert_eq!(out[ext], json!({"employeeNumber": "701984"}));
    let out = project(Some(ext), None);
    assert_eq!(out[ext], user()[ext]);
    let out = project(None, Some(&format!("{ext}:costCenter")));
    assert_eq!(out[ext], json!({"employeeNumber": "701984"}));
    let out = project(None, Some(ext));
    assert!(out.get(ext).is_none());
}

#[test]
fn excluded_attributes_but_never_id() {
    let out = project(None, Some("emails,id,Groups,name.familyName,meta"));
    assert!(out.get("emails").is_none());
    assert!(out.get("groups").is_none());
    assert!(out.get("meta").is_none());
    assert_eq!(out["id"], user()["id"]);
    assert_eq!(
        out["name"],
        json!({"givenName": "Barbara", "formatted": "Barbara Jensen"})
    );
}

#[test]
fn unknown_names_select_nothing() {
    let out = project(Some("nickName,userName"), None);
    assert_eq!(keys(&out), ["id", "schemas", "userName"]);
    assert_eq!(project(None, Some("nickName")), project(None, None));
}

#[test]
fn wants_tells_the_dialect_what_to_load() {
    let Ok(p) = Projection::from_query(&GROUP_TYPE, None, Some("members")) else {
        panic!("refused")
    };
    assert!(!p.wants("members"));
    assert!(p.wants("displayName"));
    let Ok(p) = Projection::from_query(&GROUP_TYPE, Some("members.value"), None) else {
        panic!("refused")
    };
    assert!(p.wants("members"));
    assert!(!p.wants("displayName"));
    assert!(Projection::default_for(&USER_TYPE).wants("groups"));
    assert!(!Projection::default_for(&USER_TYPE).wants("password"));
}

const NAMES: &[&str] = &[
    "userName",
    "name",
    "name.givenName",
    "name.familyName",
    "displayName",
    "emails",
    "emails.value",
    "emails.type",
    "active",
    "password",
    "groups",
    "groups.display",
    "id",
    "meta",
    "meta.created",
    "roles.value",
    "nickName",
    "EMAILS.VALUE",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
];

proptest! {
    #[test]
    fn projecting_twice_is_projecting_once(
        picked in proptest::collection::vec(proptest::sample::select(NAMES), 0..6),
        exclude in any::<bool>(),
    ) {
        let list = picked.join(",");
        let (a, e) = if exclude { (None, Some(list.as_str())) } else { (Some(list.as_str()), None) };
        let p = Projection::from_query(&USER_TYPE, a, e);
        prop_assert!(p.is_ok());
        if let Ok(p) = p {
            let once = p.apply(&user());
            prop_assert_eq!(p.apply(&once), once.clone());
            prop_assert!(once.get("password").is_none());
            prop_assert_eq!(&once["id"], &user()["id"]);
        }
    }
}

#[test]
fn sub_attributes_returned_on_request() {
    // emails.primary and roles.display follow from what Rosetta keeps: only when asked for.
    let out = project(None, None);
    assert_eq!(
        out["emails"],
        json!([{"value": "bjensen@example.com", "type": "work"}])
    );
    assert_eq!(out["roles"], json!([{"value": "3"}]));
    let out = project(Some("emails"), None);
    assert_eq!(
        out["emails"],
        json!([{"value": "bjensen@example.com", "type": "work"}])
    );
    let out = project(Some("emails.primary,roles.display"), None);
    assert_eq!(out["emails"], json!([{"primary": true}]));
    assert_eq!(out["roles"], json!([{"display": "Manager"}]));
}
