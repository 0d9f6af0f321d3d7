//! The discovery endpoints (RFC 7644 section 4): `/ServiceProviderConfig`, `/ResourceTypes`,
//! `/Schemas`, read only; and the answer to a path under the prefix that names no endpoint.
//! They need the token like every endpoint: `/Schemas` lists the tenant's role numbers.

use actix_web::web::{Data, Path};
use actix_web::HttpRequest;
use rosetta_core::Directory;

use crate::auth::ScimCaller;
use crate::discovery::{self, Catalogue};
use crate::errors::ScimError;
use crate::http::{base_url, ScimReply};

type Answer = Result<ScimReply, ScimError>;

pub async fn service_provider_config(_: ScimCaller, req: HttpRequest) -> Answer {
    let base = base_url(&req, "/ServiceProviderConfig");
    Ok(ScimReply::ok(discovery::service_provider_config(&base)))
}

pub async fn resource_types(_: ScimCaller, req: HttpRequest) -> Answer {
    let base = base_url(&req, "/ResourceTypes");
    Ok(ScimReply::ok(discovery::resource_types(&base)))
}

pub async fn resource_type(_: ScimCaller, name: Path<String>, req: HttpRequest) -> Answer {
    let base = base_url(&req, "/ResourceTypes/{name}");
    discovery::resource_type(&base, &name)
        .map(ScimReply::ok)
        .ok_or_else(|| ScimError::not_found("ResourceType"))
}

/// The tenant's role numbers, announced as `roles.value`'s canonical values, and the one perm
/// with a meaning of its own that a scim credential may grant (`admin`; never `keaz`,
/// MAPPING.md) as `entitlements.value`'s. Other perm names are free text and not listed.
async fn catalogue(caller: &ScimCaller, dir: &Directory) -> Result<Catalogue, ScimError> {
    let roles = dir.roles(caller.0.tenant).await?;
    Ok(Catalogue {
        role_numbers: roles.iter().map(|r| r.number.to_string()).collect(),
        perm_names: vec!["admin".to_owned()],
    })
}

pub async fn schemas(caller: ScimCaller, req: HttpRequest, dir: Data<Directory>) -> Answer {
    let base = base_url(&req, "/Schemas");
    let catalogue = catalogue(&caller, &dir).await?;
    Ok(ScimReply::ok(discovery::schemas_with(&base, &catalogue)))
}

pub async fn schema(
    caller: ScimCaller,
    urn: Path<String>,
    req: HttpRequest,
    dir: Data<Directory>,
) -> Answer {
    let base = base_url(&req, "/Schemas/{urn}");
    let catalogue = catalogue(&caller, &dir).await?;
    discovery::schema_with(&base, &urn, &catalogue)
        .map(ScimReply::ok)
        .ok_or_else(|| ScimError::not_found("Schema"))
}

/// Discovery is read only: 405 in the SCIM shape.
pub async fn only_get() -> Answer {
    Err(ScimError::method_not_allowed("GET"))
}

/// A path under the prefix that names no endpoint, to a caller with a valid token.
pub async fn no_endpoint(_: ScimCaller) -> Answer {
    Err(ScimError::no_endpoint())
}
