//! The JSON matcher behind value filters, over a whole resource: every operator, and/or/not,
//! caseExact per attribute, dateTimes as instants, extension URNs.

use rosetta_scim::matcher::matches;
use rosetta_scim::parse_filter;
use rosetta_scim::schema::USER_TYPE;

use crate::user;

fn holds(text: &str) -> bool {
    match parse_filter(text) {
        Ok(f) => matches(&USER_TYPE, None, &f, &user()),
        Err(e) => panic!("{text}: {e}"),
    }
}

#[test]
fn every_operator() {
    for (text, expected) in [
        (r#"userName eq "BJENSEN@example.com""#, true),
        (r#"userName ne "bjensen@example.com""#, false),
        (r#"userName co "jensen""#, true),
        (r#"userName sw "bj""#, true),
        (r#"userName ew ".COM""#, true),
        (r#"userName gt "a""#, true),
        (r#"userName ge "bjensen@example.com""#, true),
        (r#"userName lt "a""#, false),
        (r#"userName le "a""#, false),
        ("title pr", false),
        ("name.givenName pr", true),
        ("active eq true", true),
        ("active eq false", false),
        (r#"nickName ne "x""#, true),
    ] {
        assert_eq!(holds(text), expected, "{text}");
    }
}

#[test]
fn case_exact_attributes_compare_exactly() {
    assert!(holds(r#"id eq "2819c223-7f76-453a-919d-413861904646""#));
    assert!(!holds(r#"id eq "2819C223-7F76-453A-919D-413861904646""#));
    assert!(!holds(
        r#"groups.value eq "E9E30DBA-F08F-4109-8486-D5C6A331660A""#
    ));
    assert!(holds(
        r#"groups.value eq "e9e30dba-f08f-4109-8486-d5c6a331660a""#
    ));
}

#[test]
fn date_times_compare_as_instants() {
    assert!(holds(r#"meta.lastModified gt "2011-05-13T04:42:34+01:00""#));
    assert!(holds(r#"meta.lastModified eq "2011-05-13T05:42:34+01:00""#));
    assert!(!holds(r#"meta.created ge "2011-01-01T00:00:00Z""#));
}

#[test]
fn logic_value_paths_and_extensions() {
    assert!(holds(
        r#"emails[type eq "work" and value co "@example.com"]"#
    ));
    assert!(!holds(r#"emails[type eq "home"]"#));
    assert!(holds(
        r#"emails.value ew "example.com" and not (active eq false)"#
    ));
    assert!(holds(r#"userName eq "nobody" or emails co "bjensen""#));
    assert!(holds(
        r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984""#
    ));
    assert!(holds(r#"costCenter eq "4130""#));
    assert!(!holds(r#"entitlements.value eq "billing""#));
    assert!(holds(r#"groups.display eq "tour guides""#));
}
