//! POST and PUT bodies checked against the schema.

use rosetta_scim::input::check_input;
use rosetta_scim::schema::{GROUP_TYPE, USER_TYPE};
use rosetta_scim::RequestError;
use serde_json::{json, Value};

use crate::user;

fn checked(
    rt: &'static rosetta_scim::ResourceType,
    mut body: Value,
) -> Result<Value, RequestError> {
    check_input(rt, &mut body, None).map(|()| body)
}

#[test]
fn entra_create_body_is_normalised() {
    // Microsoft's "Create User" request, with the attributes Rosetta does not keep.
    let body = json!({
        "UserName": "UserName123",
        "Active": "True",
        "DisplayName": "BobIsAmazing",
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "externalId": "${refid}",
        "groups": [],
        "name": {"familyName": "familyName", "givenName": "newArgon"},
        "emails": [{"Primary": true, "type": "work", "value": "Test@contoso.com"}],
        "meta": {"resourceType": "User"},
        "roles": [],
        "title": "ignored",
        "preferredLanguage": "en"
    });
    let Ok(out) = checked(&USER_TYPE, body) else {
        panic!("refused")
    };
    assert_eq!(
        out,
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
            "userName": "UserName123",
            "active": true,
            "displayName": "BobIsAmazing",
            "externalId": "${refid}",
            "name": {"familyName": "familyName", "givenName": "newArgon"},
            // primary is readOnly (Rosetta's one address is the primary): ignored on input.
            "emails": [{"type": "work", "value": "Test@contoso.com"}],
            "roles": []
        })
    );
}

#[test]
fn the_example_user_round_trips_less_its_read_only_attributes() {
    let Ok(out) = checked(&USER_TYPE, user()) else {
        panic!("refused")
    };
    let mut expected = user();
    if let Some(o) = expected.as_object_mut() {
        for k in ["id", "meta", "groups"] {
            o.remove(k);
        }
    }
    // roles.display and emails.primary are readOnly: they follow from what Rosetta keeps.
    expected["roles"] = json!([{"value": "3"}]);
    expected["emails"] = json!([{"value": "bjensen@example.com", "type": "work"}]);
    assert_eq!(out, expected);
}

#[test]
fn required_and_types() {
    let e = checked(&USER_TYPE, json!({"displayName": "no user name"}));
    assert!(
        matches!(&e, Err(RequestError::InvalidValue(d)) if d.contains("userName")),
        "{e:?}"
    );
    let e = checked(&USER_TYPE, json!({"userName": "x", "active": "yes"}));
    assert!(matches!(e, Err(RequestError::InvalidValue(_))), "{e:?}");
    let e = checked(&USER_TYPE, json!({"userName": 5}));
    assert!(matches!(e, Err(RequestError::InvalidValue(_))), "{e:?}");
    let e = checked(&GROUP_TYPE, json!({"members": [{"value": "u1"}]}));
    assert!(
        matches!(&e, Err(RequestError::InvalidValue(d)) if d.contains("displayName")),
        "{e:?}"
    );
    let e = checked(
        &GROUP_TYPE,
        json!({"displayName": "g", "members": [{"display": "no id"}]}),
    );
    assert!(matches!(e, Err(RequestError::InvalidValue(_))), "{e:?}");
    let e = checked(&USER_TYPE, json!(["not", "an", "object"]));
    assert!(matches!(e, Err(RequestError::InvalidSyntax(_))), "{e:?}");
}

#[test]
fn a_lone_object_for_a_list_becomes_a_list() {
    let Ok(out) = checked(
        &USER_TYPE,
        json!({"userName": "x", "emails": {"value": "x@example.com"}}),
    ) else {
        panic!("refused")
    };
    assert_eq!(out["emails"], json!([{"value": "x@example.com"}]));
}
