//! Filters checked against the schema: unknown attributes and operators that do not suit the
//! attribute's type are `invalidFilter`.

use rosetta_scim::schema::{GROUP_TYPE, USER_TYPE};
use rosetta_scim::{check_filter, parse_filter, ResourceType};

fn verdict(rt: &ResourceType, text: &str) -> Result<(), String> {
    let f = parse_filter(text).map_err(|e| format!("parse: {e}"))?;
    check_filter(rt, &f).map_err(|e| {
        assert_eq!(e.scim_type(), "invalidFilter");
        e.to_string()
    })
}

#[test]
fn what_the_identity_providers_send_is_accepted() {
    for text in [
        r#"userName eq "bjensen""#,
        r#"externalId eq "701984""#,
        r#"emails[type eq "work" and value co "@example.com"]"#,
        r#"emails.value eq "b@example.com""#,
        r#"emails co "example""#,
        r#"id eq "2819c223-7f76-453a-919d-413861904646""#,
        "active eq true",
        r#"meta.lastModified gt "2011-05-13T04:42:34Z""#,
        r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "1""#,
        r#"name.familyName sw "J""#,
        "groups pr",
        r#"displayName eq "x" or userName ne null"#,
    ] {
        assert_eq!(verdict(&USER_TYPE, text), Ok(()), "{text}");
    }
    assert_eq!(verdict(&GROUP_TYPE, r#"members[value eq "u1"]"#), Ok(()));
    assert_eq!(
        verdict(&GROUP_TYPE, r#"displayName eq "Tour Guides""#),
        Ok(())
    );
}

#[test]
fn unknown_attributes_and_mismatched_operators_are_refused() {
    for (rt, text) in [
        (&USER_TYPE, "title pr"),
        (&USER_TYPE, r#"name.middleName eq "x""#),
        (&USER_TYPE, r#"emails[nope eq "x"]"#),
        (&USER_TYPE, r#"userName[value eq "x"]"#),
        (&USER_TYPE, "active gt true"),
        (&USER_TYPE, r#"active co "t""#),
        (&USER_TYPE, r#"active eq "true""#),
        (&USER_TYPE, "userName eq 5"),
        (&USER_TYPE, r#"meta.created gt "yesterday""#),
        (&USER_TYPE, r#"name eq "x""#),
        (&GROUP_TYPE, r#"userName eq "x""#),
    ] {
        assert!(verdict(rt, text).is_err(), "{text} was accepted");
    }
    let Err(detail) = verdict(&USER_TYPE, "title pr") else {
        panic!("accepted")
    };
    assert!(detail.contains("title"), "{detail}");
}
