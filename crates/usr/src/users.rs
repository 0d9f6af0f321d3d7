//! The usr handlers. Each one authenticates first (its `UsrCaller`), so nothing about the
//! directory (not even whether an id exists) is told to a caller without a valid token.

use actix_web::http::Method;
use actix_web::web::{Data, Path, Payload};
use actix_web::{HttpRequest, HttpResponse};
use rosetta_core::{
    CreateUserRequest, Directory, Onboarding, UpdateUserRequest, User, UserFilter, UserId, UserKey,
};
use rosetta_dialect::body::{media_type, read_body};
use rosetta_dialect::path::{number, NumberRule};
use rosetta_dialect::{json_items, streamed_list, JsonReply, Limits, ListFrame};

use crate::auth::UsrCaller;
use crate::convert;
use crate::errors::UsrError;
use crate::wire::{Deleted, UserIn, UserOut};

type Answer<T> = Result<JsonReply<T>, UsrError>;

/// Checks the media type before reading, then reads within `limits.body_bytes`.
async fn user_body(
    req: &HttpRequest,
    payload: Payload,
    limits: &Limits,
) -> Result<UserIn, UsrError> {
    let media = media_type(req);
    if !matches!(
        media.as_str(),
        "" | "text/javascript" | "application/json" | "text/json"
    ) {
        return Err(UsrError::unsupported_media_type(&media));
    }
    let bytes = read_body(req, payload, limits.body_bytes).await?;
    convert::parse_body(&bytes)
}

/// Ids that are not numbers name no user.
fn user_id(raw: &str) -> Result<UserId, UsrError> {
    number(raw, NumberRule::Digits)
        .map(UserId)
        .ok_or_else(UsrError::not_found)
}

pub async fn list_by_account(
    UsrCaller(actor): UsrCaller,
    account: Path<String>,
    dir: Data<Directory>,
) -> Result<HttpResponse, UsrError> {
    let account = number(&account, NumberRule::Digits).ok_or_else(UsrError::not_found_account)?;
    let filter = UserFilter {
        statuses: Vec::new(),
        default_account_id: Some(account),
        name_contains: None,
        email: None,
        external_id: None,
    };
    let pages = dir.all_users(&actor, &filter).await?;
    let render = |users: Vec<User>| {
        let out: Vec<UserOut> = users.iter().map(convert::user_out).collect();
        std::future::ready(json_items(&out).map_err(|e| e.to_string()))
    };
    // As `JsonReply` says it.
    Ok(streamed_list(
        "application/json",
        ListFrame::json(),
        pages,
        render,
    ))
}

pub async fn get_user(
    UsrCaller(actor): UsrCaller,
    id: Path<String>,
    dir: Data<Directory>,
) -> Answer<UserOut> {
    let id = user_id(&id)?;
    let user = dir.get_user(&actor, UserKey::Id(id)).await?;
    Ok(JsonReply::ok(convert::user_out(&user)))
}

pub async fn add_user(
    UsrCaller(actor): UsrCaller,
    req: HttpRequest,
    payload: Payload,
    dir: Data<Directory>,
    limits: Data<Limits>,
) -> Answer<UserOut> {
    let body = user_body(&req, payload, &limits).await?;
    let new = convert::new_user(body)?;
    let request = CreateUserRequest {
        user: new,
        onboarding: Onboarding::Plain,
    };
    let user = dir.create_user(&actor, request).await?;
    Ok(JsonReply::created(convert::user_out(&user)))
}

pub async fn modify_user(
    UsrCaller(actor): UsrCaller,
    id: Path<String>,
    req: HttpRequest,
    payload: Payload,
    dir: Data<Directory>,
    limits: Data<Limits>,
) -> Answer<UserOut> {
    let id = user_id(&id)?;
    let body = user_body(&req, payload, &limits).await?;
    let current = dir.get_user(&actor, UserKey::Id(id)).await?;
    let patch = convert::patch(body, current.status)?;
    let request = UpdateUserRequest {
        id,
        patch,
        expected_version: None,
    };
    let user = dir.update_user(&actor, request).await?;
    Ok(JsonReply::ok(convert::user_out(&user)))
}

pub async fn delete_user(
    UsrCaller(actor): UsrCaller,
    id: Path<String>,
    dir: Data<Directory>,
) -> Answer<Deleted> {
    let id = user_id(&id)?;
    dir.delete_user(&actor, id).await?;
    Ok(JsonReply::ok(Deleted {
        id: id.0,
        deleted: true,
    }))
}

// ----- other methods ----------------------------------------------------------------------

/// `Allow` lists the methods the path serves.
pub async fn only_get() -> Answer<()> {
    Err(UsrError::method_not_allowed("GET"))
}

pub async fn only_user_methods() -> Answer<()> {
    Err(UsrError::method_not_allowed("GET, POST, PUT, DELETE"))
}

/// GET or DELETE of `/usr/new`: `new` is no user's id, so these read as an unknown user (to
/// an authenticated caller). Anything else is a method `/usr/new` does not serve.
pub async fn usr_new_other(req: HttpRequest, dir: Data<Directory>) -> Answer<()> {
    if req.method() == Method::GET || req.method() == Method::DELETE {
        UsrCaller::of(&req, &dir).await?;
        Err(UsrError::not_found())
    } else {
        Err(UsrError::method_not_allowed("POST, PUT"))
    }
}
