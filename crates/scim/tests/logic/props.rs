//! Properties over generated PatchOp bodies: nothing panics, a failure changes nothing and is a
//! 400, a success keeps the resource whole (an object with its id and required attributes).

use proptest::prelude::*;
use rosetta_scim::schema::{urn, GROUP_TYPE, USER_TYPE};
use rosetta_scim::{apply_patch, member_changes, PatchOp, ResourceType};
use serde_json::{Map, Value};

use crate::{group, user};

const WORDS: &[&str] = &[
    "add",
    "Add",
    "replace",
    "Replace",
    "REMOVE",
    "remove",
    "merge",
    "op",
    "path",
    "value",
    "Operations",
    "schemas",
    urn::PATCH_OP,
    "userName",
    "displayName",
    "active",
    "True",
    "False",
    "name",
    "name.givenName",
    "emails",
    "emails.value",
    "emails[type eq \"work\"].value",
    "emails[type eq \"work\" and primary eq true]",
    "emails[value co \"@\"]",
    "phoneNumbers",
    "phoneNumbers[type eq \"work\"].value",
    "roles",
    "entitlements",
    "groups",
    "members",
    "members[value eq \"u1\"]",
    "members[display sw \"B\"]",
    "members[value eq \"u1\"].display",
    "value",
    "type",
    "primary",
    "display",
    "$ref",
    "id",
    "meta",
    "meta.created",
    "password",
    urn::ENTERPRISE_USER,
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
    "costCenter",
    "externalId",
    "u1",
    "u9",
    "",
    "[",
    "emails[",
    "not (",
    "work",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(WORDS).prop_map(str::to_owned),
        "[a-zA-Z\\[\\]\" .:]{0,12}",
    ]
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::from),
        word().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec((word(), inner), 0..5)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

const OPS: &[&str] = &["add", "Add", "replace", "Replace", "remove", "REMOVE"];

const PATHS: &[&str] = &[
    "userName",
    "displayName",
    "active",
    "name",
    "name.givenName",
    "name.formatted",
    "emails",
    "emails.value",
    "emails[type eq \"work\"].value",
    "emails[type eq \"work\" and primary eq true]",
    "emails[value co \"@\"].type",
    "phoneNumbers",
    "phoneNumbers[type eq \"work\"].value",
    "roles",
    "roles[value eq \"3\"]",
    "entitlements",
    "groups",
    "members",
    "members[value eq \"u1\"]",
    "members[display sw \"B\"]",
    "members[value eq \"u1\"].display",
    "id",
    "meta.created",
    "password",
    "externalId",
    urn::ENTERPRISE_USER,
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
    "urn:ietf:params:scim:schemas:core:2.0:User:userName",
];

/// A value of a shape the schema may take: a text, a boolean (also as text), an element or a
/// list of elements, an object of attributes.
fn value() -> impl Strategy<Value = Value> {
    let element = || {
        (
            word(),
            proptest::option::of(word()),
            proptest::option::of(any::<bool>()),
        )
            .prop_map(|(v, t, p)| {
                let mut m = Map::new();
                m.insert("value".into(), Value::String(v));
                if let Some(t) = t {
                    m.insert("type".into(), Value::String(t));
                }
                if let Some(p) = p {
                    m.insert("primary".into(), Value::Bool(p));
                }
                Value::Object(m)
            })
    };
    prop_oneof![
        3 => word().prop_map(Value::String),
        2 => any::<bool>().prop_map(Value::Bool),
        1 => proptest::sample::select(&["True", "False", "true"][..]).prop_map(Value::from),
        2 => element(),
        3 => proptest::collection::vec(element(), 0..3).prop_map(Value::Array),
        3 => proptest::collection::vec((proptest::sample::select(PATHS), json()), 1..4)
            .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        2 => json(),
    ]
}

/// A body that is mostly PatchOp-shaped, with operations mostly of valid verbs and paths.
fn body() -> impl Strategy<Value = Value> {
    let op = (
        prop_oneof![9 => proptest::sample::select(OPS).prop_map(str::to_owned), 1 => word()],
        proptest::option::weighted(
            0.85,
            prop_oneof![
                9 => proptest::sample::select(PATHS).prop_map(str::to_owned),
                1 => word(),
            ],
        ),
        proptest::option::weighted(0.9, value()),
    )
        .prop_map(|(op, path, value)| {
            let mut m = Map::new();
            m.insert("op".into(), Value::String(op));
            if let Some(p) = path {
                m.insert("path".into(), Value::String(p));
            }
            if let Some(v) = value {
                m.insert("value".into(), v);
            }
            Value::Object(m)
        });
    prop_oneof![
        9 => proptest::collection::vec(op, 1..4).prop_map(|ops| {
            serde_json::json!({"schemas": [urn::PATCH_OP], "Operations": ops})
        }),
        1 => json(),
    ]
}

fn check(rt: &'static ResourceType, original: Value, body: &Value) -> Result<(), TestCaseError> {
    let Ok(op) = PatchOp::from_json(body) else {
        return Ok(());
    };
    let _ = member_changes(&op);
    let mut resource = original.clone();
    match apply_patch(rt, &mut resource, &op) {
        Err(e) => {
            prop_assert_eq!(&resource, &original);
            prop_assert_eq!(e.status(), 400);
            prop_assert!(!e.scim_type().is_empty());
        }
        Ok(outcome) => {
            prop_assert_eq!(&outcome.touched, &op.touched(rt));
            // The fixtures hold no empty values, so tidying them changes nothing.
            prop_assert_eq!(outcome.changed, resource != original);
            prop_assert!(resource.is_object());
            prop_assert_eq!(&resource["id"], &original["id"]);
            for attr in rt.schema.attributes.iter().filter(|a| a.required) {
                prop_assert!(resource.get(attr.name).is_some(), "{} lost", attr.name);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn arbitrary_patch_bodies_never_panic_nor_half_apply(body in body()) {
        check(&USER_TYPE, user(), &body)?;
        check(&GROUP_TYPE, group(), &body)?;
    }
}

proptest! {
    #[test]
    fn input_checks_never_panic_and_are_idempotent(
        body in proptest::collection::vec((proptest::sample::select(PATHS), value()), 0..6),
    ) {
        // Required attributes first, so that most bodies get past them to the rest.
        let mut map = Map::new();
        map.insert("userName".into(), Value::from("bjensen"));
        map.insert("displayName".into(), Value::from("Tour Guides"));
        map.extend(body.into_iter().map(|(k, v)| (k.to_owned(), v)));
        let mut body = Value::Object(map);
        for rt in [&USER_TYPE, &GROUP_TYPE] {
            let mut once = body.clone();
            if rosetta_scim::input::check_input(rt, &mut once, None).is_ok() {
                let mut twice = once.clone();
                prop_assert!(rosetta_scim::input::check_input(rt, &mut twice, None).is_ok());
                prop_assert_eq!(&twice, &once);
                prop_assert!(once.get("id").is_none() && once.get("meta").is_none());
            }
        }
        // PUT against the resource as it is.
        let _ = rosetta_scim::input::check_input(&USER_TYPE, &mut body, Some(&user()));
    }
}
