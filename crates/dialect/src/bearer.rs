//! A tenant credential presented as `Authorization: Bearer <token>` (usr and scim): read,
//! checked by the directory against the dialect it was made for, and labelled for usage. The
//! caller stands for its tenant's administrator. Each dialect words a [`BearerError`] in its
//! own envelope (a 401; scim adds `WWW-Authenticate`).

use actix_web::http::header;
use actix_web::HttpRequest;
use rosetta_core::{Actor, CoreError, Directory, Principal};

/// Why the header held no token to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BearerRefusal {
    Missing,
    NotBearer,
    /// Not text, or an empty token.
    Invalid,
}

impl BearerRefusal {
    pub fn message(self) -> &'static str {
        match self {
            Self::Missing => "An Authorization: Bearer <token> header is required.",
            Self::NotBearer => "The Authorization header must be Bearer <token>.",
            Self::Invalid => "The bearer token is not valid.",
        }
    }
}

#[derive(Debug)]
pub enum BearerError {
    Refused(BearerRefusal),
    /// What the directory said of the token (an unknown or revoked one is `Unauthorized`).
    Core(CoreError),
}

/// The administrator of its tenant that `req`'s bearer credential of `dialect` stands for. A
/// credential made for another dialect is refused by the core like an unknown one.
pub async fn credential_actor(
    req: &HttpRequest,
    dir: &Directory,
    dialect: &'static str,
) -> Result<Actor, BearerError> {
    let refused = |r| BearerError::Refused(r);
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(refused(BearerRefusal::Missing))?
        .to_str()
        .map_err(|_| refused(BearerRefusal::Invalid))?;
    let token = match value.trim().split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        _ => return Err(refused(BearerRefusal::NotBearer)),
    };
    if token.is_empty() {
        return Err(refused(BearerRefusal::Invalid));
    }
    let cred = dir
        .authenticate_credential(dialect, token)
        .await
        .map_err(BearerError::Core)?;
    crate::label_credential(req, cred.tenant_id, format!("credential:{}", cred.id));
    Ok(Actor::machine(
        cred.tenant_id,
        dialect,
        Principal::Credential(cred.id),
    ))
}
