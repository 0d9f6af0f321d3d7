//! `/Groups` and `/Groups/{id}`: read, create, replace, modify, delete. A PATCH of members is
//! applied as deltas (add, remove, replace) without loading the group's members.

use actix_web::web::{Data, Path, Payload};
use actix_web::HttpRequest;
use rosetta_core::{
    Actor, CoreError, CreateGroupRequest, DeleteGroupRequest, Directory, Group, Members,
    ModifyGroupRequest, ReplaceGroupRequest,
};
use rosetta_dialect::{Admin, Limits};
use serde_json::Value;
use uuid::Uuid;

use crate::auth::ScimCaller;
use crate::convert::{self, etag};
use crate::errors::ScimError;
use crate::http::{base_url, check_if_match, has_if_match, not_modified, read_object, ScimReply};
use crate::input::check_input;
use crate::patch::{apply_patch, member_changes, PatchOp};
use crate::query::{projected, Params};
use crate::schema::GROUP_TYPE;

type Answer = Result<ScimReply, ScimError>;

pub const GROUPS: &str = "/Groups";
pub const GROUP: &str = "/Groups/{id}";

pub fn group_json(group: &Group, base: &str) -> Result<Value, ScimError> {
    serde_json::to_value(convert::group_out(group, base)).map_err(|_| ScimError::internal())
}

fn missing(e: CoreError) -> ScimError {
    match e {
        CoreError::NotFound => ScimError::not_found("Group"),
        other => other.into(),
    }
}

async fn find(
    dir: &Directory,
    actor: &Actor,
    raw: &str,
    members: Members,
) -> Result<Group, ScimError> {
    let uuid = Uuid::parse_str(raw).map_err(|_| ScimError::not_found("Group"))?;
    dir.get_group(actor, uuid, members).await.map_err(missing)
}

/// A written Group checked by the schema (`current`: the resource a PUT replaces).
fn written(
    body: serde_json::Map<String, Value>,
    current: Option<&Value>,
) -> Result<convert::WrittenGroup, ScimError> {
    let mut body = Value::Object(body);
    check_input(&GROUP_TYPE, &mut body, current)?;
    match body {
        Value::Object(map) => convert::written_group(convert::group_in(map)?),
        _ => Err(ScimError::invalid_syntax(
            "The request body must be a JSON object.",
        )),
    }
}

pub async fn get_group(
    ScimCaller(actor): ScimCaller,
    id: Path<String>,
    req: HttpRequest,
    dir: Data<Directory>,
) -> Answer {
    let projection = Params::of(&req)?.projection(&GROUP_TYPE)?;
    // A large group's members are read only when the answer shows them.
    let members = if projection.wants("members") {
        Members::Include
    } else {
        Members::Exclude
    };
    let group = find(&dir, &actor, &id, members).await?;
    let tag = etag(group.version);
    if not_modified(&req, &tag) {
        return Ok(ScimReply::not_modified(tag));
    }
    let body = projection.apply(&group_json(&group, &base_url(&req, GROUP))?);
    Ok(ScimReply::resource(body, tag))
}

pub async fn create_group(
    Admin(ScimCaller(actor)): Admin<ScimCaller>,
    req: HttpRequest,
    payload: Payload,
    dir: Data<Directory>,
    limits: Data<Limits>,
) -> Answer {
    let convert::WrittenGroup {
        display_name,
        external_id,
        members,
    } = written(read_object(&req, payload, &limits).await?, None)?;
    let group = dir
        .create_group(
            &actor,
            CreateGroupRequest {
                display_name,
                external_id,
                members,
            },
        )
        .await?;
    let base = base_url(&req, GROUPS);
    let body = projected(&req, &GROUP_TYPE, &group_json(&group, &base)?)?;
    let location = format!("{base}/Groups/{}", group.uuid);
    Ok(ScimReply::created(body, etag(group.version), location))
}

pub async fn replace_group(
    Admin(ScimCaller(actor)): Admin<ScimCaller>,
    id: Path<String>,
    req: HttpRequest,
    payload: Payload,
    dir: Data<Directory>,
    limits: Data<Limits>,
) -> Answer {
    let current = find(&dir, &actor, &id, Members::Include).await?;
    check_if_match(&req, &etag(current.version))?;
    let base = base_url(&req, GROUP);
    let convert::WrittenGroup {
        display_name,
        external_id,
        members,
    } = written(
        read_object(&req, payload, &limits).await?,
        Some(&group_json(&current, &base)?),
    )?;
    let group = dir
        .replace_group(
            &actor,
            ReplaceGroupRequest {
                uuid: current.uuid,
                expected_version: has_if_match(&req).then_some(current.version),
                display_name,
                external_id,
                members,
            },
        )
        .await
        .map_err(missing)?;
    let body = projected(&req, &GROUP_TYPE, &group_json(&group, &base)?)?;
    Ok(ScimReply::resource(body, etag(group.version)))
}

/// PATCH. Member operations told by ids alone (Entra ID's and Okta's batches) become deltas,
/// the rest is applied to the group without its members; a member filter the ids cannot tell
/// (`members[display co "x"]`) loads the members and replaces them. Either way one write.
pub async fn patch_group(
    Admin(ScimCaller(actor)): Admin<ScimCaller>,
    id: Path<String>,
    req: HttpRequest,
    payload: Payload,
    dir: Data<Directory>,
    limits: Data<Limits>,
) -> Answer {
    let body = Value::Object(read_object(&req, payload, &limits).await?);
    let op = PatchOp::from_json(&body)?;
    let base = base_url(&req, GROUP);
    let pinned = has_if_match(&req);
    let group = match member_changes(&op)? {
        Some(plan) => {
            let current = find(&dir, &actor, &id, Members::Exclude).await?;
            check_if_match(&req, &etag(current.version))?;
            let mut resource = group_json(&current, &base)?;
            let rest = PatchOp {
                operations: plan.rest,
            };
            let changed = apply_patch(&GROUP_TYPE, &mut resource, &rest)?.changed;
            let ids = |raw: Vec<String>| {
                raw.iter()
                    .map(|r| convert::member_id(r))
                    .collect::<Result<Vec<_>, _>>()
            };
            let members = plan.members;
            if !changed && members.is_empty() {
                current
            } else {
                let (display_name, external_id) = if changed {
                    let written = written_of(resource)?;
                    (
                        Some(written.display_name).filter(|d| *d != current.display_name),
                        Some(written.external_id).filter(|e| *e != current.external_id),
                    )
                } else {
                    (None, None)
                };
                dir.modify_group(
                    &actor,
                    ModifyGroupRequest {
                        uuid: current.uuid,
                        expected_version: pinned.then_some(current.version),
                        display_name,
                        external_id,
                        replace_members: members.replace_all.map(ids).transpose()?,
                        add_members: ids(members.add)?,
                        remove_members: ids(members.remove)?,
                    },
                )
                .await
                .map_err(missing)?
            }
        }
        None => {
            let current = find(&dir, &actor, &id, Members::Include).await?;
            check_if_match(&req, &etag(current.version))?;
            let mut resource = group_json(&current, &base)?;
            if !apply_patch(&GROUP_TYPE, &mut resource, &op)?.changed {
                current
            } else {
                let convert::WrittenGroup {
                    display_name,
                    external_id,
                    members,
                } = written_of(resource)?;
                dir.replace_group(
                    &actor,
                    ReplaceGroupRequest {
                        uuid: current.uuid,
                        expected_version: Some(current.version),
                        display_name,
                        external_id,
                        members,
                    },
                )
                .await
                .map_err(missing)?
            }
        }
    };
    let projection = Params::of(&req)?.projection(&GROUP_TYPE)?;
    // The answer of a member delta shows the members as they now are.
    let group = if projection.wants("members") && group.members.is_empty() {
        find(&dir, &actor, &group.uuid.to_string(), Members::Include).await?
    } else {
        group
    };
    let body = projection.apply(&group_json(&group, &base)?);
    Ok(ScimReply::resource(body, etag(group.version)))
}

/// A patched resource read back as a written Group.
fn written_of(resource: Value) -> Result<convert::WrittenGroup, ScimError> {
    match resource {
        Value::Object(map) => convert::written_group(convert::group_in(map)?),
        _ => Err(ScimError::internal()),
    }
}

pub async fn delete_group(
    Admin(ScimCaller(actor)): Admin<ScimCaller>,
    id: Path<String>,
    req: HttpRequest,
    dir: Data<Directory>,
) -> Answer {
    let current = find(&dir, &actor, &id, Members::Exclude).await?;
    check_if_match(&req, &etag(current.version))?;
    dir.delete_group(
        &actor,
        DeleteGroupRequest {
            uuid: current.uuid,
            expected_version: Some(current.version),
        },
    )
    .await
    .map_err(missing)?;
    Ok(ScimReply::no_content())
}
