//! The OpenAPI document of this dialect, one operation per route of `ROUTES` (the server's
//! drift test holds them together).

use actix_web::http::Method;
use rosetta_dialect::openapi::utoipa::openapi::schema::{ObjectBuilder, Schema};
use rosetta_dialect::openapi::utoipa::openapi::security::{
    HttpAuthScheme, HttpBuilder, SecurityScheme,
};
use rosetta_dialect::openapi::utoipa::openapi::OpenApi;
use rosetta_dialect::openapi::utoipa::openapi::RefOr;
use rosetta_dialect::openapi::{schema_ref, string, Api, Op};

use crate::wire::{
    ErrorBody, GroupIn, GroupOut, ListResponse, PatchOpIn, SearchRequest, UserIn, UserOut,
    SCIM_JSON,
};

const BEARER: &[&str] = &["Bearer"];
/// The media types a body may say it is (none at all is read as JSON too).
const JSON: &[&str] = &[SCIM_JSON, "application/json"];

pub fn document() -> OpenApi {
    Api::new::<ErrorBody>(
        "scim",
        "SCIM 2.0 (RFC 7643, RFC 7644): Users, Groups, discovery.",
    )
    .answers_as(SCIM_JSON)
    .security_scheme(
        "Bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(
                    "a scim credential (`rosetta credential create --dialect scim`)",
                ))
                .build(),
        ),
    )
    .schema::<UserIn>()
    .schema::<UserOut>()
    .schema::<ListResponse>()
    .schema::<SearchRequest>()
    .schema::<PatchOpIn>()
    .schema::<GroupIn>()
    .schema::<GroupOut>()
    .op(Op::new(Method::GET, "/Users", "Query Users")
        .auth(BEARER)
        .query("filter", string())
        .query("sortBy", string())
        .query("sortOrder", string())
        .query("startIndex", string())
        .query("count", string())
        .query("attributes", string())
        .query("excludedAttributes", string())
        .answer(
            200,
            "A ListResponse of Users",
            Some(schema_ref::<ListResponse>()),
        )
        .refusals(&[400, 401]))
    .op(Op::new(Method::POST, "/Users", "Create a User")
        .auth(BEARER)
        .body(schema_ref::<UserIn>(), true, JSON)
        .answer(201, "The User created", Some(schema_ref::<UserOut>()))
        .refusals(&[400, 401, 403, 409, 413, 415]))
    .op(Op::new(
        Method::POST,
        "/Users/.search",
        "Query Users (SearchRequest)",
    )
    .auth(BEARER)
    .body(schema_ref::<SearchRequest>(), true, JSON)
    .answer(
        200,
        "A ListResponse of Users",
        Some(schema_ref::<ListResponse>()),
    )
    .refusals(&[400, 401, 413, 415]))
    .op(Op::new(Method::GET, "/Users/{id}", "Read a User")
        .auth(BEARER)
        .answer(200, "The User", Some(schema_ref::<UserOut>()))
        .answer(304, "Not modified (If-None-Match)", None)
        .refusals(&[400, 401, 404]))
    .op(Op::new(Method::PUT, "/Users/{id}", "Replace a User")
        .auth(BEARER)
        .body(schema_ref::<UserIn>(), true, JSON)
        .answer(200, "The User as replaced", Some(schema_ref::<UserOut>()))
        .refusals(&[400, 401, 403, 404, 409, 412, 413, 415]))
    .op(
        Op::new(Method::PATCH, "/Users/{id}", "Modify a User (PatchOp)")
            .auth(BEARER)
            .body(schema_ref::<PatchOpIn>(), true, JSON)
            .answer(200, "The User as modified", Some(schema_ref::<UserOut>()))
            .refusals(&[400, 401, 403, 404, 409, 412, 413, 415]),
    )
    .op(Op::new(Method::DELETE, "/Users/{id}", "Delete a User")
        .auth(BEARER)
        .answer(204, "The User was deleted", None)
        .refusals(&[401, 403, 404, 412]))
    .op(discovery(
        "/ServiceProviderConfig",
        "The service provider's configuration",
    ))
    .op(discovery(
        "/ResourceTypes",
        "The resource types (a ListResponse)",
    ))
    .op(discovery("/ResourceTypes/{name}", "One resource type"))
    .op(discovery("/Schemas", "The schemas (a ListResponse)"))
    .op(discovery("/Schemas/{urn}", "One schema"))
    .op(
        Op::new(Method::GET, "/{unknown}", "No endpoint: a SCIM 404")
            .auth(BEARER)
            .refusals(&[401, 404]),
    )
    .build()
}

/// A discovery document: JSON as RFC 7643 section 5 to 7 describes it.
fn discovery(path: &'static str, summary: &'static str) -> Op {
    Op::new(Method::GET, path, summary)
        .auth(BEARER)
        .answer(200, summary, Some(object()))
        .refusals(&[401, 404])
}

/// Any JSON object.
fn object() -> RefOr<Schema> {
    RefOr::T(Schema::Object(ObjectBuilder::new().build()))
}
