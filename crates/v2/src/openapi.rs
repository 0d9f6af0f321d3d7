//! The OpenAPI document of this dialect's JSON (`format=json`), one operation per route of
//! `ROUTES` (the server's drift test holds them together). The DataContract XML of
//! `format=xml` carries the same members and is not described here.

use actix_web::http::Method;
use rosetta_dialect::openapi::utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use rosetta_dialect::openapi::utoipa::openapi::{OpenApi, RefOr};
use rosetta_dialect::openapi::{one_of, schema_ref, string, Api, Op};
use serde_json::Value;
use utoipa::ToSchema;

use crate::wire::{UserResponse, UserSearchResponse};
use crate::{SEARCH, SEARCH_JSON, SEARCH_XML, USER, USER_JSON, USER_XML};

/// Both at once: the tenant's id and its key.
const KEY: &[&str] = &["CompanyId", "IntegrationKey"];
const JSON: &[&str] = &["application/json", "text/json"];

/// A device as written (`wire::DeviceInput`).
#[derive(ToSchema)]
#[allow(dead_code)]
struct UserDeviceIn {
    #[serde(rename = "Id")]
    id: String,
    #[serde(rename = "Name")]
    name: Option<String>,
    #[serde(rename = "OS")]
    os: Option<String>,
    #[serde(rename = "AppVersion")]
    app_version: Option<String>,
    #[serde(rename = "LastUsed")]
    last_used: Option<String>,
}

/// A user as written (`wire::UserInput`); read-only members are ignored, and any scalar may be
/// sent as a string.
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "PascalCase")]
struct UserIn {
    company_id: Option<Value>,
    external_id: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    status: Option<String>,
    folders: Option<Vec<uuid::Uuid>>,
    groups: Option<Vec<uuid::Uuid>>,
    website_role: Option<String>,
    user_devices: Option<Vec<UserDeviceIn>>,
    password: Option<String>,
    do_not_email: Option<bool>,
    reset_password: Option<bool>,
    integration_key: Option<String>,
}

/// A search in a POST body (`wire::SearchInput`); a member here wins over the query's.
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "PascalCase")]
struct SearchIn {
    name: Option<String>,
    email: Option<String>,
    external_id: Option<String>,
    status: Option<String>,
    page_no: Option<Value>,
    page_size: Option<Value>,
    include_deleted_user_audits: Option<Value>,
    company_id: Option<Value>,
    integration_key: Option<String>,
}

/// Every operation: the key, and on the plain paths `format` (without it, or with a `.json`
/// extension, the answer is JSON too; v2.md).
fn op(method: Method, path: &'static str, summary: &'static str) -> Op {
    let op = Op::new(method, path, summary).auth(KEY);
    if path.ends_with(".json") || path.ends_with(".xml") {
        op
    } else {
        op.query("format", one_of(&["json"]))
    }
}

fn search(method: Method, path: &'static str) -> Op {
    [
        "Name",
        "Email",
        "ExternalId",
        "Status",
        "PageNo",
        "PageSize",
        "IncludeDeletedUserAudits",
    ]
    .into_iter()
    .fold(op(method, path, "Search the tenant's users"), |op, q| {
        op.query(q, string())
    })
    .answer(
        200,
        "A page of users",
        Some(schema_ref::<UserSearchResponse>()),
    )
    .error_as::<UserSearchResponse>()
}

fn key(name: &str) -> SecurityScheme {
    SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::with_description(
        name,
        "CompanyId and IntegrationKey together (`rosetta tenant add` gives both)",
    )))
}

pub fn document() -> OpenApi {
    let user = || Some(schema_ref::<UserResponse>());
    // Refusals are a `UserResponse` (or `UserSearchResponse`) with its `ResponseStatus`.
    let mut api = Api::new::<UserResponse>("v2", "The v2 user API in its JSON format.")
        .security_scheme("CompanyId", key("CompanyId"))
        .security_scheme("IntegrationKey", key("IntegrationKey"))
        .schema::<UserSearchResponse>()
        .schema::<UserIn>()
        .schema::<SearchIn>();
    for (users, searches) in [
        (USER, SEARCH),
        (USER_JSON, SEARCH_JSON),
        (USER_XML, SEARCH_XML),
    ] {
        api = api
            .op(
                op(Method::GET, users, "One user, by Id, Email or ExternalId")
                    .query("Id", string())
                    .query("Email", string())
                    .query("ExternalId", string())
                    .answer(200, "The user", user())
                    .refusals(&[400, 401, 403, 404]),
            )
            .op(op(Method::POST, users, "Create a user")
                .body(schema_ref::<UserIn>(), true, JSON)
                .answer(200, "The user created", user())
                .refusals(&[400, 401, 403, 409, 413, 415]))
            .op(op(Method::DELETE, users, "Delete a user, by Id")
                .query("Id", string())
                .answer(200, "The user as it was", user())
                .refusals(&[400, 401, 403, 404]))
            .op(search(Method::GET, searches).refusals(&[400, 401, 403]))
            .op(search(Method::POST, searches)
                .body(schema_ref::<SearchIn>(), false, JSON)
                .refusals(&[400, 401, 403, 413, 415]));
    }
    let mut doc = api.build();
    as_xml(&mut doc);
    doc
}

/// The `.xml` paths answer the same members as DataContract XML: their answers are declared
/// `application/xml` (the schemas describe the JSON of the other paths).
fn as_xml(doc: &mut OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        if !path.ends_with(".xml") {
            continue;
        }
        let ops = [&mut item.get, &mut item.post, &mut item.delete];
        for op in ops.into_iter().flatten() {
            for response in op.responses.responses.values_mut() {
                if let RefOr::T(r) = response {
                    if let Some(c) = r.content.shift_remove("application/json") {
                        r.content.insert("application/xml".to_owned(), c);
                    }
                }
            }
        }
    }
}
