//! Operators, literals, attribute paths and precedence.

use rosetta_scim::{AttrPath, CompareOp, Filter, Value};
use serde_json::Number;

use crate::{cmp, eq, parse, parse_roundtrip, path, pr, s};

#[test]
fn every_comparison_operator_in_any_letter_case() {
    for op in CompareOp::ALL {
        for spelled in [op.as_str().to_owned(), op.as_str().to_uppercase(), {
            let mut w = op.as_str().to_owned();
            w[..1].make_ascii_uppercase();
            w
        }] {
            let text = format!(r#"userName {spelled} "x""#);
            assert_eq!(
                parse_roundtrip(&text),
                cmp("userName", op, s("x")),
                "{text}"
            );
        }
    }
}

#[test]
fn present_in_any_letter_case() {
    assert_eq!(parse_roundtrip("title pr"), pr("title"));
    assert_eq!(parse_roundtrip("title PR"), pr("title"));
    assert_eq!(parse_roundtrip("title Pr"), pr("title"));
}

#[test]
fn literals() {
    let v = |text: &str| match parse(&format!("a eq {text}")) {
        Filter::Compare { value, .. } => value,
        other => panic!("{other:?}"),
    };
    assert_eq!(v("true"), Value::Bool(true));
    assert_eq!(v("False"), Value::Bool(false));
    assert_eq!(v("null"), Value::Null);
    assert_eq!(v("NULL"), Value::Null);
    assert_eq!(v("42"), Value::Number(Number::from(42)));
    assert_eq!(v("-7"), Value::Number(Number::from(-7)));
    assert_eq!(
        v("18446744073709551615"),
        Value::Number(Number::from(u64::MAX))
    );
    assert_eq!(v("2.5e3"), Value::Number(Number::from_f64(2500.0).unwrap()));
    assert_eq!(v(r#""a\"b\\c\u00e9\n""#), s("a\"b\\cé\n"));
    assert_eq!(v(r#""2011-05-13T04:42:34Z""#), s("2011-05-13T04:42:34Z"));
    assert_eq!(v(r#""""#), s(""));
    assert_eq!(v("\"日本語\""), s("日本語"));
}

#[test]
fn attribute_names_keep_their_case_and_compare_without_it() {
    let Filter::Compare { attr, .. } = parse(r#"NAME.GivenName eq "x""#) else {
        panic!()
    };
    assert_eq!(attr, path("NAME.GivenName"));
    assert!(attr.is("name.givenName"));
    assert!(!attr.is("name"));
    assert!(!attr.is("name.familyName"));
}

#[test]
fn sub_attributes_urns_and_ref() {
    assert_eq!(
        parse_roundtrip(r#"name.givenName eq "Barbara""#),
        eq("name.givenName", "Barbara")
    );
    let urn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    assert_eq!(
        parse_roundtrip(&format!(r#"{urn}:employeeNumber eq "701984""#)),
        Filter::Compare {
            attr: AttrPath {
                urn: Some(urn.to_owned()),
                name: "employeeNumber".to_owned(),
                sub: None
            },
            op: CompareOp::Eq,
            value: s("701984"),
        }
    );
    let Filter::Compare { attr, .. } = parse(&format!(r#"{urn}:manager.value eq "26118915""#))
    else {
        panic!()
    };
    assert_eq!(attr.urn.as_deref(), Some(urn));
    assert!(attr.is("manager.value"));
    assert_eq!(attr.qualified(), format!("{urn}:manager.value"));
    assert_eq!(parse_roundtrip(r#"members.$ref pr"#), pr("members.$ref"));
    // "urn" in any case: URNs are case-insensitive in their "urn:" prefix.
    assert!(matches!(
        parse("URN:x:y:a pr"),
        Filter::Present(AttrPath { urn: Some(_), .. })
    ));
}

#[test]
fn words_that_are_keywords_elsewhere_can_be_attributes() {
    assert_eq!(parse_roundtrip("not pr"), pr("not"));
    assert_eq!(
        parse_roundtrip(r#"and eq "x" and or pr"#),
        Filter::And(vec![eq("and", "x"), pr("or")])
    );
    assert_eq!(parse_roundtrip("pr pr"), pr("pr"));
    assert_eq!(
        parse_roundtrip("eq eq true"),
        cmp("eq", CompareOp::Eq, Value::Bool(true))
    );
}

#[test]
fn and_binds_tighter_than_or() {
    let (a, b, c) = (pr("a"), pr("b"), pr("c"));
    assert_eq!(
        parse_roundtrip("a pr and b pr or c pr"),
        Filter::Or(vec![Filter::And(vec![a.clone(), b.clone()]), c.clone()])
    );
    assert_eq!(
        parse_roundtrip("a pr or b pr and c pr"),
        Filter::Or(vec![a.clone(), Filter::And(vec![b.clone(), c.clone()])])
    );
    assert_eq!(
        parse_roundtrip("a pr AND b pr OR c pr"),
        parse("a pr and b pr or c pr")
    );
}

#[test]
fn chains_are_flat_and_parentheses_group() {
    let (a, b, c, d) = (pr("a"), pr("b"), pr("c"), pr("d"));
    assert_eq!(
        parse_roundtrip("a pr and b pr and c pr and d pr"),
        Filter::And(vec![a.clone(), b.clone(), c.clone(), d.clone()])
    );
    assert_eq!(
        parse_roundtrip("a pr or b pr or c pr"),
        Filter::Or(vec![a.clone(), b.clone(), c.clone()])
    );
    assert_eq!(
        parse_roundtrip("a pr and (b pr or c pr)"),
        Filter::And(vec![a.clone(), Filter::Or(vec![b.clone(), c.clone()])])
    );
    // An explicit group of the same operator stays a group.
    assert_eq!(
        parse_roundtrip("(a pr and b pr) and c pr"),
        Filter::And(vec![Filter::And(vec![a.clone(), b.clone()]), c.clone()])
    );
    assert_eq!(parse_roundtrip("((((a pr))))"), a);
    assert_eq!(
        parse_roundtrip("(a pr)and(b pr)"),
        Filter::And(vec![pr("a"), b])
    );
}

#[test]
fn not_binds_tightest_and_needs_parentheses() {
    let (a, b) = (pr("a"), pr("b"));
    assert_eq!(
        parse_roundtrip("not (a pr) and b pr"),
        Filter::And(vec![Filter::Not(Box::new(a.clone())), b.clone()])
    );
    assert_eq!(
        parse_roundtrip("not(a pr or b pr)"),
        Filter::Not(Box::new(Filter::Or(vec![a.clone(), b.clone()])))
    );
    assert_eq!(
        parse_roundtrip("NOT (not (a pr))"),
        Filter::Not(Box::new(Filter::Not(Box::new(a))))
    );
}

#[test]
fn value_paths() {
    assert_eq!(
        parse_roundtrip(r#"emails[type eq "work" and value co "@x"]"#),
        Filter::ValuePath {
            attr: path("emails"),
            filter: Box::new(Filter::And(vec![
                eq("type", "work"),
                cmp("value", CompareOp::Co, s("@x"))
            ])),
        }
    );
    assert_eq!(
        parse_roundtrip(r#"emails[not (type eq "home")] and active eq true"#),
        Filter::And(vec![
            Filter::ValuePath {
                attr: path("emails"),
                filter: Box::new(Filter::Not(Box::new(eq("type", "home")))),
            },
            cmp("active", CompareOp::Eq, Value::Bool(true)),
        ])
    );
    assert_eq!(
        parse_roundtrip(r#"not (emails[primary eq true])"#),
        Filter::Not(Box::new(Filter::ValuePath {
            attr: path("emails"),
            filter: Box::new(cmp("primary", CompareOp::Eq, Value::Bool(true))),
        }))
    );
}

#[test]
fn whitespace_is_flexible() {
    assert_eq!(parse("  userName   eq\t\"x\"\n "), eq("userName", "x"));
    assert_eq!(parse(r#"userName eq"x""#), eq("userName", "x"));
    assert_eq!(
        parse(r#"emails[ type eq "w" ]"#),
        parse(r#"emails[type eq "w"]"#)
    );
}

#[test]
fn identity_provider_filters() {
    // Entra ID: the existence check before a create, and the group lookups.
    assert_eq!(
        parse_roundtrip(r#"userName eq "Test_User_dfeef4c5-5681-4387-b016-bdf221e82081""#),
        eq("userName", "Test_User_dfeef4c5-5681-4387-b016-bdf221e82081")
    );
    assert_eq!(
        parse_roundtrip(r#"externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef""#),
        eq("externalId", "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef")
    );
    assert_eq!(
        parse_roundtrip(r#"displayName eq "Group1DisplayName""#),
        eq("displayName", "Group1DisplayName")
    );
    assert_eq!(
        parse_roundtrip(
            r#"id eq "40734ae8-0a9b-4bbc-8d3c-5a5c8cfb6b2e" and members[value eq "cd1eac4b-27f5-4ba9-8a50-b0b1e5f3aaf8"]"#
        ),
        Filter::And(vec![
            eq("id", "40734ae8-0a9b-4bbc-8d3c-5a5c8cfb6b2e"),
            Filter::ValuePath {
                attr: path("members"),
                filter: Box::new(eq("value", "cd1eac4b-27f5-4ba9-8a50-b0b1e5f3aaf8")),
            },
        ])
    );
    // Okta: userName eq, and the primary e-mail.
    assert_eq!(
        parse_roundtrip(r#"userName eq "isaac.brock@example.com""#),
        eq("userName", "isaac.brock@example.com")
    );
    assert_eq!(
        parse_roundtrip(r#"emails.value eq "isaac.brock@example.com""#),
        eq("emails.value", "isaac.brock@example.com")
    );
    assert_eq!(
        parse_roundtrip(r#"members[value eq "00u1dhhb1fkIGP7RL1d8"]"#),
        Filter::ValuePath {
            attr: path("members"),
            filter: Box::new(eq("value", "00u1dhhb1fkIGP7RL1d8"))
        }
    );
    // OneLogin and Keycloak send the same, with sw for type-ahead.
    assert_eq!(
        parse_roundtrip(r#"userName sw "isa""#),
        cmp("userName", CompareOp::Sw, s("isa"))
    );
}
