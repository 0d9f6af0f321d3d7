//! The caller: `Authorization: Bearer <token>`, a scim credential, which stands for its
//! tenant's administrator (scim.md: like a usr credential).

use actix_web::dev::Payload;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use rosetta_core::{Actor, Directory};
use rosetta_dialect::bearer::BearerError;
use rosetta_dialect::Caller;

use crate::errors::ScimError;

/// The tenant administrator a scim bearer token stands for.
pub struct ScimCaller(pub Actor);

impl ScimCaller {
    pub async fn of(req: &HttpRequest, dir: &Directory) -> Result<Self, ScimError> {
        rosetta_dialect::bearer::credential_actor(req, dir, "scim")
            .await
            .map(Self)
            .map_err(ScimError::from)
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

impl From<BearerError> for ScimError {
    fn from(e: BearerError) -> Self {
        match e {
            BearerError::Refused(r) => Self::unauthorized(r.message()),
            BearerError::Core(e) => e.into(),
        }
    }
}
