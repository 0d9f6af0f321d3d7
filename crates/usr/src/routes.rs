//! The usr handlers. Each one authenticates first, so nothing about the directory (not even
//! whether an id exists) is told to a caller without a valid token.

use actix_web::http::{header, Method};
use actix_web::web::{self, Payload, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse};
use rosetta_core::{
    Actor, CoreError, CreateUserRequest, Directory, Onboarding, Principal, UpdateUserRequest,
    UserFilter, UserId, UserKey,
};
use rosetta_dialect::{label_credential, media_type, read_body, Limits};

use crate::convert;
use crate::errors::UsrError;
use crate::wire::{Deleted, UserIn, UserOut};

type Answer = Result<HttpResponse, UsrError>;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        web::resource("/pub/usr/acc/{accountId}")
            .route(web::get().to(list_by_account))
            .default_service(web::to(|| not_allowed("GET"))),
    )
    .service(
        web::resource("/usr/acc/{accountId}")
            .route(web::get().to(list_by_account))
            .default_service(web::to(|| not_allowed("GET"))),
    )
    // Before `/usr/{userId}`, so `new` is never taken for an id.
    .service(
        web::resource("/usr/new")
            .route(web::post().to(add_user))
            .route(web::put().to(add_user))
            .default_service(web::to(usr_new_other)),
    )
    .service(
        web::resource("/usr/{userId}")
            .route(web::get().to(get_user))
            .route(web::post().to(modify_user))
            .route(web::put().to(modify_user))
            .route(web::delete().to(delete_user))
            .default_service(web::to(|| not_allowed("GET, POST, PUT, DELETE"))),
    );
}

async fn not_allowed(allow: &'static str) -> Answer {
    Err(UsrError::method_not_allowed(allow))
}

/// The tenant administrator a usr bearer token stands for.
async fn authenticate(req: &HttpRequest, dir: &Directory) -> Result<Actor, UsrError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| {
            UsrError::unauthorized("An Authorization: Bearer <token> header is required.")
        })?
        .to_str()
        .map_err(|_| UsrError::unauthorized("The bearer token is not valid."))?;
    let token = match value.trim().split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        _ => {
            return Err(UsrError::unauthorized(
                "The Authorization header must be Bearer <token>.",
            ))
        }
    };
    if token.is_empty() {
        return Err(UsrError::unauthorized("The bearer token is not valid."));
    }
    let cred = dir
        .authenticate_credential("usr", token)
        .await
        .map_err(|e| match e {
            CoreError::Unauthorized => UsrError::unauthorized("The bearer token is not valid."),
            other => other.into(),
        })?;
    label_credential(req, format!("credential:{}", cred.id));
    Ok(Actor::machine(
        cred.tenant_id,
        "usr",
        Principal::Credential(cred.id),
    ))
}

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
    let bytes = read_body(req, payload, limits.body_bytes)
        .await
        .map_err(|e| UsrError::from_body(e, limits.body_bytes))?;
    convert::parse_body(&bytes)
}

fn user_id(req: &HttpRequest) -> Result<UserId, UsrError> {
    req.match_info()
        .get("userId")
        .and_then(convert::path_number)
        .map(UserId)
        .ok_or_else(UsrError::not_found)
}

fn json(status: actix_web::http::StatusCode, body: &impl serde::Serialize) -> HttpResponse {
    HttpResponse::build(status).json(body)
}

async fn list_by_account(req: HttpRequest, dir: web::Data<Directory>) -> Answer {
    let actor = authenticate(&req, &dir).await?;
    let account = req
        .match_info()
        .get("accountId")
        .and_then(convert::path_number)
        .ok_or_else(UsrError::not_found_account)?;
    let filter = UserFilter {
        statuses: Vec::new(),
        default_account_id: Some(account),
        name_contains: None,
        email: None,
        external_id: None,
    };
    let users: Vec<UserOut> = dir
        .all_users(&actor, &filter)
        .await?
        .iter()
        .map(convert::user_out)
        .collect();
    Ok(json(actix_web::http::StatusCode::OK, &users))
}

async fn get_user(req: HttpRequest, dir: web::Data<Directory>) -> Answer {
    let actor = authenticate(&req, &dir).await?;
    let id = user_id(&req)?;
    let user = dir.get_user(&actor, UserKey::Id(id)).await?;
    Ok(json(
        actix_web::http::StatusCode::OK,
        &convert::user_out(&user),
    ))
}

async fn add_user(
    req: HttpRequest,
    payload: Payload,
    dir: web::Data<Directory>,
    limits: web::Data<Limits>,
) -> Answer {
    let actor = authenticate(&req, &dir).await?;
    let body = user_body(&req, payload, &limits).await?;
    let new = convert::new_user(body)?;
    let request = CreateUserRequest {
        user: new,
        onboarding: Onboarding::Plain,
    };
    let user = dir.create_user(&actor, request).await?;
    Ok(json(
        actix_web::http::StatusCode::CREATED,
        &convert::user_out(&user),
    ))
}

/// GET or DELETE of `/usr/new`: `new` is no user's id, so these read as an unknown user.
async fn usr_new_other(req: HttpRequest, dir: web::Data<Directory>) -> Answer {
    if req.method() == Method::GET || req.method() == Method::DELETE {
        authenticate(&req, &dir).await?;
        Err(UsrError::not_found())
    } else {
        Err(UsrError::method_not_allowed("POST, PUT"))
    }
}

async fn modify_user(
    req: HttpRequest,
    payload: Payload,
    dir: web::Data<Directory>,
    limits: web::Data<Limits>,
) -> Answer {
    let actor = authenticate(&req, &dir).await?;
    let id = user_id(&req)?;
    let body = user_body(&req, payload, &limits).await?;
    let current = dir.get_user(&actor, UserKey::Id(id)).await?;
    let patch = convert::patch(body, current.status)?;
    let request = UpdateUserRequest {
        id,
        patch,
        expected_version: None,
    };
    let user = dir.update_user(&actor, request).await?;
    Ok(json(
        actix_web::http::StatusCode::OK,
        &convert::user_out(&user),
    ))
}

async fn delete_user(req: HttpRequest, dir: web::Data<Directory>) -> Answer {
    let actor = authenticate(&req, &dir).await?;
    let id = user_id(&req)?;
    dir.delete_user(&actor, id).await?;
    Ok(json(
        actix_web::http::StatusCode::OK,
        &Deleted {
            id: id.0,
            deleted: true,
        },
    ))
}
