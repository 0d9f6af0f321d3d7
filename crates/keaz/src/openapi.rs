//! The OpenAPI document of this dialect, one operation per route of `ROUTES` (the server's
//! drift test holds them together).

use actix_web::http::Method;
use rosetta_dialect::openapi::utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use rosetta_dialect::openapi::utoipa::openapi::OpenApi;
use rosetta_dialect::openapi::{array_of, schema_ref, string, Api, Op};
use serde_json::Value;
use utoipa::ToSchema;

use crate::errors::Envelope;
use crate::wire::{BookingHash, TicketHash, TokenHash, UserHash};
use crate::{
    ACTIVATE, ASSET, ASSETS, BOOKINGS, BOOKINGS_Y, BOOKINGS_YM, BOOKINGS_YMD, BOOKINGS_YMDH,
    IMPORT, LICENSE_TYPES, LOGIN, PERMS, RESEND, USER, USERS, USER_BY_EMAIL, USER_NEW,
};

/// The token goes in a `token` header or in `?token=`: either one will do.
const TOKEN: [&[&str]; 2] = [&["TokenHeader"], &["TokenQuery"]];
const JSON: &[&str] = &["application/json"];

/// A user hash as a client writes it (`wire::UserInput`): scalars are strings or numbers,
/// lists are of names; `null` clears. Members keaz does not know are ignored.
#[derive(ToSchema)]
#[allow(dead_code)]
struct UserHashIn {
    id: Option<Value>,
    name: Option<Value>,
    email: Option<Value>,
    password: Option<Value>,
    status: Option<Value>,
    employee_id: Option<Value>,
    contact_number: Option<Value>,
    license_number: Option<Value>,
    license_expiry_month: Option<Value>,
    license_expiry_year: Option<Value>,
    license_type: Option<Value>,
    license_country: Option<Value>,
    #[serde(rename = "cost-centre_id")]
    cost_centre_id: Option<Value>,
    #[serde(rename = "activated-via-company-id")]
    activated_via_company_id: Option<Value>,
    company_id: Option<Value>,
    perms: Option<Vec<Value>>,
    #[serde(rename = "license-types")]
    license_types: Option<Vec<Value>>,
    branch_ids: Option<Vec<Value>>,
}

/// POST /login.
#[derive(ToSchema)]
#[allow(dead_code)]
struct LoginIn {
    email: String,
    password: String,
}

/// POST /activate/{ticket}: the password of a user created without one.
#[derive(ToSchema)]
#[allow(dead_code)]
struct ActivateIn {
    password: Option<String>,
}

/// POST /user/{id}/bookings; times in ISO 8601.
#[derive(ToSchema)]
#[allow(dead_code)]
struct BookingIn {
    asset: String,
    start: String,
    end: String,
}

/// Any JSON document (a stored asset).
#[derive(ToSchema)]
#[allow(dead_code)]
struct Asset(Value);

fn authed(op: Op) -> Op {
    op.auth(TOKEN[0]).auth(TOKEN[1])
}

fn scheme(key: ApiKey) -> SecurityScheme {
    SecurityScheme::ApiKey(key)
}

fn bookings(api: Api, path: &'static str) -> Api {
    api.op(authed(Op::new(
        Method::GET,
        path,
        "A user's bookings in a UTC period",
    ))
    .answer(200, "The bookings", Some(array_of::<BookingHash>()))
    .refusals(&[400, 401, 403, 404]))
}

pub fn document() -> OpenApi {
    let login = |m: Method| {
        Op::new(m, LOGIN, "Log in with email and password").answer(
            200,
            "A session token",
            Some(schema_ref::<TokenHash>()),
        )
    };
    let names = |m: Method, path: &'static str, what: &'static str| {
        authed(Op::new(m, path, what)).answer(200, "The names", Some(array_of::<String>()))
    };
    let api = Api::new::<Envelope>(
        "keaz",
        "keaz users, perms, activation, assets and bookings.",
    )
    .security_scheme(
        "TokenHeader",
        scheme(ApiKey::Header(ApiKeyValue::with_description(
            "token",
            "the token POST /login gave",
        ))),
    )
    .security_scheme(
        "TokenQuery",
        scheme(ApiKey::Query(ApiKeyValue::with_description(
            "token",
            "the token POST /login gave",
        ))),
    )
    .schema::<UserHash>()
    .schema::<UserHashIn>()
    .schema::<LoginIn>()
    .schema::<ActivateIn>()
    .schema::<BookingIn>()
    .schema::<BookingHash>()
    .schema::<TokenHash>()
    .schema::<TicketHash>()
    .schema::<Asset>()
    .op(login(Method::POST)
        .body(
            schema_ref::<LoginIn>(),
            true,
            &["application/json", "application/x-www-form-urlencoded"],
        )
        .refusals(&[400, 401, 413, 415]))
    .op(login(Method::GET)
        .query("email", string())
        .query("password", string())
        .refusals(&[400, 401]))
    .op(
        authed(Op::new(Method::GET, USERS, "Every user of the tenant"))
            .answer(200, "The users", Some(array_of::<UserHash>()))
            .refusals(&[401, 403]),
    )
    .op(authed(Op::new(Method::POST, USER_NEW, "Create a user"))
        .body(schema_ref::<UserHashIn>(), true, JSON)
        .answer(201, "The user created", Some(schema_ref::<UserHash>()))
        .refusals(&[400, 401, 403, 409, 413, 415]))
    .op(
        authed(Op::new(Method::GET, USER_BY_EMAIL, "One user, by email"))
            .query("email", string())
            .answer(200, "The user", Some(schema_ref::<UserHash>()))
            .refusals(&[400, 401, 403, 404]),
    )
    .op(authed(Op::new(Method::GET, USER, "One user"))
        .answer(200, "The user", Some(schema_ref::<UserHash>()))
        .refusals(&[401, 403, 404]))
    .op(authed(Op::new(Method::PUT, USER, "Change a user"))
        .body(schema_ref::<UserHashIn>(), true, JSON)
        .answer(200, "The user as changed", Some(schema_ref::<UserHash>()))
        .refusals(&[400, 401, 403, 404, 409, 413, 415]))
    .op(authed(Op::new(Method::DELETE, USER, "Delete a user"))
        .answer(204, "Deleted", None)
        .refusals(&[401, 403, 404]))
    .op(names(Method::GET, PERMS, "A user's perms").refusals(&[401, 403, 404]))
    .op(names(Method::PUT, PERMS, "Set a user's perms")
        .body(array_of::<String>(), true, JSON)
        .refusals(&[400, 401, 403, 404, 413, 415]))
    .op(names(Method::GET, LICENSE_TYPES, "A user's license types").refusals(&[401, 403, 404]))
    .op(
        names(Method::PUT, LICENSE_TYPES, "Set a user's license types")
            .body(array_of::<String>(), true, JSON)
            .refusals(&[400, 401, 403, 404, 413, 415]),
    )
    .op(authed(Op::new(
        Method::POST,
        RESEND,
        "Send the activation email again",
    ))
    .answer(200, "The user", Some(schema_ref::<UserHash>()))
    .refusals(&[401, 403, 404, 409]))
    .op(Op::new(Method::POST, ACTIVATE, "Activate a pending user")
        .body(schema_ref::<ActivateIn>(), false, JSON)
        .answer(200, "The user, now active", Some(schema_ref::<UserHash>()))
        .refusals(&[400, 404, 413, 415]))
    .op(
        Op::new(Method::GET, ACTIVATE, "Whether a ticket is still valid")
            .answer(200, "The ticket is valid", Some(schema_ref::<TicketHash>()))
            .refusals(&[404]),
    )
    .op(authed(Op::new(
        Method::POST,
        IMPORT,
        "Create users from CSV, all or none",
    ))
    .body(string(), true, &["text/csv"])
    .answer(201, "The users created", Some(array_of::<UserHash>()))
    .refusals(&[400, 401, 403, 409, 413, 415, 422]))
    .op(
        authed(Op::new(Method::GET, ASSETS, "A user's assets, by tag"))
            .answer(200, "The assets", Some(schema_ref::<Asset>()))
            .refusals(&[401, 403, 404]),
    )
    .op(authed(Op::new(Method::GET, ASSET, "One asset"))
        .answer(200, "The asset as stored", Some(schema_ref::<Asset>()))
        .refusals(&[400, 401, 403, 404]))
    .op(authed(Op::new(Method::POST, ASSET, "Store an asset"))
        .body(schema_ref::<Asset>(), true, JSON)
        .answer(200, "The asset replaced", Some(schema_ref::<Asset>()))
        .answer(201, "The asset stored", Some(schema_ref::<Asset>()))
        .refusals(&[400, 401, 403, 404, 413, 415]))
    .op(authed(Op::new(Method::POST, BOOKINGS, "Book an asset"))
        .body(schema_ref::<BookingIn>(), true, JSON)
        .answer(201, "The booking", Some(schema_ref::<BookingHash>()))
        .refusals(&[400, 401, 403, 404, 409, 413, 415]));
    [BOOKINGS_Y, BOOKINGS_YM, BOOKINGS_YMD, BOOKINGS_YMDH]
        .into_iter()
        .fold(api, bookings)
        .build()
}
