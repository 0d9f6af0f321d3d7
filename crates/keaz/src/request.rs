//! What a keaz request says besides its caller: query parameters, path ids and JSON bodies.

use actix_web::web::{self, Payload};
use actix_web::HttpRequest;
use rosetta_core::UserId;
use rosetta_dialect::body::{is_blank, media_type, read_body};
use rosetta_dialect::path::{number, NumberRule};
use serde_json::{Map, Value};

use crate::errors::KeazError;
use crate::wire;

pub fn query_pairs(req: &HttpRequest) -> Vec<(String, String)> {
    web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default()
}

pub fn query_value(req: &HttpRequest, name: &str) -> Option<String> {
    query_pairs(req)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// A path segment as the router left it (`%2B` stays encoded, so `+5` in any spelling is no
/// id).
pub fn segment<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.match_info().get(name)
}

/// Ids that are not numbers name no user: 404 like any unknown id.
pub fn user_id(req: &HttpRequest) -> Result<UserId, KeazError> {
    segment(req, "id")
        .and_then(|s| number(s, NumberRule::Integer))
        .map(UserId)
        .ok_or_else(KeazError::not_found)
}

/// The whole body within `limit`.
pub async fn body(req: &HttpRequest, payload: Payload, limit: usize) -> Result<Vec<u8>, KeazError> {
    Ok(read_body(req, payload, limit).await?.to_vec())
}

pub fn is_json(media: &str) -> bool {
    media.is_empty() || media == "application/json" || media.ends_with("+json")
}

/// A JSON body (`None` when empty). A type other than JSON is 415.
pub async fn json_body(
    req: &HttpRequest,
    payload: Payload,
    limit: usize,
) -> Result<Option<Value>, KeazError> {
    if !is_json(&media_type(req)) {
        return Err(KeazError::unsupported("JSON (application/json)"));
    }
    let bytes = body(req, payload, limit).await?;
    if is_blank(&bytes) {
        return Ok(None);
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|_| KeazError::invalid("body", "is not valid JSON"))
}

pub fn object(value: Option<Value>) -> Result<Map<String, Value>, KeazError> {
    match value {
        Some(Value::Object(map)) => Ok(map),
        _ => Err(KeazError::invalid("body", "must be a JSON object")),
    }
}

/// A text member of a JSON object (absent and `null` are both `None`).
pub fn member(map: &Map<String, Value>, name: &str) -> Result<Option<String>, KeazError> {
    Ok(map
        .get(name)
        .map(|v| wire::text(name, v))
        .transpose()?
        .flatten())
}
