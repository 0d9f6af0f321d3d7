//! The caller: `Authorization: Bearer <token>`, a scim credential, which stands for its
//! tenant's administrator (scim.md: like a usr credential).

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use rosetta_core::{Actor, Directory, Principal};
use rosetta_dialect::{label_credential, Caller};

use crate::errors::ScimError;

/// The tenant administrator a scim bearer token stands for.
pub struct ScimCaller(pub Actor);

impl ScimCaller {
    pub async fn of(req: &HttpRequest, dir: &Directory) -> Result<Self, ScimError> {
        let value = req
            .headers()
            .get(header::AUTHORIZATION)
            .ok_or_else(|| {
                ScimError::unauthorized("An Authorization: Bearer <token> header is required.")
            })?
            .to_str()
            .map_err(|_| ScimError::unauthorized("The bearer token is not valid."))?;
        let token = match value.trim().split_once(' ') {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
            _ => {
                return Err(ScimError::unauthorized(
                    "The Authorization header must be Bearer <token>.",
                ))
            }
        };
        if token.is_empty() {
            return Err(ScimError::unauthorized("The bearer token is not valid."));
        }
        // A credential of another dialect is refused by the core like an unknown one.
        let cred = dir.authenticate_credential("scim", token).await?;
        label_credential(req, cred.tenant_id, format!("credential:{}", cred.id));
        Ok(Self(Actor::machine(
            cred.tenant_id,
            "scim",
            Principal::Credential(cred.id),
        )))
    }
}

impl FromRequest for ScimCaller {
    type Error = ScimError;
    type Future = LocalBoxFuture<'static, Result<Self, ScimError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let dir = req
                .app_data::<Data<Directory>>()
                .cloned()
                .ok_or_else(ScimError::internal)?;
            Self::of(&req, &dir).await
        })
    }
}

impl Caller for ScimCaller {
    fn actor(&self) -> &Actor {
        &self.0
    }
}
