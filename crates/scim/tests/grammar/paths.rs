//! The PATCH path grammar: the RFC 7644 section 3.5.2 examples and what Entra ID and Okta send.

use rosetta_scim::{parse_path, AttrPath, CompareOp, Filter, PatchPath, SyntaxError};

use crate::{cmp, eq, path, s};

fn parse(text: &str) -> PatchPath {
    let p = match parse_path(text) {
        Ok(p) => p,
        Err(e) => panic!("{text:?} did not parse: {e}"),
    };
    let printed = p.to_string();
    assert_eq!(
        parse_path(&printed).ok(),
        Some(p.clone()),
        "{text:?} printed as {printed:?}"
    );
    p
}

fn filtered(attr: &str, filter: Filter, sub: Option<&str>) -> PatchPath {
    PatchPath::Filtered {
        attr: path(attr),
        filter,
        sub: sub.map(str::to_owned),
    }
}

const MEMBER: &str = "2819c223-7f76-453a-919d-413861904646";

#[test]
fn rfc_examples() {
    assert_eq!(parse("members"), PatchPath::Attr(path("members")));
    assert_eq!(
        parse("name.familyName"),
        PatchPath::Attr(path("name.familyName"))
    );
    assert_eq!(
        parse(r#"addresses[type eq "work"]"#),
        filtered("addresses", eq("type", "work"), None)
    );
    assert_eq!(
        parse(&format!(r#"members[value eq "{MEMBER}"]"#)),
        filtered("members", eq("value", MEMBER), None)
    );
    assert_eq!(
        parse(&format!(r#"members[value eq "{MEMBER}"].displayName"#)),
        filtered("members", eq("value", MEMBER), Some("displayName"))
    );
    assert_eq!(
        parse(r#"emails[type eq "work" and value ew "example.com"]"#),
        filtered(
            "emails",
            Filter::And(vec![
                eq("type", "work"),
                cmp("value", CompareOp::Ew, s("example.com"))
            ]),
            None
        )
    );
    assert_eq!(
        parse(r#"addresses[type eq "work"].streetAddress"#),
        filtered("addresses", eq("type", "work"), Some("streetAddress"))
    );
}

#[test]
fn identity_provider_paths() {
    let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    // Entra ID's attribute mappings.
    assert_eq!(
        parse(r#"emails[type eq "work"].value"#),
        filtered("emails", eq("type", "work"), Some("value"))
    );
    assert_eq!(
        parse(r#"phoneNumbers[type eq "mobile"].value"#),
        filtered("phoneNumbers", eq("type", "mobile"), Some("value"))
    );
    assert_eq!(
        parse(r#"addresses[type eq "work"].formatted"#),
        filtered("addresses", eq("type", "work"), Some("formatted"))
    );
    assert_eq!(parse("active"), PatchPath::Attr(path("active")));
    assert_eq!(
        parse(&format!("{enterprise}:employeeNumber")),
        PatchPath::Attr(AttrPath {
            urn: Some(enterprise.to_owned()),
            name: "employeeNumber".to_owned(),
            sub: None
        })
    );
    assert_eq!(
        parse(&format!("{enterprise}:manager")),
        PatchPath::Attr(AttrPath {
            urn: Some(enterprise.to_owned()),
            name: "manager".to_owned(),
            sub: None
        })
    );
    // A value path under a URN prefix.
    assert_eq!(
        parse(r#"urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"].value"#),
        PatchPath::Filtered {
            attr: AttrPath {
                urn: Some("urn:ietf:params:scim:schemas:core:2.0:User".to_owned()),
                name: "emails".to_owned(),
                sub: None
            },
            filter: eq("type", "work"),
            sub: Some("value".to_owned()),
        }
    );
    // Okta's group member removal.
    assert_eq!(
        parse(r#"members[value eq "00u1dhhb1fkIGP7RL1d8"]"#),
        filtered("members", eq("value", "00u1dhhb1fkIGP7RL1d8"), None)
    );
    // Letter case of operators and of the sub-attribute is the client's.
    assert_eq!(
        parse(r#"Emails[Type EQ "work"].Value"#),
        filtered("Emails", eq("Type", "work"), Some("Value"))
    );
}

#[test]
fn bad_paths_are_invalid_path_with_a_position() {
    for (text, pos) in [
        ("", None),
        ("   ", None),
        ("members[", Some(8)),
        (r#"members[value eq "x""#, Some(20)),
        (r#"members[value eq "x"]]"#, Some(21)),
        (r#"members[value eq "x"].a.b"#, Some(21)),
        (r#"members[value eq "x"]value"#, Some(21)),
        (r#"members[value eq "x"]."#, Some(21)),
        ("name.givenName.x", Some(0)),
        (r#"name.givenName[value eq "x"]"#, Some(14)),
        (r#"members[emails[type eq "x"]]"#, Some(14)),
        ("members eq", Some(8)),
        ("1abc", Some(0)),
        ("(members)", Some(0)),
        ("foo:bar", Some(0)),
    ] {
        let err = parse_path(text).expect_err(text);
        assert_eq!(err.scim_type(), "invalidPath", "{text}");
        assert_eq!(err.position(), pos, "{text}: {err}");
    }
    assert!(parse_path("a[b pr]").is_ok());
    assert!(matches!(
        parse_path(&format!("a[{}b pr{}]", "(".repeat(40), ")".repeat(40))).map_err(|e| e.0),
        Err(SyntaxError::TooDeep { .. })
    ));
}
