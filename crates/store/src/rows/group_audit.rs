//! The group audit log: rows read back, and the one encoding of a row written beside a
//! group change.

use diesel::prelude::*;
use rosetta_core::{AuditAction, GroupAuditRecord, NewGroupAudit, TenantId};

use super::{from_millis, millis, uuid};
use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::group_audit;

#[derive(Queryable, Selectable)]
#[diesel(table_name = group_audit)]
pub(crate) struct GroupAuditRow {
    pub id: i64,
    pub tenant_id: i64,
    pub actor: String,
    pub dialect: String,
    pub action: String,
    pub group_uuid: String,
    pub display_name: String,
    pub at: i64,
}

impl GroupAuditRow {
    pub(crate) fn into_record(self) -> Result<GroupAuditRecord, StoreError> {
        let GroupAuditRow {
            id,
            tenant_id,
            actor,
            dialect,
            action,
            group_uuid,
            display_name,
            at,
        } = self;
        Ok(GroupAuditRecord {
            id,
            tenant_id: TenantId(tenant_id),
            actor,
            dialect,
            action: AuditAction::parse(&action)
                .ok_or_else(|| StoreError::Corrupt(format!("group audit action {action}")))?,
            group_uuid: uuid(&group_uuid)?,
            display_name,
            at: from_millis(at)?,
        })
    }
}

#[derive(Insertable)]
#[diesel(table_name = group_audit)]
pub(crate) struct GroupAuditValues<'a> {
    tenant_id: i64,
    actor: &'a str,
    dialect: &'a str,
    action: &'static str,
    group_uuid: String,
    display_name: &'a str,
    at: i64,
}

impl<'a> GroupAuditValues<'a> {
    pub(crate) fn new(audit: &'a NewGroupAudit) -> Self {
        let NewGroupAudit {
            tenant_id,
            actor,
            dialect,
            action,
            group_uuid,
            display_name,
            at,
        } = audit;
        Self {
            tenant_id: tenant_id.0,
            actor,
            dialect,
            action: action.as_str(),
            group_uuid: group_uuid.to_string(),
            display_name,
            at: millis(*at),
        }
    }

    pub(crate) fn insert(&self, conn: &mut DbConn) -> Result<(), StoreError> {
        diesel::insert_into(group_audit::table)
            .values(self)
            .execute(conn)?;
        Ok(())
    }
}
