//! The discovery documents, pinned by snapshots, and what they must say to be true.

use rosetta_scim::discovery;
use rosetta_scim::schema::urn;

const BASE: &str = "https://gw.example.com/scim/v2/";

#[test]
fn service_provider_config_snapshot() {
    insta::assert_json_snapshot!(discovery::service_provider_config(BASE));
}

#[test]
fn service_provider_config_is_true_to_what_is_built() {
    let doc = discovery::service_provider_config(BASE);
    assert_eq!(doc["patch"]["supported"], true);
    assert_eq!(doc["bulk"]["supported"], false);
    assert_eq!(doc["filter"]["supported"], true);
    assert_eq!(doc["filter"]["maxResults"], 1000);
    assert_eq!(doc["sort"]["supported"], true);
    assert_eq!(doc["etag"]["supported"], true);
    assert_eq!(doc["changePassword"]["supported"], true);
    assert_eq!(doc["authenticationSchemes"][0]["type"], "oauthbearertoken");
    assert_eq!(
        doc["meta"]["location"],
        "https://gw.example.com/scim/v2/ServiceProviderConfig"
    );
}

#[test]
fn schemas_snapshot() {
    insta::assert_json_snapshot!(discovery::schemas(BASE));
}

#[test]
fn resource_types_snapshot() {
    insta::assert_json_snapshot!(discovery::resource_types(BASE));
}

#[test]
fn one_schema_by_urn_in_any_case() {
    let doc = discovery::schema(BASE, &urn::ENTERPRISE_USER.to_ascii_uppercase());
    let Some(doc) = doc else {
        panic!("the enterprise schema was not found")
    };
    assert_eq!(doc["id"], urn::ENTERPRISE_USER);
    assert_eq!(
        doc["meta"]["location"],
        format!(
            "https://gw.example.com/scim/v2/Schemas/{}",
            urn::ENTERPRISE_USER
        )
    );
    assert!(discovery::schema(BASE, "urn:ietf:params:scim:schemas:core:2.0:Nope").is_none());
}

#[test]
fn one_resource_type_by_name() {
    let Some(doc) = discovery::resource_type(BASE, "group") else {
        panic!("Group was not found")
    };
    assert_eq!(doc["endpoint"], "/Groups");
    assert_eq!(doc["schema"], urn::GROUP);
    assert!(discovery::resource_type(BASE, "Widget").is_none());
}

#[test]
fn the_list_documents_count_what_they_hold() {
    let schemas = discovery::schemas(BASE);
    assert_eq!(schemas["totalResults"], 3);
    assert_eq!(schemas["Resources"].as_array().map(Vec::len), Some(3));
    let types = discovery::resource_types(BASE);
    assert_eq!(types["totalResults"], 2);
}

#[test]
fn password_is_write_only_and_never_returned_and_groups_read_only() {
    let Some(user) = discovery::schema(BASE, urn::USER) else {
        panic!("no User schema")
    };
    let attrs = user["attributes"].as_array().cloned().unwrap_or_default();
    let find = |name: &str| attrs.iter().find(|a| a["name"] == name).cloned();
    let password = find("password").unwrap_or_default();
    assert_eq!(password["mutability"], "writeOnly");
    assert_eq!(password["returned"], "never");
    assert_eq!(find("groups").unwrap_or_default()["mutability"], "readOnly");
    let user_name = find("userName").unwrap_or_default();
    assert_eq!(user_name["caseExact"], false);
    assert_eq!(user_name["uniqueness"], "server");
    assert_eq!(user_name["required"], true);
}

#[test]
fn the_tenant_role_catalogue_is_the_roles_canonical_values() {
    let catalogue = discovery::Catalogue {
        role_numbers: vec!["2".into(), "6".into(), "11".into()],
        perm_names: vec!["reports".into()],
    };
    let Some(user) = discovery::schema_with(BASE, urn::USER, &catalogue) else {
        panic!("no User schema")
    };
    let roles = user["attributes"]
        .as_array()
        .and_then(|a| a.iter().find(|a| a["name"] == "roles").cloned())
        .unwrap_or_default();
    assert_eq!(roles["subAttributes"][0]["name"], "value");
    assert_eq!(
        roles["subAttributes"][0]["canonicalValues"],
        serde_json::json!(["2", "6", "11"])
    );
    let entitlements = user["attributes"]
        .as_array()
        .and_then(|a| a.iter().find(|a| a["name"] == "entitlements").cloned())
        .unwrap_or_default();
    assert_eq!(
        entitlements["subAttributes"][0]["canonicalValues"],
        serde_json::json!(["reports"])
    );
    let listed = discovery::schemas_with(BASE, &catalogue);
    assert_eq!(listed["Resources"][0], user);
}
