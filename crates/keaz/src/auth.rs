//! The caller: the `token` a login gave, in a `token` header or `?token=`.

use actix_web::dev::Payload;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use rosetta_core::{Actor, Directory, SessionKind};
use rosetta_dialect::{label_credential, Caller};

use crate::errors::KeazError;
use crate::request::query_value;

pub const DIALECT_NAME: &str = "keaz";

/// The logged-in user and what they may do. Only active users have live sessions.
pub struct KeazCaller(pub Actor);

fn token(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get("token")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .or_else(|| query_value(req, "token").filter(|v| !v.is_empty()))
}

async fn authenticate(req: HttpRequest) -> Result<KeazCaller, KeazError> {
    let Some(token) = token(&req) else {
        return Err(KeazError::unauthorized(
            "a token is required: send ?token= or a token header (POST /login gives one)",
        ));
    };
    let dir = req
        .app_data::<Data<Directory>>()
        .ok_or_else(|| KeazError::internal("the directory is not in the app data"))?;
    let Some(auth) = dir
        .find_session(DIALECT_NAME, SessionKind::Session, &token)
        .await?
    else {
        return Err(KeazError::unauthorized(
            "the token is unknown or has expired; log in again",
        ));
    };
    label_credential(&req, auth.actor.tenant, auth.actor.label());
    Ok(KeazCaller(auth.actor))
}

impl FromRequest for KeazCaller {
    type Error = KeazError;
    type Future = LocalBoxFuture<'static, Result<Self, KeazError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(authenticate(req.clone()))
    }
}

impl Caller for KeazCaller {
    fn actor(&self) -> &Actor {
        &self.0
    }
}
