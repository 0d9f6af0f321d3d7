//! [`GroupStore`] over Diesel: groups one at a time, with their members and audit rows.

use std::collections::HashMap;

use async_trait::async_trait;
use diesel::prelude::*;
use rosetta_core::{
    CoreError, CoreResult, Group, GroupAuditRecord, GroupRef, GroupStore, GroupUpdateWrite,
    Members, NewGroupAudit, NewGroupWrite, TenantId, Timestamp,
};
use uuid::Uuid;

use crate::db::DbConn;
use crate::diesel_store::DieselStore;
use crate::error::StoreError;
use crate::rows::group_audit::{GroupAuditRow, GroupAuditValues};
use crate::rows::groups::{
    add_members, clear_members, group_refs, group_row, insert_group_row, into_groups, member_ids,
    remove_members, GroupValues,
};
use crate::rows::users::visible;
use crate::schema::{group_audit, groups, users};

/// Group uuids read by one statement of `group_names`.
const NAMES_CHUNK: usize = 500;

#[async_trait]
impl GroupStore for DieselStore {
    async fn insert_group(&self, write: NewGroupWrite, now: Timestamp) -> CoreResult<Group> {
        let NewGroupWrite {
            record,
            members,
            audit,
        } = write;
        Ok(self
            .db
            .write(move |conn| {
                let tenant = record.tenant_id;
                let values = GroupValues::new(record.display_name, record.external_id, now);
                let id = insert_group_row(conn, tenant, record.uuid, &values, now)?;
                let users = member_ids(conn, tenant, &members)?;
                add_members(conn, id, &users)?;
                GroupAuditValues::new(&audit).insert(conn)?;
                read_group(conn, tenant, record.uuid)
            })
            .await?)
    }

    async fn group(
        &self,
        tenant: TenantId,
        uuid: Uuid,
        members: Members,
    ) -> CoreResult<Option<Group>> {
        Ok(self
            .db
            .run(move |conn| {
                let Some(row) = group_row(conn, tenant, uuid)? else {
                    return Ok(None);
                };
                Ok(into_groups(conn, vec![row], members)?.pop())
            })
            .await?)
    }

    async fn update_group(&self, write: GroupUpdateWrite, now: Timestamp) -> CoreResult<Group> {
        Ok(self.db.write(move |conn| update(conn, write, now)).await?)
    }

    async fn delete_group(
        &self,
        tenant: TenantId,
        uuid: Uuid,
        expected_version: Option<i64>,
        audit: NewGroupAudit,
    ) -> CoreResult<bool> {
        Ok(self
            .db
            .write(move |conn| {
                let Some(row) = group_row(conn, tenant, uuid)? else {
                    return Ok(false);
                };
                check_version(row.version, expected_version)?;
                // The memberships go with it (ON DELETE CASCADE).
                diesel::delete(groups::table.filter(groups::id.eq(row.id))).execute(conn)?;
                GroupAuditValues::new(&audit).insert(conn)?;
                Ok(true)
            })
            .await?)
    }

    async fn groups_of_user(
        &self,
        tenant: TenantId,
        user: Uuid,
    ) -> CoreResult<Option<Vec<GroupRef>>> {
        Ok(self
            .db
            .run(move |conn| {
                let id: Option<i64> = users::table
                    .filter(users::tenant_id.eq(tenant.0))
                    .filter(users::uuid.eq(user.to_string()))
                    .filter(visible())
                    .select(users::id)
                    .first(conn)
                    .optional()?;
                id.map(|id| group_refs(conn, id)).transpose()
            })
            .await?)
    }

    async fn group_names(
        &self,
        tenant: TenantId,
        wanted: &[Uuid],
    ) -> CoreResult<HashMap<Uuid, String>> {
        let wanted: Vec<String> = wanted.iter().map(Uuid::to_string).collect();
        Ok(self
            .db
            .run(move |conn| {
                let mut out = HashMap::new();
                // Chunked: a page of users may name many groups, and SQLite binds at most
                // 32766 values in one statement.
                for chunk in wanted.chunks(NAMES_CHUNK) {
                    let rows: Vec<(String, String)> = groups::table
                        .filter(groups::tenant_id.eq(tenant.0))
                        .filter(groups::uuid.eq_any(chunk))
                        .select((groups::uuid, groups::display_name))
                        .load(conn)?;
                    for (uuid, name) in rows {
                        let uuid = Uuid::parse_str(&uuid)
                            .map_err(|e| StoreError::Corrupt(format!("group uuid: {e}")))?;
                        out.insert(uuid, name);
                    }
                }
                Ok(out)
            })
            .await?)
    }

    async fn group_audits(
        &self,
        tenant: TenantId,
        uuid: Uuid,
    ) -> CoreResult<Vec<GroupAuditRecord>> {
        Ok(self
            .db
            .run(move |conn| {
                let rows: Vec<GroupAuditRow> = group_audit::table
                    .filter(group_audit::tenant_id.eq(tenant.0))
                    .filter(group_audit::group_uuid.eq(uuid.to_string()))
                    .order(group_audit::id.asc())
                    .select(GroupAuditRow::as_select())
                    .load(conn)?;
                rows.into_iter().map(GroupAuditRow::into_record).collect()
            })
            .await?)
    }
}

fn check_version(current: i64, expected: Option<i64>) -> Result<(), StoreError> {
    match expected {
        Some(v) if v != current => Err(CoreError::VersionConflict { current }.into()),
        _ => Ok(()),
    }
}

/// One [`GroupUpdateWrite`], inside the caller's transaction.
fn update(conn: &mut DbConn, write: GroupUpdateWrite, now: Timestamp) -> Result<Group, StoreError> {
    let GroupUpdateWrite {
        tenant,
        uuid,
        expected_version,
        display_name,
        external_id,
        replace_members,
        add_members: add,
        remove_members: remove,
        audit,
    } = write;
    let row = group_row(conn, tenant, uuid)?.ok_or(CoreError::NotFound)?;
    check_version(row.version, expected_version)?;
    let values = GroupValues::new(
        display_name.unwrap_or(row.display_name),
        external_id.unwrap_or(row.external_id),
        now,
    );
    // Guarded by the version read above: a writer that got in between makes this change
    // nothing, and the write is refused rather than applied over a version not checked.
    let changed = diesel::update(
        groups::table
            .filter(groups::id.eq(row.id))
            .filter(groups::version.eq(row.version)),
    )
    .set((&values, groups::version.eq(groups::version + 1)))
    .execute(conn)?;
    if changed == 0 {
        let current: i64 = groups::table
            .filter(groups::id.eq(row.id))
            .select(groups::version)
            .first(conn)?;
        return Err(CoreError::VersionConflict { current }.into());
    }
    if let Some(all) = replace_members {
        let users = member_ids(conn, tenant, &all)?;
        clear_members(conn, row.id)?;
        add_members(conn, row.id, &users)?;
    }
    if !remove.is_empty() {
        // Removing a uuid that is no member (or no user) changes nothing.
        let ids: Vec<i64> = users::table
            .filter(users::tenant_id.eq(tenant.0))
            .filter(visible())
            .filter(users::uuid.eq_any(remove.iter().map(Uuid::to_string).collect::<Vec<_>>()))
            .select(users::id)
            .load(conn)?;
        remove_members(conn, row.id, &ids)?;
    }
    if !add.is_empty() {
        let users = member_ids(conn, tenant, &add)?;
        add_members(conn, row.id, &users)?;
    }
    GroupAuditValues::new(&audit).insert(conn)?;
    read_group(conn, tenant, uuid)
}

fn read_group(conn: &mut DbConn, tenant: TenantId, uuid: Uuid) -> Result<Group, StoreError> {
    let row = group_row(conn, tenant, uuid)?.ok_or(CoreError::NotFound)?;
    into_groups(conn, vec![row], Members::Include)?
        .pop()
        .ok_or_else(|| CoreError::NotFound.into())
}
