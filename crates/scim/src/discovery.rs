//! The discovery documents (RFC 7644 section 4, RFC 7643 sections 5 to 7) as JSON, given the
//! absolute base URL of the mount. They say only what is built: PATCH, filters (at most
//! [`MAX_RESULTS`] per page), sorting, ETags and password changes, no bulk.

use serde_json::{json, Map, Value};

use crate::schema::{urn, Attribute, ResourceType, Schema, RESOURCE_TYPES, SCHEMAS};

/// The most resources one page gives (`filter.maxResults`; also the cap on `count`).
pub const MAX_RESULTS: u64 = 1000;

/// `GET /ServiceProviderConfig`.
pub fn service_provider_config(base: &str) -> Value {
    json!({
        "schemas": [urn::SERVICE_PROVIDER_CONFIG],
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": true},
        "sort": {"supported": true},
        "etag": {"supported": true},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "OAuth Bearer Token",
            "description": "A bearer token from `rosetta credential create --dialect scim`, in the Authorization header.",
            "specUri": "https://www.rfc-editor.org/info/rfc6750",
            "primary": true,
        }],
        "meta": meta("ServiceProviderConfig", format!("{}/ServiceProviderConfig", trim(base))),
    })
}

/// What of a tenant the schemas show as canonicalValues: its role catalogue's numbers for
/// `roles.value`, and permission names for `entitlements.value`, so that a client picking from
/// them (scim2-tester does) writes a role that exists and a permission name that is valid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalogue {
    pub role_numbers: Vec<String>,
    pub perm_names: Vec<String>,
}

/// `GET /Schemas`: a ListResponse of every schema.
pub fn schemas(base: &str) -> Value {
    schemas_with(base, &Catalogue::default())
}

/// `GET /Schemas` for a tenant with `catalogue`.
pub fn schemas_with(base: &str, catalogue: &Catalogue) -> Value {
    list(
        SCHEMAS
            .iter()
            .map(|s| schema_document(base, s, catalogue))
            .collect(),
    )
}

/// `GET /Schemas/{urn}`, `urn` in any letter case; `None` is a 404.
pub fn schema(base: &str, id: &str) -> Option<Value> {
    schema_with(base, id, &Catalogue::default())
}

/// `GET /Schemas/{urn}` for a tenant with `catalogue`.
pub fn schema_with(base: &str, id: &str, catalogue: &Catalogue) -> Option<Value> {
    SCHEMAS
        .iter()
        .find(|s| s.id.eq_ignore_ascii_case(id))
        .map(|s| schema_document(base, s, catalogue))
}

/// `GET /ResourceTypes`.
pub fn resource_types(base: &str) -> Value {
    list(
        RESOURCE_TYPES
            .iter()
            .map(|rt| resource_type_document(base, rt))
            .collect(),
    )
}

/// `GET /ResourceTypes/{name}`, `name` in any letter case; `None` is a 404.
pub fn resource_type(base: &str, name: &str) -> Option<Value> {
    crate::schema::resource_type_named(name).map(|rt| resource_type_document(base, rt))
}

fn trim(base: &str) -> &str {
    base.trim_end_matches('/')
}

fn meta(resource_type: &str, location: String) -> Value {
    json!({"resourceType": resource_type, "location": location})
}

/// A ListResponse of the whole set: discovery endpoints do not page (RFC 7644 section 4).
fn list(resources: Vec<Value>) -> Value {
    json!({
        "schemas": [urn::LIST_RESPONSE],
        "totalResults": resources.len(),
        "itemsPerPage": resources.len(),
        "startIndex": 1,
        "Resources": resources,
    })
}

fn resource_type_document(base: &str, rt: &ResourceType) -> Value {
    let ResourceType {
        id,
        endpoint,
        description,
        schema,
        extensions,
    } = rt;
    let extensions: Vec<Value> = extensions
        .iter()
        .map(|s| json!({"schema": s.id, "required": false}))
        .collect();
    json!({
        "schemas": [urn::RESOURCE_TYPE],
        "id": id,
        "name": id,
        "endpoint": endpoint,
        "description": description,
        "schema": schema.id,
        "schemaExtensions": extensions,
        "meta": meta("ResourceType", format!("{}/ResourceTypes/{id}", trim(base))),
    })
}

fn schema_document(base: &str, schema: &Schema, catalogue: &Catalogue) -> Value {
    let Schema {
        id,
        name,
        description,
        attributes,
    } = schema;
    json!({
        "schemas": [urn::SCHEMA],
        "id": id,
        "name": name,
        "description": description,
        "attributes": attributes
            .iter()
            .map(|a| attribute_document(a, None, catalogue))
            .collect::<Vec<_>>(),
        "meta": meta("Schema", format!("{}/Schemas/{id}", trim(base))),
    })
}

/// One attribute (RFC 7643 section 7); `canonicalValues`, `referenceTypes` and
/// `subAttributes` only where they apply.
fn attribute_document(attr: &Attribute, parent: Option<&str>, catalogue: &Catalogue) -> Value {
    let Attribute {
        name,
        ty,
        multi_valued,
        required,
        // Not announced: RFC 7643 has no word for it; the value is required either way.
        defaulted: _,
        case_exact,
        mutability,
        returned,
        uniqueness,
        canonical_values,
        reference_types,
        sub_attributes,
        description,
    } = attr;
    let mut doc = Map::new();
    doc.insert("name".into(), Value::from(*name));
    doc.insert("type".into(), Value::from(ty.as_str()));
    doc.insert("multiValued".into(), Value::from(*multi_valued));
    doc.insert("description".into(), Value::from(*description));
    doc.insert("required".into(), Value::from(*required));
    doc.insert("caseExact".into(), Value::from(*case_exact));
    doc.insert("mutability".into(), Value::from(mutability.as_str()));
    doc.insert("returned".into(), Value::from(returned.as_str()));
    doc.insert("uniqueness".into(), Value::from(uniqueness.as_str()));
    let tenant = match (parent, *name) {
        (Some("roles"), "value") => catalogue.role_numbers.as_slice(),
        (Some("entitlements"), "value") => catalogue.perm_names.as_slice(),
        _ => &[],
    };
    if !tenant.is_empty() {
        doc.insert("canonicalValues".into(), Value::from(tenant.to_vec()));
    } else if !canonical_values.is_empty() {
        let values = canonical_values.to_vec();
        doc.insert("canonicalValues".into(), Value::from(values));
    }
    if !reference_types.is_empty() {
        doc.insert(
            "referenceTypes".into(),
            Value::from(reference_types.to_vec()),
        );
    }
    if !sub_attributes.is_empty() {
        let subs: Vec<Value> = sub_attributes
            .iter()
            .map(|s| attribute_document(s, Some(name), catalogue))
            .collect();
        doc.insert("subAttributes".into(), Value::from(subs));
    }
    Value::Object(doc)
}
