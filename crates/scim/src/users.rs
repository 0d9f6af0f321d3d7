//! `/Users` and `/Users/{id}`: read, create, replace, delete. Each handler authenticates
//! first, so nothing about the directory (not even whether an id exists) is told to a caller
//! without a valid token.

use actix_web::web::{Data, Path, Payload};
use actix_web::HttpRequest;
use rosetta_core::{
    Actor, CreateUserRequest, Directory, Onboarding, UpdateUserRequest, User, UserKey,
};
use rosetta_dialect::{Admin, Limits};
use serde_json::Value;
use uuid::Uuid;

use crate::auth::ScimCaller;
use crate::convert::{self, etag, Context};
use crate::errors::ScimError;
use crate::http::{base_url, check_if_match, has_if_match, not_modified, read_object, ScimReply};

type Answer = Result<ScimReply, ScimError>;

/// The route patterns, for [`base_url`].
pub const USERS: &str = "/Users";
pub const USER: &str = "/Users/{id}";

/// An id that is not a UUID names no user.
pub fn user_uuid(raw: &str) -> Result<Uuid, ScimError> {
    Uuid::parse_str(raw).map_err(|_| ScimError::not_found("User"))
}

/// What the answer of `req` (matched by `pattern`) needs to show users.
pub async fn context(
    req: &HttpRequest,
    pattern: &str,
    dir: &Directory,
    actor: &Actor,
) -> Result<Context, ScimError> {
    Ok(Context {
        base: base_url(req, pattern),
        roles: dir.roles(actor.tenant).await?,
    })
}

/// A user as the JSON of an answer.
pub fn user_json(user: &User, cx: &Context) -> Result<Value, ScimError> {
    serde_json::to_value(convert::user_out(user, cx)).map_err(|_| ScimError::internal())
}

/// The user `raw` names in the caller's tenant; another tenant's is missing too.
async fn find(dir: &Directory, actor: &Actor, raw: &str) -> Result<User, ScimError> {
    let uuid = user_uuid(raw)?;
    dir.get_user(actor, UserKey::Uuid(uuid))
        .await
        .map_err(|e| match e {
            rosetta_core::CoreError::NotFound => ScimError::not_found("User"),
            other => other.into(),
        })
}

pub async fn get_user(
    ScimCaller(actor): ScimCaller,
    id: Path<String>,
    req: HttpRequest,
    dir: Data<Directory>,
) -> Answer {
    let user = find(&dir, &actor, &id).await?;
    let tag = etag(user.version);
    if not_modified(&req, &tag) {
        return Ok(ScimReply::not_modified(tag));
    }
    let cx = context(&req, USER, &dir, &actor).await?;
    Ok(ScimReply::resource(user_json(&user, &cx)?, tag))
}

pub async fn create_user(
    Admin(ScimCaller(actor)): Admin<ScimCaller>,
    req: HttpRequest,
    payload: Payload,
    dir: Data<Directory>,
    limits: Data<Limits>,
) -> Answer {
    let body = convert::user_in(read_object(&req, payload, &limits).await?)?;
    let new = convert::new_user(body)?;
    let user = dir
        .create_user(
            &actor,
            CreateUserRequest {
                user: new,
                onboarding: Onboarding::Plain,
            },
        )
        .await?;
    let cx = context(&req, USERS, &dir, &actor).await?;
    let body = user_json(&user, &cx)?;
    let location = format!("{}/Users/{}", cx.base, user.uuid);
    Ok(ScimReply::created(body, etag(user.version), location))
}

pub async fn replace_user(
    Admin(ScimCaller(actor)): Admin<ScimCaller>,
    id: Path<String>,
    req: HttpRequest,
    payload: Payload,
    dir: Data<Directory>,
    limits: Data<Limits>,
) -> Answer {
    let current = find(&dir, &actor, &id).await?;
    check_if_match(&req, &etag(current.version))?;
    let body = convert::user_in(read_object(&req, payload, &limits).await?)?;
    let patch = convert::replace(body, &current)?;
    let user = dir
        .update_user(
            &actor,
            UpdateUserRequest {
                id: current.id,
                patch,
                // With If-Match the write is to that version only; without, to the latest.
                expected_version: has_if_match(&req).then_some(current.version),
            },
        )
        .await?;
    let cx = context(&req, USER, &dir, &actor).await?;
    Ok(ScimReply::resource(
        user_json(&user, &cx)?,
        etag(user.version),
    ))
}

pub async fn delete_user(
    Admin(ScimCaller(actor)): Admin<ScimCaller>,
    id: Path<String>,
    req: HttpRequest,
    dir: Data<Directory>,
) -> Answer {
    let current = find(&dir, &actor, &id).await?;
    check_if_match(&req, &etag(current.version))?;
    dir.delete_user(&actor, current.id).await?;
    Ok(ScimReply::no_content())
}
