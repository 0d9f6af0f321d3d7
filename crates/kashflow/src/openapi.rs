//! The OpenAPI document of this dialect's JSON, one operation per route of `ROUTES` (the
//! server's drift test holds them together). XML, negotiated by `Accept` and `Content-Type`,
//! carries the same members and is not described here.

use actix_web::http::Method;
use rosetta_dialect::openapi::utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use rosetta_dialect::openapi::utoipa::openapi::OpenApi;
use rosetta_dialect::openapi::{schema_ref, Api, Op};
use utoipa::ToSchema;

use crate::wire::{ErrorBody, SessionTokenResponse, TemporaryTokenResponse, User, UserList};

const TOKEN: &[&str] = &["KfToken"];
const JSON: &[&str] = &["application/json"];

/// What POST and PUT /users read (`requests::UserBody`); read-only members are ignored.
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "PascalCase")]
struct UserIn {
    number: Option<i64>,
    full_name: Option<String>,
    role_number: Option<i64>,
    username: Option<String>,
    email: Option<String>,
    password: Option<String>,
    memorable_word: Option<String>,
    user_account_disabled: Option<bool>,
}

/// Step 1 of the login (`requests::LoginBody`).
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "PascalCase")]
struct LoginIn {
    user_name: String,
    password: String,
}

/// One memorable-word character given in step 2.
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "PascalCase")]
struct CharacterIn {
    position: i64,
    value: Option<String>,
}

/// Step 2 of the login (`requests::CompleteBody`).
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "PascalCase")]
struct CompleteIn {
    temporary_token: String,
    memorable_word_list: Vec<CharacterIn>,
}

/// The three routes of one user, under either spelling of the path.
fn user_ops(api: Api, path: &'static str) -> Api {
    api.op(Op::new(Method::GET, path, "One user")
        .auth(TOKEN)
        .answer(200, "The user", Some(schema_ref::<User>()))
        .refusals(&[401, 403, 404]))
        .op(Op::new(Method::PUT, path, "Change a user")
            .auth(TOKEN)
            .body(schema_ref::<UserIn>(), true, JSON)
            .answer(200, "The user as changed", Some(schema_ref::<User>()))
            .refusals(&[400, 401, 403, 404, 409, 413, 415]))
        .op(Op::new(Method::DELETE, path, "Delete a user")
            .auth(TOKEN)
            .answer(204, "Deleted", None)
            .refusals(&[401, 403, 404]))
}

pub fn document() -> OpenApi {
    let api = Api::new::<ErrorBody>(
        "kashflow",
        "KashFlow-style users and the two-step session-token login.",
    )
    .security_scheme(
        "KfToken",
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            "Authorization",
            "`KfToken <SessionToken>`, the token PUT /sessiontoken gave",
        ))),
    )
    .schema::<User>()
    .schema::<UserList>()
    .schema::<UserIn>()
    .schema::<LoginIn>()
    .schema::<CompleteIn>()
    .schema::<TemporaryTokenResponse>()
    .schema::<SessionTokenResponse>()
    .op(Op::new(
        Method::POST,
        "/sessiontoken",
        "Login, step 1: username and password",
    )
    .body(schema_ref::<LoginIn>(), true, JSON)
    .answer(
        200,
        "A temporary token and the memorable-word positions to answer",
        Some(schema_ref::<TemporaryTokenResponse>()),
    )
    .refusals(&[400, 401, 413, 415]))
    .op(Op::new(
        Method::PUT,
        "/sessiontoken",
        "Login, step 2: memorable-word characters",
    )
    .body(schema_ref::<CompleteIn>(), true, JSON)
    .answer(
        200,
        "The session token",
        Some(schema_ref::<SessionTokenResponse>()),
    )
    .refusals(&[400, 401, 413, 415]))
    .op(Op::new(Method::DELETE, "/sessiontoken", "Logout")
        .auth(TOKEN)
        .answer(204, "The session ended", None)
        .refusals(&[401]))
    .op(Op::new(Method::GET, "/users", "Every user of the tenant")
        .auth(TOKEN)
        .answer(200, "The users", Some(schema_ref::<UserList>()))
        .refusals(&[401, 403]))
    .op(Op::new(Method::POST, "/users", "Create a user")
        .auth(TOKEN)
        .body(schema_ref::<UserIn>(), true, JSON)
        .answer(201, "The user created", Some(schema_ref::<User>()))
        .refusals(&[400, 401, 403, 409, 413, 415]));
    user_ops(user_ops(api, "/users/{number}"), "/user/{number}").build()
}
