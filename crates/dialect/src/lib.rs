#![doc = include_str!("../README.md")]

use actix_web::web::{Bytes, BytesMut, Payload, ServiceConfig};
use actix_web::{HttpMessage, HttpRequest};
use futures_util::StreamExt;

pub mod wording;

/// One route a dialect serves, relative to its prefix. `{name}` segments match anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
}

impl Route {
    pub const fn new(method: &'static str, path: &'static str) -> Self {
        Self { method, path }
    }
}

/// What a dialect crate exports for the server to mount it.
#[derive(Clone, Copy)]
pub struct Dialect {
    pub name: &'static str,
    pub default_prefix: &'static str,
    pub routes: &'static [Route],
    pub configure: fn(&mut ServiceConfig),
}

/// Body limits from `[limits]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub body_bytes: usize,
    pub import_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            body_bytes: 262_144,
            import_bytes: 10 * 1024 * 1024,
        }
    }
}

/// Who made a call, as `/metrics` and `rosetta usage` should name it (never a secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialLabel(pub String);

/// Records the caller for metrics.
pub fn label_credential(req: &HttpRequest, label: impl Into<String>) {
    req.extensions_mut().insert(CredentialLabel(label.into()));
}

#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    TooLarge,
    Broken,
}

/// Reads the whole body, refusing it as soon as it passes `limit` bytes (a declared
/// Content-Length over the limit is refused before reading anything).
pub async fn read_body(
    req: &HttpRequest,
    mut payload: Payload,
    limit: usize,
) -> Result<Bytes, BodyError> {
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(BodyError::TooLarge);
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| BodyError::Broken)?;
        if body.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// The media type of a request without parameters, lower case ("" when absent).
pub fn media_type(req: &HttpRequest) -> String {
    req.headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default()
}

/// Whether two route paths (prefix included) could match the same request path.
pub fn paths_overlap(a: &str, b: &str) -> bool {
    let sa: Vec<&str> = a.trim_matches('/').split('/').collect();
    let sb: Vec<&str> = b.trim_matches('/').split('/').collect();
    sa.len() == sb.len()
        && sa.iter().zip(&sb).all(|(x, y)| {
            let var = |s: &str| s.starts_with('{') && s.ends_with('}');
            var(x) || var(y) || x == y
        })
}

/// Full path of a route under a prefix.
pub fn join(prefix: &str, path: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    if path.is_empty() || path == "/" {
        if prefix.is_empty() {
            "/".into()
        } else {
            prefix.into()
        }
    } else {
        format!("{prefix}{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap() {
        assert!(paths_overlap("/users/{n}", "/users/5"));
        assert!(paths_overlap("/users", "/users"));
        assert!(!paths_overlap("/users", "/users/{n}"));
        assert!(!paths_overlap("/kashflow/users", "/keaz/users"));
        assert!(paths_overlap("/usr/{id}", "/usr/new"));
    }

    #[test]
    fn joins() {
        assert_eq!(join("/kashflow", "/users"), "/kashflow/users");
        assert_eq!(join("", "/users"), "/users");
        assert_eq!(join("/x/", "/users"), "/x/users");
    }
}
