//! Groups: created, read, replaced, changed and deleted by an administrator of the tenant,
//! each write one store transaction with its audit row.

use std::collections::HashMap;

use uuid::Uuid;

use super::actor::Actor;
use super::group_requests::{
    CreateGroupRequest, DeleteGroupRequest, ModifyGroupRequest, ReplaceGroupRequest,
};
use super::service::{now, Directory};
use crate::error::{CoreError, CoreResult, Field, Problem};
use crate::model::{
    AuditAction, Group, GroupAuditRecord, GroupRecord, GroupRef, Members, NewGroupAudit,
};
use crate::store::{GroupUpdateWrite, NewGroupWrite};
use crate::text::{self, TextKind};

/// A display name as stored: trimmed, not empty, one line.
fn display_name(raw: &str) -> CoreResult<String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(CoreError::invalid(Field::DisplayName, Problem::Empty));
    }
    text::check(Field::DisplayName, TextKind::Name, name)?;
    Ok(name.to_owned())
}

/// An external id as stored: blank is none.
fn external_id(raw: Option<String>) -> CoreResult<Option<String>> {
    let Some(raw) = raw else { return Ok(None) };
    let id = raw.trim();
    if id.is_empty() {
        return Ok(None);
    }
    text::check(Field::ExternalId, TextKind::Name, id)?;
    Ok(Some(id.to_owned()))
}

impl Directory {
    fn group_audit(actor: &Actor, action: AuditAction, uuid: Uuid, name: &str) -> NewGroupAudit {
        NewGroupAudit {
            tenant_id: actor.tenant,
            actor: actor.label(),
            dialect: actor.dialect.to_owned(),
            action,
            group_uuid: uuid,
            display_name: name.to_owned(),
            at: now(),
        }
    }

    pub async fn create_group(&self, actor: &Actor, r: CreateGroupRequest) -> CoreResult<Group> {
        let CreateGroupRequest {
            display_name: name,
            external_id: ext,
            members,
        } = r;
        actor.require_admin()?;
        let name = display_name(&name)?;
        let record = GroupRecord {
            uuid: Uuid::new_v4(),
            tenant_id: actor.tenant,
            external_id: external_id(ext)?,
            display_name: name.clone(),
        };
        let audit = Self::group_audit(actor, AuditAction::Create, record.uuid, &name);
        self.store
            .insert_group(
                NewGroupWrite {
                    record,
                    members,
                    audit,
                },
                now(),
            )
            .await
    }

    /// Another tenant's group is `NotFound`, as a missing one.
    pub async fn get_group(
        &self,
        actor: &Actor,
        uuid: Uuid,
        members: Members,
    ) -> CoreResult<Group> {
        self.store
            .group(actor.tenant, uuid, members)
            .await?
            .ok_or(CoreError::NotFound)
    }

    pub async fn replace_group(&self, actor: &Actor, r: ReplaceGroupRequest) -> CoreResult<Group> {
        let ReplaceGroupRequest {
            uuid,
            expected_version,
            display_name: name,
            external_id: ext,
            members,
        } = r;
        self.modify_group(
            actor,
            ModifyGroupRequest {
                uuid,
                expected_version,
                display_name: Some(name),
                external_id: Some(ext),
                replace_members: Some(members),
                add_members: Vec::new(),
                remove_members: Vec::new(),
            },
        )
        .await
    }

    pub async fn modify_group(&self, actor: &Actor, r: ModifyGroupRequest) -> CoreResult<Group> {
        let ModifyGroupRequest {
            uuid,
            expected_version,
            display_name: name,
            external_id: ext,
            replace_members,
            add_members,
            remove_members,
        } = r;
        actor.require_admin()?;
        let name = name.as_deref().map(display_name).transpose()?;
        let ext = ext.map(external_id).transpose()?;
        // The audit row names the group as it is after the write.
        let shown = match &name {
            Some(n) => n.clone(),
            None => {
                self.get_group(actor, uuid, Members::Exclude)
                    .await?
                    .display_name
            }
        };
        let audit = Self::group_audit(actor, AuditAction::Update, uuid, &shown);
        self.store
            .update_group(
                GroupUpdateWrite {
                    tenant: actor.tenant,
                    uuid,
                    expected_version,
                    display_name: name,
                    external_id: ext,
                    replace_members,
                    add_members,
                    remove_members,
                    audit,
                },
                now(),
            )
            .await
    }

    pub async fn delete_group(&self, actor: &Actor, r: DeleteGroupRequest) -> CoreResult<()> {
        let DeleteGroupRequest {
            uuid,
            expected_version,
        } = r;
        actor.require_admin()?;
        let current = self.get_group(actor, uuid, Members::Exclude).await?;
        let audit = Self::group_audit(actor, AuditAction::Delete, uuid, &current.display_name);
        if self
            .store
            .delete_group(actor.tenant, uuid, expected_version, audit)
            .await?
        {
            Ok(())
        } else {
            Err(CoreError::NotFound)
        }
    }

    /// The groups a user of the actor's tenant belongs to; `NotFound` for no such user.
    pub async fn groups_of_user(&self, actor: &Actor, user: Uuid) -> CoreResult<Vec<GroupRef>> {
        self.store
            .groups_of_user(actor.tenant, user)
            .await?
            .ok_or(CoreError::NotFound)
    }

    /// The display names of the groups of the actor's tenant among `groups` (another
    /// tenant's, or a group deleted meanwhile, is left out); one read for them all.
    pub async fn group_names(
        &self,
        actor: &Actor,
        groups: &[Uuid],
    ) -> CoreResult<HashMap<Uuid, String>> {
        if groups.is_empty() {
            return Ok(HashMap::new());
        }
        self.store.group_names(actor.tenant, groups).await
    }

    /// Every audit row about one group of the actor's tenant, oldest first.
    pub async fn group_audits(
        &self,
        actor: &Actor,
        uuid: Uuid,
    ) -> CoreResult<Vec<GroupAuditRecord>> {
        self.store.group_audits(actor.tenant, uuid).await
    }
}
