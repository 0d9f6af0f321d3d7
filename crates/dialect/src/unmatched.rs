//! Requests no route of a dialect answers, answered in that dialect's own error shape: a path
//! under its prefix that no route matches (404), a method its path does not serve (405, with
//! `Allow`), an over-long URI (414) or header block (431). Which dialect owns a request is
//! decided from the route tables alone: its prefix, or for a dialect mounted at `""` the first
//! segment of one of its routes (`/usr/...` and `/pub/...` are usr's, `/api/...` v2's).
//!
//! actix itself answers, with an empty body, a request head it cannot hold (over
//! [`actix's 128 KiB`](https://docs.rs/actix-http) or 96 headers) or a URI over 64 KiB, before
//! any application code sees a request; the bounds here are well inside those, so a client that
//! overshoots them meets the dialect's answer first.

use std::sync::Arc;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse};

pub use crate::miss::{answer, Miss, Unmatched};
use crate::table::Dialect;

/// The longest URI (path and query) a dialect takes: 8 KiB, as common proxies allow.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// The most header bytes (names, values and their separators) a dialect takes.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// The dialects of one listener with their prefixes: app data of its app, read by
/// [`not_found`] and [`bounds`].
#[derive(Clone)]
pub struct Owners(Arc<Vec<(String, Dialect)>>);

impl Owners {
    pub fn new(mounts: impl IntoIterator<Item = (String, Dialect)>) -> Self {
        Self(Arc::new(mounts.into_iter().collect()))
    }

    /// The dialect a path belongs to: the longest prefix it is under, and for a dialect at
    /// `""`, only when its first segment is the first segment of one of that dialect's routes.
    pub fn of(&self, path: &str) -> Option<&Dialect> {
        let mut best: Option<(usize, &Dialect)> = None;
        for (prefix, dialect) in self.0.iter() {
            let prefix = prefix.trim_end_matches('/');
            let Some(rest) = path.strip_prefix(prefix) else {
                continue;
            };
            let owned = if prefix.is_empty() {
                let first = first_segment(rest);
                !first.is_empty()
                    && dialect
                        .routes
                        .iter()
                        .any(|r| first_segment(r.path) == first)
            } else {
                rest.is_empty() || rest.starts_with('/')
            };
            if owned && best.is_none_or(|(len, _)| prefix.len() > len) {
                best = Some((prefix.len(), dialect));
            }
        }
        best.map(|(_, d)| d)
    }
}

fn first_segment(path: &str) -> &str {
    path.trim_start_matches('/').split('/').next().unwrap_or("")
}

/// The default service of a listener's app: 404 in the shape of the dialect the path belongs
/// to, or an empty 404 for a path of nobody's.
pub async fn not_found(req: HttpRequest, owners: Option<Data<Owners>>) -> HttpResponse {
    match owners.as_ref().and_then(|o| o.of(req.path())) {
        Some(dialect) => (dialect.unmatched)(Miss::NotFound, &req),
        None => HttpResponse::NotFound().finish(),
    }
}

/// Middleware around a listener's app: an over-long URI or header block is refused before
/// routing, in the shape of the dialect the path belongs to (an empty answer otherwise).
pub async fn bounds(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let uri = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    let headers: usize = req
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    let miss = if uri > MAX_URI_BYTES {
        Some(Miss::UriTooLong {
            limit: MAX_URI_BYTES,
        })
    } else if headers > MAX_HEADER_BYTES {
        Some(Miss::HeadersTooLarge {
            limit: MAX_HEADER_BYTES,
        })
    } else {
        None
    };
    let Some(miss) = miss else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let owner = req
        .app_data::<Data<Owners>>()
        .and_then(|o| o.of(req.path()).map(|d| d.unmatched));
    let (req, _) = req.into_parts();
    let res = match owner {
        Some(unmatched) => unmatched(miss, &req),
        None => match miss {
            Miss::UriTooLong { .. } => HttpResponse::UriTooLong().finish(),
            _ => HttpResponse::RequestHeaderFieldsTooLarge().finish(),
        },
    };
    Ok(ServiceResponse::new(req, res))
}
