#![allow(clippy::unwrap_used)]

use actix_web::http::Method;
use actix_web::HttpResponse;
use serde::Serialize;
use utoipa::ToSchema;

use super::*;
use crate::table::{AppData, Route};

#[derive(Serialize, ToSchema)]
struct Oops {
    message: String,
}

#[derive(Serialize, ToSchema)]
struct Thing {
    id: i64,
    parts: Vec<Part>,
}

#[derive(Serialize, ToSchema)]
struct Part {
    name: Option<String>,
}

const ROUTES: &[Route] = &[
    Route::new(Method::GET, "/things", |r| r.to(HttpResponse::Ok)),
    Route::new(Method::GET, "/things/{id}", |r| r.to(HttpResponse::Ok)),
    Route::new(Method::PUT, "/things/{id}", |r| r.to(HttpResponse::Ok)),
];

fn partial() -> OpenApi {
    Api::new::<Oops>("things", "a test")
        .schema::<Thing>()
        .op(Op::new(Method::GET, "/things", "list").answer(
            200,
            "the things",
            Some(schema_ref::<Thing>()),
        ))
        .op(Op::new(Method::GET, "/things/{id}", "one").refusals(&[404]))
        .op(Op::new(Method::DELETE, "/things/{id}", "not served"))
        .build()
}

const DIALECT: Dialect = Dialect {
    name: "test",
    default_prefix: "/t",
    routes: ROUTES,
    other_methods: &[],
    render: |_, _| None,
    unmatched: |_, _| actix_web::HttpResponse::NotFound().finish(),
    state: AppData::none,
    openapi: partial,
};

#[test]
fn drift_names_routes_missing_and_operations_not_served() {
    assert_eq!(
        undocumented(&DIALECT),
        ["PUT /things/{id}", "document: DELETE /things/{id}"]
    );
}

#[test]
fn an_operation_lists_its_parameters_refusals_and_schemas() {
    let doc = serde_json::to_value(document_at(&DIALECT, "/t")).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let one = &doc["paths"]["/t/things/{id}"]["get"];
    assert_eq!(one["parameters"][0]["name"], "id");
    assert_eq!(one["parameters"][0]["in"], "path");
    let statuses: Vec<&String> = one["responses"].as_object().unwrap().keys().collect();
    assert_eq!(statuses, ["404", "405", "408"]);
    assert_eq!(
        one["responses"]["404"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Oops"
    );
    // Nested schemas are collected with the one named.
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    assert!(
        schemas.contains_key("Part") && schemas.contains_key("Thing"),
        "{schemas:?}"
    );
}
