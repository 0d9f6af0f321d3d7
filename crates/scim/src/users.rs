//! `/Users` and `/Users/{id}`: read, create, replace, delete. Each handler authenticates
//! first, so nothing about the directory (not even whether an id exists) is told to a caller
//! without a valid token.

use actix_web::web::{Data, Path, Payload};
use actix_web::HttpRequest;
use rosetta_core::{
    Actor, CreateUserRequest, Directory, Onboarding, Status, UpdateUserRequest, User, UserKey,
};
use rosetta_dialect::{Admin, Limits};
use std::collections::HashMap;

use serde_json::Value;
use uuid::Uuid;

use crate::auth::ScimCaller;
use crate::convert::{self, etag, Context};
use crate::errors::ScimError;
use crate::http::{base_url, check_if_match, has_if_match, not_modified, read_object, ScimReply};
use crate::input::check_input;
use crate::patch::{apply_patch, AttrRef, PatchOp};
use crate::query::projected;
use crate::schema::USER_TYPE;

type Answer = Result<ScimReply, ScimError>;

/// The route patterns, for [`base_url`].
pub const USERS: &str = "/Users";
pub const USER: &str = "/Users/{id}";

/// The core User's `active`, as a patch names it in what it touched.
const ACTIVE: AttrRef = AttrRef {
    schema: crate::schema::urn::USER,
    name: "active",
};

/// An id that is not a UUID names no user.
pub fn user_uuid(raw: &str) -> Result<Uuid, ScimError> {
    Uuid::parse_str(raw).map_err(|_| ScimError::not_found("User"))
}

/// What the answer of `req` (matched by `pattern`) needs to show `users`.
pub async fn context<'a>(
    req: &HttpRequest,
    pattern: &str,
    dir: &Directory,
    actor: &Actor,
    users: impl IntoIterator<Item = &'a User>,
) -> Result<Context, ScimError> {
    let group_names = group_names(dir, actor, users).await?;
    Ok(Context {
        base: base_url(req, pattern),
        roles: dir.roles(actor.tenant).await?,
        group_names,
    })
}

/// The names of every group `users` are members of, in one read for them all (a page of
/// users does not read per user); none read when they are members of none.
pub async fn group_names<'a>(
    dir: &Directory,
    actor: &Actor,
    users: impl IntoIterator<Item = &'a User>,
) -> Result<HashMap<Uuid, String>, ScimError> {
    let mut wanted: Vec<Uuid> = users
        .into_iter()
        .flat_map(|u| u.groups.iter().copied())
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    Ok(dir.group_names(actor, &wanted).await?)
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
    let cx = context(&req, USER, &dir, &actor, [&user]).await?;
    let body = projected(&req, &USER_TYPE, &user_json(&user, &cx)?)?;
    Ok(ScimReply::resource(body, tag))
}

/// A written User checked by the schema (`current`: the resource a PUT replaces), then read.
fn written(
    body: serde_json::Map<String, Value>,
    current: Option<&Value>,
) -> Result<crate::wire::UserIn, ScimError> {
    let mut body = Value::Object(body);
    check_input(&USER_TYPE, &mut body, current)?;
    match body {
        Value::Object(map) => convert::user_in(map),
        _ => Err(ScimError::invalid_syntax(
            "The request body must be a JSON object.",
        )),
    }
}

pub async fn create_user(
    Admin(ScimCaller(actor)): Admin<ScimCaller>,
    req: HttpRequest,
    payload: Payload,
    dir: Data<Directory>,
    limits: Data<Limits>,
) -> Answer {
    let body = written(read_object(&req, payload, &limits).await?, None)?;
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
    let cx = context(&req, USERS, &dir, &actor, [&user]).await?;
    let body = projected(&req, &USER_TYPE, &user_json(&user, &cx)?)?;
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
    // A PUT leaves the memberships as they are: the groups shown after are the ones before.
    let cx = context(&req, USER, &dir, &actor, [&current]).await?;
    let body = written(
        read_object(&req, payload, &limits).await?,
        Some(&user_json(&current, &cx)?),
    )?;
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
    let body = projected(&req, &USER_TYPE, &user_json(&user, &cx)?)?;
    Ok(ScimReply::resource(body, etag(user.version)))
}

/// PATCH: the user as SCIM shows it, the operations applied to that (all or nothing), and the
/// result written as a replace of the version read, in one write with one audit row. A race
/// with another write reads again (unless If-Match pinned the version: then 412).
pub async fn patch_user(
    Admin(ScimCaller(actor)): Admin<ScimCaller>,
    id: Path<String>,
    req: HttpRequest,
    payload: Payload,
    dir: Data<Directory>,
    limits: Data<Limits>,
) -> Answer {
    let body = Value::Object(read_object(&req, payload, &limits).await?);
    let op = PatchOp::from_json(&body)?;
    let mut cx = context(&req, USER, &dir, &actor, []).await?;
    let pinned = has_if_match(&req);
    let mut attempts = 0;
    let user = loop {
        attempts += 1;
        let current = find(&dir, &actor, &id).await?;
        check_if_match(&req, &etag(current.version))?;
        // A PATCH leaves the memberships as they are (`groups` is readOnly).
        cx.group_names = group_names(&dir, &actor, [&current]).await?;
        let mut resource = user_json(&current, &cx)?;
        let outcome = apply_patch(&USER_TYPE, &mut resource, &op)?;
        // A pending user reads as `active: false`: a written `false` is a change (to
        // inactive) though the JSON is the same, and an `active` the patch did not aim at is
        // left out, so that it is not read as a write of false.
        let wrote_active = outcome.touched.contains(&ACTIVE);
        let pending_deactivated = wrote_active && current.status == Status::Pending;
        if !(outcome.changed || pending_deactivated) {
            break current;
        }
        let patched = match resource {
            Value::Object(mut map) => {
                if !wrote_active {
                    map.remove("active");
                }
                convert::user_in(map)?
            }
            _ => return Err(ScimError::internal()),
        };
        let patch = convert::replace(patched, &current)?;
        let request = UpdateUserRequest {
            id: current.id,
            patch,
            expected_version: Some(current.version),
        };
        match dir.update_user(&actor, request).await {
            Ok(user) => break user,
            Err(rosetta_core::CoreError::VersionConflict { .. }) if !pinned && attempts < 3 => {
                continue
            }
            Err(e) => return Err(e.into()),
        }
    };
    let body = projected(&req, &USER_TYPE, &user_json(&user, &cx)?)?;
    Ok(ScimReply::resource(body, etag(user.version)))
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
