//! Attribute lookup by path: case-insensitive, URN-prefixed or not, sub-attributes, common
//! attributes, and what the filters take caseExact from.

use rosetta_scim::schema::{urn, AttrType, GROUP_TYPE, USER_TYPE};

#[test]
fn core_attributes_in_any_case_with_or_without_urn() {
    for text in [
        "userName",
        "USERNAME",
        "urn:ietf:params:scim:schemas:core:2.0:User:userName",
        "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:username",
    ] {
        let Some(found) = USER_TYPE.resolve_str(text) else {
            panic!("{text} did not resolve")
        };
        assert_eq!(found.attr.name, "userName", "{text}");
        assert!(!found.case_exact(), "{text}");
        assert!(!found.is_extension());
    }
}

#[test]
fn sub_attributes() {
    let Some(found) = USER_TYPE.resolve_str("name.GIVENNAME") else {
        panic!("name.givenName did not resolve")
    };
    assert_eq!(found.attr.name, "name");
    assert_eq!(found.target().name, "givenName");
    let Some(emails) = USER_TYPE.resolve_str("emails.value") else {
        panic!("emails.value did not resolve")
    };
    assert_eq!(emails.target().ty, AttrType::String);
    assert!(USER_TYPE.resolve_str("name.nickName").is_none());
    assert!(USER_TYPE.resolve_str("userName.sub").is_none());
}

#[test]
fn extension_attributes_by_urn_or_bare_name() {
    let full = format!("{}:employeeNumber", urn::ENTERPRISE_USER);
    let Some(found) = USER_TYPE.resolve_str(&full) else {
        panic!("{full} did not resolve")
    };
    assert_eq!(found.extension.map(|s| s.id), Some(urn::ENTERPRISE_USER));
    assert_eq!(found.attr.name, "employeeNumber");
    let Some(bare) = USER_TYPE.resolve_str("costcenter") else {
        panic!("costCenter did not resolve")
    };
    assert!(bare.is_extension());
    // The enterprise extension is not the Group's.
    assert!(GROUP_TYPE.resolve_str(&full).is_none());
}

#[test]
fn common_attributes_resolve_and_id_is_case_exact() {
    let Some(id) = USER_TYPE.resolve_str("id") else {
        panic!("id did not resolve")
    };
    assert!(id.case_exact());
    let Some(modified) = GROUP_TYPE.resolve_str("meta.lastModified") else {
        panic!("meta.lastModified did not resolve")
    };
    assert_eq!(modified.target().ty, AttrType::DateTime);
    assert!(GROUP_TYPE.resolve_str("externalId").is_some());
    assert!(GROUP_TYPE.resolve_str("members.value").is_some());
    assert!(GROUP_TYPE.resolve_str("userName").is_none());
    assert!(USER_TYPE
        .resolve_str("urn:ietf:params:scim:schemas:core:2.0:Group:displayName")
        .is_none());
}

#[test]
fn nothing_for_malformed_text() {
    for text in ["", ".", "name.", "urn:x:", "  "] {
        assert!(USER_TYPE.resolve_str(text).is_none(), "{text:?}");
    }
}
