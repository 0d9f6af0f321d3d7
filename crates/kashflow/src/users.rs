//! `/users` and `/users/{number}` (alias `/user/{number}`). Reads need any live session of the
//! tenant; writes an administrator, checked before the path, the body's type, its size and its
//! members, in that order, and all before the directory is asked to change anything.

use std::collections::HashMap;

use actix_web::web::{Data, Path, Payload};
use actix_web::{HttpRequest, HttpResponse};
use rosetta_core::{
    CreateUserRequest, Directory, Onboarding, Role, SessionAuth, UpdateUserRequest, User,
    UserFilter, UserId,
};
use rosetta_dialect::path::{number, NumberRule};
use rosetta_dialect::{json_items, streamed_list, xml_items, Admin, Limits, ListFrame};

use crate::auth::KfSession;
use crate::body::read_members;
use crate::convert;
use crate::errors::KfError;
use crate::format::Format;
use crate::reply::Reply;
use crate::requests::UserBody;
use crate::wire::{self, ToXml};

/// Users in KashFlow's shape: role names from the tenant's catalogue, and each user's live
/// sessions as `NoOfLogins`.
async fn to_wire(
    dir: &Directory,
    roles: &[Role],
    users: &[User],
) -> Result<Vec<wire::User>, KfError> {
    let mut counts: HashMap<UserId, i64> = HashMap::new();
    let ids: Vec<UserId> = users.iter().map(|u| u.id).collect();
    for chunk in ids.chunks(500) {
        counts.extend(dir.session_counts(chunk).await?);
    }
    Ok(users
        .iter()
        .map(|u| convert::to_wire(u, roles, counts.get(&u.id).copied().unwrap_or(0)))
        .collect())
}

async fn one_user(dir: &Directory, roles: &[Role], user: &User) -> Result<wire::User, KfError> {
    to_wire(dir, roles, std::slice::from_ref(user))
        .await?
        .pop()
        .ok_or_else(KfError::internal)
}

/// A path number that is not a number names no user.
fn user_id(raw: &str) -> Result<UserId, KfError> {
    number(raw, NumberRule::TrimmedInteger)
        .map(UserId)
        .ok_or_else(KfError::user_not_found)
}

/// The whole list, written a page at a time as it is read (each page's `NoOfLogins` read with
/// it), in the bytes of the list written at once.
pub async fn list_users(
    KfSession(SessionAuth { actor, roles, .. }): KfSession,
    req: HttpRequest,
    dir: Data<Directory>,
) -> Result<HttpResponse, KfError> {
    let pages = dir.all_users(&actor, &UserFilter::all()).await?;
    let format = Format::of(&req);
    let frame = match format {
        Format::Json => ListFrame::json(),
        Format::Xml { .. } => ListFrame::xml("ArrayOfUser"),
    };
    let roles = std::sync::Arc::new(roles);
    let render = move |users: Vec<User>| {
        let (dir, roles) = (dir.clone(), roles.clone());
        async move {
            let users = to_wire(&dir, &roles, &users)
                .await
                .map_err(|e| format!("{e:?}"))?;
            match format {
                Format::Json => json_items(&users).map_err(|e| e.to_string()),
                Format::Xml { .. } => Ok(xml_items(&users, |u, out| u.write_xml(out))),
            }
        }
    };
    Ok(streamed_list(format.content_type(), frame, pages, render))
}

pub async fn get_user(
    KfSession(SessionAuth { actor, roles, .. }): KfSession,
    number: Path<String>,
    dir: Data<Directory>,
) -> Result<Reply<wire::User>, KfError> {
    let id = user_id(&number)?;
    let (user, logins) = dir.get_user_with_sessions(&actor, id).await?;
    Ok(Reply::ok(convert::to_wire(&user, &roles, logins)))
}

pub async fn create_user(
    Admin(KfSession(SessionAuth { actor, roles, .. })): Admin<KfSession>,
    req: HttpRequest,
    payload: Payload,
    dir: Data<Directory>,
    limits: Data<Limits>,
) -> Result<Reply<wire::User>, KfError> {
    let body = UserBody::read(&read_members(&req, payload, &limits).await?)?;
    let new = convert::new_user(body)?;
    let request = CreateUserRequest {
        user: new,
        onboarding: Onboarding::Plain,
    };
    let user = dir.create_user(&actor, request).await?;
    let location = format!("{}/{}", req.path().trim_end_matches('/'), user.id);
    Ok(Reply::created(
        one_user(&dir, &roles, &user).await?,
        location,
    ))
}

pub async fn update_user(
    Admin(KfSession(SessionAuth { actor, roles, .. })): Admin<KfSession>,
    number: Path<String>,
    req: HttpRequest,
    payload: Payload,
    dir: Data<Directory>,
    limits: Data<Limits>,
) -> Result<Reply<wire::User>, KfError> {
    let id = user_id(&number)?;
    let body = UserBody::read(&read_members(&req, payload, &limits).await?)?;
    let patch = convert::patch(body, id.0)?;
    let request = UpdateUserRequest {
        id,
        patch,
        expected_version: None,
    };
    let user = dir.update_user(&actor, request).await?;
    Ok(Reply::ok(one_user(&dir, &roles, &user).await?))
}

pub async fn delete_user(
    Admin(KfSession(SessionAuth {
        user: me, actor, ..
    })): Admin<KfSession>,
    number: Path<String>,
    dir: Data<Directory>,
) -> Result<HttpResponse, KfError> {
    let id = user_id(&number)?;
    if me.id == id {
        return Err(KfError::forbidden("You cannot delete your own user."));
    }
    dir.delete_user(&actor, id).await?;
    Ok(HttpResponse::NoContent().finish())
}
