//! The OpenAPI document of this dialect, one operation per route of `ROUTES` (the server's
//! drift test holds them together).

use actix_web::http::Method;
use rosetta_dialect::openapi::utoipa::openapi::security::{
    HttpAuthScheme, HttpBuilder, SecurityScheme,
};
use rosetta_dialect::openapi::utoipa::openapi::OpenApi;
use rosetta_dialect::openapi::{array_of, schema_ref, Api, Op};

use crate::wire::{Deleted, ErrorBody, UserIn, UserOut};

const BEARER: &[&str] = &["Bearer"];
/// The media types a body may say it is (none at all is read as JSON too).
const JSON: &[&str] = &["application/json", "text/json", "text/javascript"];

/// POST and PUT of one path are the same operation.
fn both(api: Api, f: impl Fn(Method) -> Op) -> Api {
    api.op(f(Method::POST)).op(f(Method::PUT))
}

fn list(path: &'static str) -> Op {
    Op::new(
        Method::GET,
        path,
        "Every user whose default account is accountId",
    )
    .auth(BEARER)
    .answer(200, "The users", Some(array_of::<UserOut>()))
    .refusals(&[401, 403, 404])
}

pub fn document() -> OpenApi {
    let api = Api::new::<ErrorBody>(
        "usr",
        "usr users: addUser, getUser, modifyUser, deleteUser.",
    )
    .security_scheme(
        "Bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some("a usr credential (`rosetta credential add`)"))
                .build(),
        ),
    )
    .schema::<UserIn>()
    .schema::<UserOut>()
    .schema::<Deleted>()
    .op(list("/pub/usr/acc/{accountId}"))
    .op(list("/usr/acc/{accountId}"));
    let api = both(api, |m| {
        Op::new(m, "/usr/new", "addUser")
            .auth(BEARER)
            .body(schema_ref::<UserIn>(), true, JSON)
            .answer(201, "The user created", Some(schema_ref::<UserOut>()))
            .refusals(&[400, 401, 403, 409, 413, 415])
    });
    let api = api.op(Op::new(Method::GET, "/usr/{userId}", "getUser")
        .auth(BEARER)
        .answer(200, "The user", Some(schema_ref::<UserOut>()))
        .refusals(&[401, 403, 404]));
    let api = both(api, |m| {
        Op::new(m, "/usr/{userId}", "modifyUser")
            .auth(BEARER)
            .body(schema_ref::<UserIn>(), true, JSON)
            .answer(200, "The user as changed", Some(schema_ref::<UserOut>()))
            .refusals(&[400, 401, 403, 404, 409, 413, 415])
    });
    api.op(Op::new(Method::DELETE, "/usr/{userId}", "deleteUser")
        .auth(BEARER)
        .answer(200, "The user was deleted", Some(schema_ref::<Deleted>()))
        .refusals(&[401, 403, 404]))
        .build()
}
