//! [`TenantStore`] over Diesel: settings, tenants and role catalogues.

use async_trait::async_trait;
use diesel::prelude::*;
use rosetta_core::{
    CoreResult, KeyAudit, NewTenant, Role, Status, Tenant, TenantId, TenantStore, Timestamp,
    UserStatusCount,
};

use crate::diesel_store::DieselStore;
use crate::error::StoreError;
use crate::rows::credentials::KeyAuditValues;
use crate::rows::tenants::{load_roles, RoleValues, SettingValues, TenantValues};
use crate::rows::{from_millis, millis};
use crate::schema::{roles, settings, tenants, users};

#[async_trait]
impl TenantStore for DieselStore {
    async fn setting_get_or_init(&self, key: &str, value: String) -> CoreResult<String> {
        let key = key.to_owned();
        let written = self
            .db
            .write({
                let key = key.clone();
                move |conn| {
                    let found: Option<String> = settings::table
                        .filter(settings::key.eq(&key))
                        .select(settings::value)
                        .first(conn)
                        .optional()?;
                    if let Some(v) = found {
                        return Ok(v);
                    }
                    diesel::insert_into(settings::table)
                        .values(SettingValues {
                            key: &key,
                            value: &value,
                        })
                        .execute(conn)?;
                    Ok(value)
                }
            })
            .await;
        match written {
            // Another gateway starting on the same fresh PostgreSQL database stored its value
            // between our read and our insert (read committed lets both read nothing): theirs
            // is the one, so every replica uses the same secret key.
            Err(StoreError::Unique(_)) => Ok(self
                .db
                .run(move |conn| {
                    Ok(settings::table
                        .filter(settings::key.eq(&key))
                        .select(settings::value)
                        .first(conn)?)
                })
                .await?),
            other => Ok(other?),
        }
    }

    async fn create_tenant(&self, tenant: NewTenant, now: Timestamp) -> CoreResult<Tenant> {
        let NewTenant {
            name,
            integration_key_hash,
            roles: seed,
        } = tenant;
        Ok(self
            .db
            .write(move |conn| {
                let id: i64 = diesel::insert_into(tenants::table)
                    .values(TenantValues {
                        name: &name,
                        integration_key_hash: &integration_key_hash,
                        created_at: millis(now),
                    })
                    .returning(tenants::id)
                    .get_result(conn)?;
                for r in &seed {
                    RoleValues::new(id, r).insert(conn)?;
                }
                Ok(Tenant {
                    id: TenantId(id),
                    name,
                    created_at: from_millis(millis(now))?,
                })
            })
            .await?)
    }

    async fn tenant(&self, id: TenantId) -> CoreResult<Option<Tenant>> {
        Ok(self
            .db
            .run(move |conn| {
                let row: Option<(i64, String, i64)> = tenants::table
                    .filter(tenants::id.eq(id.0))
                    .select((tenants::id, tenants::name, tenants::created_at))
                    .first(conn)
                    .optional()?;
                row.map(|(id, name, at)| {
                    Ok(Tenant {
                        id: TenantId(id),
                        name,
                        created_at: from_millis(at)?,
                    })
                })
                .transpose()
            })
            .await?)
    }

    async fn tenant_key_hashes(&self, id: TenantId, now: Timestamp) -> CoreResult<Vec<String>> {
        Ok(self
            .db
            .run(move |conn| {
                let row: Option<(String, Option<String>, Option<i64>)> = tenants::table
                    .filter(tenants::id.eq(id.0))
                    .select((
                        tenants::integration_key_hash,
                        tenants::previous_key_hash,
                        tenants::previous_key_valid_until,
                    ))
                    .first(conn)
                    .optional()?;
                Ok(row.map_or_else(Vec::new, |(current, previous, until)| {
                    let mut hashes = vec![current];
                    if let (Some(previous), Some(until)) = (previous, until) {
                        if until > millis(now) {
                            hashes.push(previous);
                        }
                    }
                    hashes
                }))
            })
            .await?)
    }

    async fn rotate_tenant_key(
        &self,
        id: TenantId,
        key_hash: &str,
        audit: KeyAudit,
    ) -> CoreResult<bool> {
        let key_hash = key_hash.to_owned();
        Ok(self
            .db
            .write(move |conn| {
                let old: Option<String> = tenants::table
                    .filter(tenants::id.eq(id.0))
                    .select(tenants::integration_key_hash)
                    .first(conn)
                    .optional()?;
                let Some(old) = old else {
                    return Ok(false);
                };
                // Only the key replaced now stays in the overlap.
                let until = audit.overlap_until.map(millis);
                diesel::update(tenants::table.filter(tenants::id.eq(id.0)))
                    .set((
                        tenants::integration_key_hash.eq(&key_hash),
                        tenants::previous_key_hash.eq(until.map(|_| old)),
                        tenants::previous_key_valid_until.eq(until),
                    ))
                    .execute(conn)?;
                KeyAuditValues::new(id.0, None, &audit).insert(conn)?;
                Ok(true)
            })
            .await?)
    }

    async fn roles(&self, tenant: TenantId) -> CoreResult<Vec<Role>> {
        Ok(self.db.run(move |conn| load_roles(conn, tenant)).await?)
    }

    async fn set_role(&self, tenant: TenantId, role: &Role) -> CoreResult<()> {
        let role = role.clone();
        Ok(self
            .db
            .write(move |conn| {
                let updated = diesel::update(
                    roles::table
                        .filter(roles::tenant_id.eq(tenant.0))
                        .filter(roles::number.eq(role.number)),
                )
                .set((roles::name.eq(&role.name), roles::admin.eq(role.admin)))
                .execute(conn)?;
                if updated == 0 {
                    RoleValues::new(tenant.0, &role).insert(conn)?;
                }
                diesel::update(tenants::table.filter(tenants::id.eq(tenant.0)))
                    .set(tenants::roles_version.eq(tenants::roles_version + 1))
                    .execute(conn)?;
                Ok(())
            })
            .await?)
    }

    async fn tenants(&self) -> CoreResult<Vec<Tenant>> {
        Ok(self
            .db
            .run(move |conn| {
                let rows: Vec<(i64, String, i64)> = tenants::table
                    .order(tenants::id)
                    .select((tenants::id, tenants::name, tenants::created_at))
                    .load(conn)?;
                rows.into_iter()
                    .map(|(id, name, at)| {
                        Ok(Tenant {
                            id: TenantId(id),
                            name,
                            created_at: from_millis(at)?,
                        })
                    })
                    .collect()
            })
            .await?)
    }

    async fn user_status_counts(&self) -> CoreResult<Vec<UserStatusCount>> {
        Ok(self
            .db
            .run(move |conn| {
                // As `rows::users::visible_count`: the filter only while an import is pending,
                // so the counts are read from `users_tenant_status_idx` alone; one read
                // transaction, so no import begins between the question and the counts.
                let rows: Vec<(i64, String, i64)> = conn.transaction(|c| {
                    let pending = crate::rows::users::import_pending(c)?;
                    let counts = users::table
                        .group_by((users::tenant_id, users::status))
                        .select((users::tenant_id, users::status, diesel::dsl::count_star()));
                    if pending {
                        counts
                            .filter(crate::rows::users::visible())
                            .load(c)
                            .map_err(StoreError::from)
                    } else {
                        counts.load(c).map_err(StoreError::from)
                    }
                })?;
                rows.into_iter()
                    .map(|(tenant, status, n)| {
                        let status = Status::parse(&status)
                            .ok_or_else(|| StoreError::Corrupt(format!("status {status}")))?;
                        Ok((TenantId(tenant), status, n))
                    })
                    .collect()
            })
            .await?)
    }
}
