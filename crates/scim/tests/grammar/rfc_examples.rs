//! Every example filter of RFC 7644 section 3.4.2.2 (and the query examples near it), with the
//! tree each must give.

use rosetta_scim::{AttrPath, CompareOp, Filter};

use crate::{cmp, eq, parse_roundtrip, path, pr, s};

const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

#[test]
fn simple_comparisons() {
    assert_eq!(
        parse_roundtrip(r#"userName eq "bjensen""#),
        eq("userName", "bjensen")
    );
    assert_eq!(
        parse_roundtrip(r#"name.familyName co "O'Malley""#),
        cmp("name.familyName", CompareOp::Co, s("O'Malley"))
    );
    assert_eq!(
        parse_roundtrip(r#"userName sw "J""#),
        cmp("userName", CompareOp::Sw, s("J"))
    );
    assert_eq!(
        parse_roundtrip(&format!(r#"{CORE_USER}:userName sw "J""#)),
        Filter::Compare {
            attr: AttrPath {
                urn: Some(CORE_USER.to_owned()),
                name: "userName".to_owned(),
                sub: None
            },
            op: CompareOp::Sw,
            value: s("J"),
        }
    );
    assert_eq!(parse_roundtrip("title pr"), pr("title"));
    assert_eq!(
        parse_roundtrip(
            r#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#
        ),
        eq(
            "schemas",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
        )
    );
    // Section 3.4.2.2's words on letter case, and 3.4.3's SearchRequest.
    assert_eq!(
        parse_roundtrip(r#"userName Eq "john""#),
        eq("userName", "john")
    );
    assert_eq!(
        parse_roundtrip(r#"Username eq "john""#),
        eq("Username", "john")
    );
    assert_eq!(
        parse_roundtrip(r#"displayName sw "smith""#),
        cmp("displayName", CompareOp::Sw, s("smith"))
    );
}

#[test]
fn date_comparisons() {
    for (op, word) in [
        (CompareOp::Gt, "gt"),
        (CompareOp::Ge, "ge"),
        (CompareOp::Lt, "lt"),
        (CompareOp::Le, "le"),
    ] {
        assert_eq!(
            parse_roundtrip(&format!(
                r#"meta.lastModified {word} "2011-05-13T04:42:34Z""#
            )),
            cmp("meta.lastModified", op, s("2011-05-13T04:42:34Z"))
        );
    }
}

#[test]
fn logical_combinations() {
    assert_eq!(
        parse_roundtrip(r#"title pr and userType eq "Employee""#),
        Filter::And(vec![pr("title"), eq("userType", "Employee")])
    );
    assert_eq!(
        parse_roundtrip(r#"title pr or userType eq "Intern""#),
        Filter::Or(vec![pr("title"), eq("userType", "Intern")])
    );
    assert_eq!(
        parse_roundtrip(
            r#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#
        ),
        Filter::And(vec![
            eq("userType", "Employee"),
            Filter::Or(vec![
                cmp("emails", CompareOp::Co, s("example.com")),
                cmp("emails.value", CompareOp::Co, s("example.org")),
            ]),
        ])
    );
    assert_eq!(
        parse_roundtrip(
            r#"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#
        ),
        Filter::And(vec![
            cmp("userType", CompareOp::Ne, s("Employee")),
            Filter::Not(Box::new(Filter::Or(vec![
                cmp("emails", CompareOp::Co, s("example.com")),
                cmp("emails.value", CompareOp::Co, s("example.org")),
            ]))),
        ])
    );
    assert_eq!(
        parse_roundtrip(r#"userType eq "Employee" and (emails.type eq "work")"#),
        Filter::And(vec![eq("userType", "Employee"), eq("emails.type", "work")])
    );
}

#[test]
fn value_paths() {
    let work_at = |attr: &str, ty: &str, domain: &str| Filter::ValuePath {
        attr: path(attr),
        filter: Box::new(Filter::And(vec![
            eq("type", ty),
            cmp("value", CompareOp::Co, s(domain)),
        ])),
    };
    assert_eq!(
        parse_roundtrip(
            r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#
        ),
        Filter::And(vec![
            eq("userType", "Employee"),
            work_at("emails", "work", "@example.com")
        ])
    );
    assert_eq!(
        parse_roundtrip(
            r#"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#
        ),
        Filter::Or(vec![
            work_at("emails", "work", "@example.com"),
            work_at("ims", "xmpp", "@foo.com")
        ])
    );
}
