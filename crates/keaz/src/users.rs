//! `/users`, `/user`, `/user/byemail`, `/user/{id}` and its perms, license types and resend.
//! Reads need an active user of the company, writes an administrator; the core enforces both
//! again.

use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use rosetta_core::{
    text, CreateUserRequest, Directory, Onboarding, PermName, Status, UpdateUserRequest, User,
    UserFilter, UserKey, UserPatch,
};
use rosetta_dialect::{json_items, streamed_list, Admin, JsonReply, Limits, ListFrame};
use serde_json::Value;

use crate::auth::KeazCaller;
use crate::convert::{self, user_hash};
use crate::errors::KeazError;
use crate::request::{json_body, object, query_pairs, query_value, user_id};
use crate::wire::{self, UserHash, UserInput, EMAIL, LICENSE_TYPES, PERMS};

type Dir = Data<Directory>;

/// What `JsonReply` answers: the streamed list says the same.
const JSON: &str = "application/json";
type Lim = Data<Limits>;

pub async fn list_users(
    KeazCaller(actor): KeazCaller,
    req: HttpRequest,
    dir: Dir,
) -> Result<HttpResponse, KeazError> {
    // Any `inactive` switches the list, except an explicit false.
    let inactive = query_pairs(&req).iter().any(|(k, v)| {
        k == "inactive" && !matches!(v.to_ascii_lowercase().as_str(), "0" | "false" | "no")
    });
    let mut filter = UserFilter::all();
    filter.statuses = if inactive {
        vec![Status::Inactive]
    } else {
        vec![Status::Active, Status::Pending]
    };
    let pages = dir.all_users(&actor, &filter).await?;
    let render = |users: Vec<User>| {
        let hashes: Vec<UserHash> = users.iter().map(user_hash).collect();
        std::future::ready(json_items(&hashes).map_err(|e| e.to_string()))
    };
    Ok(streamed_list(JSON, ListFrame::json(), pages, render))
}

pub async fn get_user(
    KeazCaller(actor): KeazCaller,
    req: HttpRequest,
    dir: Dir,
) -> Result<JsonReply<UserHash>, KeazError> {
    let id = user_id(&req)?;
    let user = dir.get_user(&actor, UserKey::Id(id)).await?;
    Ok(JsonReply::ok(user_hash(&user)))
}

pub async fn user_by_email(
    KeazCaller(actor): KeazCaller,
    req: HttpRequest,
    dir: Dir,
) -> Result<JsonReply<UserHash>, KeazError> {
    let email = query_value(&req, EMAIL)
        .map(|e| e.trim().to_owned())
        .filter(|e| !e.is_empty())
        .ok_or_else(|| KeazError::invalid(EMAIL, "is required (?email=)"))?;
    let user = dir.get_user(&actor, UserKey::Email(email)).await?;
    Ok(JsonReply::ok(user_hash(&user)))
}

pub async fn create_user(
    Admin(KeazCaller(actor)): Admin<KeazCaller>,
    req: HttpRequest,
    dir: Dir,
    limits: Lim,
    payload: Payload,
) -> Result<JsonReply<UserHash>, KeazError> {
    let map = object(json_body(&req, payload, limits.body_bytes).await?)?;
    let input = UserInput::from_json(&map)?;
    let new = convert::new_user(input, actor.tenant).map_err(convert::first_error)?;
    let request = CreateUserRequest {
        user: new,
        onboarding: Onboarding::Activation { email: true },
    };
    let user = dir.create_user(&actor, request).await?;
    Ok(JsonReply::created(user_hash(&user)))
}

pub async fn update_user(
    Admin(KeazCaller(actor)): Admin<KeazCaller>,
    req: HttpRequest,
    dir: Dir,
    limits: Lim,
    payload: Payload,
) -> Result<JsonReply<UserHash>, KeazError> {
    let id = user_id(&req)?;
    let map = object(json_body(&req, payload, limits.body_bytes).await?)?;
    let input = UserInput::from_json(&map)?;
    let current = dir.get_user(&actor, UserKey::Id(id)).await?;
    let patch = convert::patch(input, actor.tenant, &current)?;
    let request = UpdateUserRequest {
        id,
        patch,
        expected_version: None,
    };
    let user = dir.update_user(&actor, request).await?;
    Ok(JsonReply::ok(user_hash(&user)))
}

pub async fn delete_user(
    Admin(KeazCaller(actor)): Admin<KeazCaller>,
    req: HttpRequest,
    dir: Dir,
) -> Result<HttpResponse, KeazError> {
    let id = user_id(&req)?;
    dir.delete_user(&actor, id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A list body: a JSON array, or an object holding the list under `field`.
fn list_body(field: &str, value: Option<Value>) -> Result<Vec<String>, KeazError> {
    match value {
        Some(Value::Array(items)) => wire::list(field, &Value::Array(items)),
        Some(Value::Object(map)) => match map.get(field) {
            Some(v) => wire::list(field, v),
            None => Err(KeazError::invalid(field, "is required")),
        },
        _ => Err(KeazError::invalid(
            field,
            "must be sent as a JSON list of names",
        )),
    }
}

pub async fn get_perms(
    KeazCaller(actor): KeazCaller,
    req: HttpRequest,
    dir: Dir,
) -> Result<JsonReply<Vec<String>>, KeazError> {
    let user = dir.get_user(&actor, UserKey::Id(user_id(&req)?)).await?;
    Ok(JsonReply::ok(user.perms))
}

pub async fn put_perms(
    Admin(KeazCaller(actor)): Admin<KeazCaller>,
    req: HttpRequest,
    dir: Dir,
    limits: Lim,
    payload: Payload,
) -> Result<JsonReply<Vec<String>>, KeazError> {
    let id = user_id(&req)?;
    let perms = list_body(PERMS, json_body(&req, payload, limits.body_bytes).await?)?;
    for p in &perms {
        PermName::parse(p)?;
    }
    let patch = UserPatch {
        perms: Some(perms),
        ..UserPatch::default()
    };
    let request = UpdateUserRequest {
        id,
        patch,
        expected_version: None,
    };
    let user = dir.update_user(&actor, request).await?;
    Ok(JsonReply::ok(user.perms))
}

pub async fn get_license_types(
    KeazCaller(actor): KeazCaller,
    req: HttpRequest,
    dir: Dir,
) -> Result<JsonReply<Vec<String>>, KeazError> {
    let user = dir.get_user(&actor, UserKey::Id(user_id(&req)?)).await?;
    Ok(JsonReply::ok(user.license_types))
}

pub async fn put_license_types(
    Admin(KeazCaller(actor)): Admin<KeazCaller>,
    req: HttpRequest,
    dir: Dir,
    limits: Lim,
    payload: Payload,
) -> Result<JsonReply<Vec<String>>, KeazError> {
    let id = user_id(&req)?;
    let types = list_body(
        LICENSE_TYPES,
        json_body(&req, payload, limits.body_bytes).await?,
    )?;
    if types.iter().any(|t| t.chars().count() > text::NAME_MAX) {
        return Err(KeazError::invalid(
            LICENSE_TYPES,
            format!("items must be at most {} characters", text::NAME_MAX),
        ));
    }
    let patch = UserPatch {
        license_types: Some(types),
        ..UserPatch::default()
    };
    let request = UpdateUserRequest {
        id,
        patch,
        expected_version: None,
    };
    let user = dir.update_user(&actor, request).await?;
    Ok(JsonReply::ok(user.license_types))
}

pub async fn resend(
    Admin(KeazCaller(actor)): Admin<KeazCaller>,
    req: HttpRequest,
    dir: Dir,
) -> Result<JsonReply<UserHash>, KeazError> {
    let id = user_id(&req)?;
    dir.resend_activation(&actor, id).await?;
    let user = dir.get_user(&actor, UserKey::Id(id)).await?;
    Ok(JsonReply::ok(user_hash(&user)))
}
