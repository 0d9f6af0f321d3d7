//! `/user/{id}/assets` and `/user/{id}/assets/{tag}`: JSON documents stored byte for byte.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Payload};
use actix_web::HttpRequest;
use rosetta_core::{Directory, PutAssetRequest};
use rosetta_dialect::body::media_type;
use rosetta_dialect::{Admin, Limits};

use crate::auth::KeazCaller;
use crate::errors::KeazError;
use crate::reply::RawJson;
use crate::request::{body, is_json, segment, user_id};

fn path_tag(req: &HttpRequest) -> Result<String, KeazError> {
    segment(req, "tag")
        .map(str::to_owned)
        .ok_or_else(KeazError::not_found)
}

pub async fn list_assets(
    KeazCaller(actor): KeazCaller,
    req: HttpRequest,
    dir: Data<Directory>,
) -> Result<RawJson, KeazError> {
    let assets = dir.user_assets(&actor, user_id(&req)?).await?;
    // An object keyed by tag, each value the JSON exactly as it was stored.
    let mut out = String::from("{");
    for (i, a) in assets.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let key = serde_json::to_string(&a.tag).map_err(|e| KeazError::internal(&e.to_string()))?;
        out.push_str(&key);
        out.push(':');
        out.push_str(&a.data);
    }
    out.push('}');
    Ok(RawJson {
        status: StatusCode::OK,
        text: out,
    })
}

pub async fn get_asset(
    KeazCaller(actor): KeazCaller,
    req: HttpRequest,
    dir: Data<Directory>,
) -> Result<RawJson, KeazError> {
    let asset = dir
        .user_asset(&actor, user_id(&req)?, &path_tag(&req)?)
        .await?;
    Ok(RawJson {
        status: StatusCode::OK,
        text: asset.data,
    })
}

pub async fn put_asset(
    Admin(KeazCaller(actor)): Admin<KeazCaller>,
    req: HttpRequest,
    dir: Data<Directory>,
    limits: Data<Limits>,
    payload: Payload,
) -> Result<RawJson, KeazError> {
    let id = user_id(&req)?;
    let tag = path_tag(&req)?;
    if !is_json(&media_type(&req)) {
        return Err(KeazError::unsupported("JSON (application/json)"));
    }
    let bytes = body(&req, payload, limits.body_bytes).await?;
    let text =
        String::from_utf8(bytes).map_err(|_| KeazError::invalid("body", "is not valid UTF-8"))?;
    let text = text.trim();
    if text.is_empty() || serde_json::from_str::<serde::de::IgnoredAny>(text).is_err() {
        return Err(KeazError::invalid("body", "must be a JSON document"));
    }
    let request = PutAssetRequest {
        user: id,
        tag: &tag,
        data: text,
    };
    let (asset, created) = dir.put_user_asset(&actor, request).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(RawJson {
        status,
        text: asset.data,
    })
}
