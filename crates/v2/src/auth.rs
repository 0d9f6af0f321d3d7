//! The caller: `CompanyId` + `IntegrationKey`, from the query string (names in any letter
//! case) or, on a POST whose query string lacks them, from the body.

use actix_web::dev::Payload;
use actix_web::web::{self, Bytes, Data};
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use rosetta_core::{Actor, Directory, Principal, TenantId};
use rosetta_dialect::body::is_blank;
use rosetta_dialect::{label_credential, Limits};

use crate::body::{self, BodyFormat};
use crate::errors::V2Error;
use crate::format::{negotiate, Params};

/// The company an integration key stands for (as its administrator), and the query string.
pub struct V2Caller {
    pub actor: Actor,
    pub params: Params,
}

/// A POST's caller and its body, read (type checked, within the limit) before the caller is
/// authenticated, since the key may be in it. The body is parsed for real only afterwards, so
/// an unauthenticated caller learns nothing about why a body is wrong.
pub struct V2Post {
    pub caller: V2Caller,
    pub body: Bytes,
    pub format: BodyFormat,
}

impl V2Post {
    /// Whether anything but whitespace was sent.
    pub fn has_body(&self) -> bool {
        !is_blank(&self.body)
    }
}

fn directory(req: &HttpRequest) -> Result<Data<Directory>, V2Error> {
    req.app_data::<Data<Directory>>()
        .cloned()
        .ok_or_else(V2Error::internal)
}

/// Both must name the same company; anything else is 401.
async fn authenticate(
    req: &HttpRequest,
    params: &Params,
    body: Option<(&[u8], BodyFormat)>,
) -> Result<Actor, V2Error> {
    let from_body = |name: &str| body.and_then(|(b, f)| body::member_in_body(b, f, name));
    let company = params
        .value("CompanyId")
        .or_else(|| from_body("CompanyId"))
        .ok_or_else(V2Error::unauthorized)?;
    let key = params
        .value("IntegrationKey")
        .or_else(|| from_body("IntegrationKey"))
        .ok_or_else(V2Error::unauthorized)?;
    let tenant = company
        .trim()
        .parse::<i64>()
        .map(TenantId)
        .map_err(|_| V2Error::unauthorized())?;
    directory(req)?
        .authenticate_integration_key(tenant, &key)
        .await?;
    label_credential(req, tenant, format!("integration-key:tenant-{}", tenant.0));
    Ok(Actor::machine(tenant, "v2", Principal::IntegrationKey))
}

impl FromRequest for V2Caller {
    type Error = V2Error;
    type Future = LocalBoxFuture<'static, Result<Self, V2Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let (params, _) = negotiate(&req).map_err(|(_, refusal)| V2Error::from(refusal))?;
            let actor = authenticate(&req, &params, None).await?;
            Ok(Self { actor, params })
        })
    }
}

impl FromRequest for V2Post {
    type Error = V2Error;
    type Future = LocalBoxFuture<'static, Result<Self, V2Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = web::Payload::from_request(&req, payload);
        Box::pin(async move {
            let (params, _) = negotiate(&req).map_err(|(_, refusal)| V2Error::from(refusal))?;
            let limits = req
                .app_data::<Data<Limits>>()
                .cloned()
                .ok_or_else(V2Error::internal)?;
            let payload = payload.await.map_err(|_| V2Error::internal())?;
            let (bytes, format) = body::read(&req, payload, &limits).await?;
            let sent = (!is_blank(&bytes)).then_some((bytes.as_ref(), format));
            let actor = authenticate(&req, &params, sent).await?;
            Ok(Self {
                caller: V2Caller { actor, params },
                body: bytes,
                format,
            })
        })
    }
}
