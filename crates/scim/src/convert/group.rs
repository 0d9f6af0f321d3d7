//! SCIM Group <-> the core's group.

use rosetta_core::{Group, Member};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::user_out::{etag, timestamp};
use super::values::{item_value, items, string};
use crate::errors::ScimError;
use crate::schema::urn;
use crate::wire::{GroupIn, GroupOut, Meta, RefOut};

/// The SCIM view of a group; `base` is the absolute URL of the prefix.
pub fn group_out(group: &Group, base: &str) -> GroupOut {
    let Group {
        uuid,
        tenant_id: _,
        display_name,
        external_id,
        members,
        created_at,
        updated_at,
        version,
    } = group;
    GroupOut {
        schemas: vec![urn::GROUP],
        id: uuid.to_string(),
        external_id: external_id.clone(),
        display_name: display_name.clone(),
        members: members
            .iter()
            .map(|m| {
                let Member { user, display } = m;
                RefOut {
                    value: user.to_string(),
                    display: Some(display.clone()),
                    reference: format!("{base}/Users/{user}"),
                    kind: Some("User"),
                }
            })
            .collect(),
        meta: Meta {
            resource_type: "Group",
            created: timestamp(created_at),
            last_modified: timestamp(updated_at),
            location: format!("{base}/Groups/{uuid}"),
            version: etag(*version),
        },
    }
}

/// A written Group (checked by the schema first).
pub fn group_in(map: Map<String, Value>) -> Result<GroupIn, ScimError> {
    serde_json::from_value(Value::Object(map))
        .map_err(|_| ScimError::invalid_syntax("The request body is not a SCIM Group."))
}

/// What a written Group says: its name, external id and member user ids.
pub struct WrittenGroup {
    pub display_name: String,
    pub external_id: Option<String>,
    pub members: Vec<Uuid>,
}

/// A member's `value`: a User's id. Anything else names no user of the tenant.
pub fn member_id(raw: &str) -> Result<Uuid, ScimError> {
    Uuid::parse_str(raw.trim()).map_err(|_| {
        ScimError::invalid_value(format!("members.value {raw:?} is not the id of a User."))
    })
}

pub fn written_group(body: GroupIn) -> Result<WrittenGroup, ScimError> {
    let GroupIn {
        display_name,
        external_id,
        members,
    } = body;
    let display_name = display_name
        .map(|v| string("displayName", v))
        .transpose()?
        .flatten()
        .ok_or_else(|| ScimError::invalid_value("displayName is required."))?;
    let external_id = external_id
        .map(|v| string("externalId", v))
        .transpose()?
        .flatten()
        .filter(|e| !e.trim().is_empty());
    let mut ids = Vec::new();
    if let Some(v) = members {
        for mut item in items("members", v, &["value", "display", "$ref", "type"])? {
            if let Some(raw) = item_value("members", &mut item)? {
                let id = member_id(&raw)?;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
    }
    Ok(WrittenGroup {
        display_name,
        external_id,
        members: ids,
    })
}
