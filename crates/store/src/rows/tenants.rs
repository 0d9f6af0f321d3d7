//! Tenants, their role catalogues and the settings table.

use std::collections::HashMap;
use std::sync::Mutex;

use diesel::prelude::*;
use rosetta_core::{Role, TenantId};

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::{roles, settings, tenants};

#[derive(Insertable)]
#[diesel(table_name = settings)]
pub(crate) struct SettingValues<'a> {
    pub(crate) key: &'a str,
    pub(crate) value: &'a str,
}

#[derive(Insertable)]
#[diesel(table_name = tenants)]
pub(crate) struct TenantValues<'a> {
    pub(crate) name: &'a str,
    pub(crate) integration_key_hash: &'a str,
    pub(crate) created_at: i64,
}

/// A role of a tenant's catalogue, as a new tenant is seeded with it or as it is set.
#[derive(Insertable)]
#[diesel(table_name = roles)]
pub(crate) struct RoleValues<'a> {
    tenant_id: i64,
    number: i32,
    name: &'a str,
    admin: bool,
}

impl<'a> RoleValues<'a> {
    pub(crate) fn new(tenant: i64, role: &'a Role) -> Self {
        let Role {
            number,
            name,
            admin,
        } = role;
        Self {
            tenant_id: tenant,
            number: *number,
            name,
            admin: *admin,
        }
    }

    pub(crate) fn insert(&self, conn: &mut DbConn) -> Result<(), StoreError> {
        diesel::insert_into(roles::table)
            .values(self)
            .execute(conn)?;
        Ok(())
    }
}

pub(crate) fn load_roles(conn: &mut DbConn, tenant: TenantId) -> Result<Vec<Role>, StoreError> {
    let rows: Vec<(i32, String, bool)> = roles::table
        .filter(roles::tenant_id.eq(tenant.0))
        .order(roles::number)
        .select((roles::number, roles::name, roles::admin))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(number, name, admin)| Role {
            number,
            name,
            admin,
        })
        .collect())
}

/// Each tenant's role catalogue with the `roles_version` it was read at. The version comes
/// with every session read, so a catalogue changed by another process is read again on the
/// next request that sees the new version; until then no request reads the catalogue.
pub(crate) type RoleCache = Mutex<HashMap<i64, (i64, Vec<Role>)>>;

pub(crate) fn cached_roles(
    conn: &mut DbConn,
    cache: &RoleCache,
    tenant: TenantId,
    version: i64,
) -> Result<Vec<Role>, StoreError> {
    if let Ok(cache) = cache.lock() {
        if let Some((v, roles)) = cache.get(&tenant.0) {
            if *v == version {
                return Ok(roles.clone());
            }
        }
    }
    // Read at the version the session saw or later; a later catalogue is stored under the
    // older version and replaced by the next request that sees the newer one.
    let roles = load_roles(conn, tenant)?;
    if let Ok(mut cache) = cache.lock() {
        cache.insert(tenant.0, (version, roles.clone()));
    }
    Ok(roles)
}
