//! What every SCIM handler shares: where the dialect is mounted (for absolute URLs), the
//! request body, the answer with its SCIM media type and headers, and ETag preconditions.

use actix_web::body::BoxBody;
use actix_web::http::{header, StatusCode};
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse, Responder, ResponseError};
use rosetta_dialect::body::media_type;
use rosetta_dialect::{read_body, Limits};
use serde_json::{Map, Value};

use crate::convert;
use crate::errors::ScimError;
use crate::wire::SCIM_JSON;

/// The absolute URL of the dialect's prefix (`http://host:port/scim/v2`), from the request's
/// path less the `pattern` of its route (`/Users/{id}`): the prefix is the operator's.
pub fn base_url(req: &HttpRequest, pattern: &str) -> String {
    let depth = pattern.trim_matches('/').split('/').count();
    let path = req.path().trim_end_matches('/');
    let mut prefix = path;
    for _ in 0..depth {
        prefix = prefix.rsplit_once('/').map_or("", |(head, _)| head);
    }
    let info = req.connection_info();
    format!("{}://{}{prefix}", info.scheme(), info.host())
}

/// The body as one JSON object, within the mount's limit. `application/scim+json` and
/// `application/json` are accepted (and no type at all, as curl sends without `-H`).
pub async fn read_object(
    req: &HttpRequest,
    payload: Payload,
    limits: &Data<Limits>,
) -> Result<Map<String, Value>, ScimError> {
    let media = media_type(req);
    if !matches!(
        media.as_str(),
        "" | "application/scim+json" | "application/json"
    ) {
        return Err(ScimError::unsupported_media_type(&media));
    }
    let bytes = read_body(req, payload, limits.body_bytes).await?;
    convert::parse_object(&bytes)
}

/// A SCIM answer: JSON as `application/scim+json`, with the resource's `ETag` and, on a
/// create, its `Location`.
pub struct ScimReply {
    status: StatusCode,
    body: Option<Value>,
    etag: Option<String>,
    location: Option<String>,
}

impl ScimReply {
    pub fn ok(body: Value) -> Self {
        Self {
            status: StatusCode::OK,
            body: Some(body),
            etag: None,
            location: None,
        }
    }

    /// A resource: 200 with its ETag (`meta.version`).
    pub fn resource(body: Value, etag: String) -> Self {
        Self {
            etag: Some(etag),
            ..Self::ok(body)
        }
    }

    /// 201 with `Location` and `ETag`.
    pub fn created(body: Value, etag: String, location: String) -> Self {
        Self {
            status: StatusCode::CREATED,
            body: Some(body),
            etag: Some(etag),
            location: Some(location),
        }
    }

    /// 204, after a DELETE.
    pub fn no_content() -> Self {
        Self {
            status: StatusCode::NO_CONTENT,
            body: None,
            etag: None,
            location: None,
        }
    }

    /// 304: the client's copy (`If-None-Match`) is current.
    pub fn not_modified(etag: String) -> Self {
        Self {
            status: StatusCode::NOT_MODIFIED,
            body: None,
            etag: Some(etag),
            location: None,
        }
    }
}

impl Responder for ScimReply {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        let mut res = HttpResponse::build(self.status);
        if let Some(etag) = self.etag {
            res.insert_header((header::ETAG, etag));
        }
        if let Some(location) = self.location {
            res.insert_header((header::LOCATION, location));
        }
        match self.body {
            Some(body) => match serde_json::to_vec(&body) {
                Ok(bytes) => res.content_type(SCIM_JSON).body(bytes),
                Err(_) => ScimError::internal().error_response(),
            },
            None => res.finish(),
        }
    }
}

/// Whether the ETag list of a precondition header names `etag` (`*` names any). Weak and
/// strong forms of one version compare equal (RFC 7232 weak comparison).
fn names(list: &str, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let want = bare(etag);
    list.split(',')
        .map(str::trim)
        .any(|t| t == "*" || bare(t) == want)
}

/// `If-Match` on a write: absent, or naming the current version; otherwise 412.
pub fn check_if_match(req: &HttpRequest, etag: &str) -> Result<(), ScimError> {
    match req.headers().get(header::IF_MATCH) {
        None => Ok(()),
        Some(v) => match v.to_str() {
            Ok(list) if names(list, etag) => Ok(()),
            _ => Err(ScimError::precondition_failed()),
        },
    }
}

/// Whether a write carries `If-Match` (so it must be applied to that version only).
pub fn has_if_match(req: &HttpRequest) -> bool {
    req.headers().contains_key(header::IF_MATCH)
}

/// `If-None-Match` on a read naming the current version: answer 304.
pub fn not_modified(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|list| names(list, etag))
}

#[cfg(test)]
mod tests {
    use super::names;

    #[test]
    fn etag_lists() {
        assert!(names("W/\"3\"", "W/\"3\""));
        assert!(names("\"3\"", "W/\"3\""));
        assert!(names("W/\"1\", W/\"3\"", "W/\"3\""));
        assert!(names("*", "W/\"3\""));
        assert!(!names("W/\"2\"", "W/\"3\""));
        assert!(!names("", "W/\"3\""));
    }
}
