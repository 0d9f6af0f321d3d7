//! The caller: `Authorization: Bearer <token>`, a usr credential, which stands for its
//! tenant's administrator.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use rosetta_core::{Actor, Directory, Principal};
use rosetta_dialect::label_credential;

use crate::errors::UsrError;

/// The tenant administrator a usr bearer token stands for.
pub struct UsrCaller(pub Actor);

impl UsrCaller {
    /// Authenticates `req`; for handlers that decide whether to (see `/usr/new`).
    pub async fn of(req: &HttpRequest, dir: &Directory) -> Result<Self, UsrError> {
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
        let cred = dir.authenticate_credential("usr", token).await?;
        label_credential(req, cred.tenant_id, format!("credential:{}", cred.id));
        Ok(Self(Actor::machine(
            cred.tenant_id,
            "usr",
            Principal::Credential(cred.id),
        )))
    }
}

impl FromRequest for UsrCaller {
    type Error = UsrError;
    type Future = LocalBoxFuture<'static, Result<Self, UsrError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let dir = req
                .app_data::<Data<Directory>>()
                .cloned()
                .ok_or_else(UsrError::internal)?;
            Self::of(&req, &dir).await
        })
    }
}
