//! Who is calling: each dialect's authentication is an extractor implementing [`Caller`], and
//! [`Admin`] makes any of them an administrator-only one.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use rosetta_core::{Actor, CoreError, Refusal};

/// A dialect's authenticated caller, as an extractor: it fails with the dialect's error when
/// the request carries no valid credential. That error maps every [`CoreError`], so the
/// refusal of [`Admin`] is worded where the dialect words all the others.
pub trait Caller: FromRequest<Error: From<CoreError>> + 'static {
    /// Who the caller acts as.
    fn actor(&self) -> &Actor;
}

/// A caller who must be an administrator: the dialect's caller is found first, then checked,
/// so an anonymous request is told it is not authenticated, never that it is not an
/// administrator. A caller who is not one gets the core's own [`Refusal::NotAdmin`], the code
/// the core gives when it checks the rights again on the write, so both read alike.
#[derive(Debug, Clone)]
pub struct Admin<C>(pub C);

impl<C> std::ops::Deref for Admin<C> {
    type Target = C;

    fn deref(&self) -> &C {
        &self.0
    }
}

impl<C> FromRequest for Admin<C>
where
    C: Caller,
    C::Future: 'static,
{
    type Error = C::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = C::from_request(req, payload);
        Box::pin(async move {
            let caller = caller.await?;
            if caller.actor().admin {
                Ok(Self(caller))
            } else {
                Err(CoreError::Forbidden(Refusal::NotAdmin).into())
            }
        })
    }
}
