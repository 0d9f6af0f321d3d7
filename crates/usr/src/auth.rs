//! The caller: `Authorization: Bearer <token>`, a usr credential, which stands for its
//! tenant's administrator.

use actix_web::dev::Payload;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use rosetta_core::{Actor, Directory};
use rosetta_dialect::bearer::BearerError;

use crate::errors::UsrError;

/// The tenant administrator a usr bearer token stands for.
pub struct UsrCaller(pub Actor);

impl UsrCaller {
    /// Authenticates `req`; for handlers that decide whether to (see `/usr/new`).
    pub async fn of(req: &HttpRequest, dir: &Directory) -> Result<Self, UsrError> {
        rosetta_dialect::bearer::credential_actor(req, dir, "usr")
            .await
            .map(Self)
            .map_err(UsrError::from)
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

impl From<BearerError> for UsrError {
    fn from(e: BearerError) -> Self {
        match e {
            BearerError::Refused(r) => Self::unauthorized(r.message()),
            BearerError::Core(e) => e.into(),
        }
    }
}
