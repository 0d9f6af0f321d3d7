//! Why no route of a dialect took a request, and how the dialect answers it (see
//! `unmatched.rs` for where these answers are given).

use actix_web::http::header::{HeaderValue, ALLOW};
use actix_web::{HttpRequest, HttpResponse};

use crate::errors::DialectError;

/// Why no route answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Miss {
    NotFound,
    /// `allow` is the path's methods, as the `Allow` header names them.
    MethodNotAllowed {
        allow: String,
    },
    UriTooLong {
        limit: usize,
    },
    HeadersTooLarge {
        limit: usize,
    },
}

/// How a [`Dialect`] answers a [`Miss`]: [`answer::<TheDialectsError>`].
pub type Unmatched = fn(Miss, &HttpRequest) -> HttpResponse;

/// The answer of a dialect whose error type `E` knows each [`Miss`].
pub fn answer<E: DialectError + From<Miss>>(miss: Miss, req: &HttpRequest) -> HttpResponse {
    let allow = match &miss {
        Miss::MethodNotAllowed { allow } => HeaderValue::from_str(allow).ok(),
        _ => None,
    };
    let mut res = E::from(miss).render(req);
    if let Some(allow) = allow {
        res.headers_mut().insert(ALLOW, allow);
    }
    res
}
