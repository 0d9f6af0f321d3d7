//! The caller: `Authorization: KfToken <SessionToken>`, a live session of this dialect.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use rosetta_core::{Actor, Directory, SessionAuth, SessionKind};
use rosetta_dialect::{label_credential, Caller};

use crate::errors::KfError;

pub const DIALECT_NAME: &str = "kashflow";

/// The caller's live session, user, actor and the tenant's roles. Anything else is
/// `InvalidSessionToken`.
pub struct KfSession(pub SessionAuth);

/// The token of `Authorization: KfToken <token>` (scheme in any case).
fn kf_token(req: &HttpRequest) -> Option<String> {
    let raw = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = raw.trim().split_once(char::is_whitespace)?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("KfToken") && !token.is_empty()).then(|| token.to_owned())
}

async fn authenticate(req: HttpRequest) -> Result<KfSession, KfError> {
    let token = kf_token(&req).ok_or_else(KfError::invalid_session)?;
    let dir = req
        .app_data::<Data<Directory>>()
        .ok_or_else(KfError::internal)?;
    let auth = dir
        .find_session(DIALECT_NAME, SessionKind::Session, &token)
        .await?
        .ok_or_else(KfError::invalid_session)?;
    label_credential(&req, auth.actor.tenant, auth.actor.label());
    Ok(KfSession(auth))
}

impl FromRequest for KfSession {
    type Error = KfError;
    type Future = LocalBoxFuture<'static, Result<Self, KfError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(authenticate(req.clone()))
    }
}

impl Caller for KfSession {
    fn actor(&self) -> &Actor {
        &self.0.actor
    }
}
