//! Usage buckets, one row per UTC day, tenant, dialect, caller, route and status class.

use diesel::prelude::*;
use rosetta_core::{TenantId, UsageCount};

use super::{from_millis, millis};
use crate::error::StoreError;
use crate::schema::usage_callers;

/// The `tenant_id` of a call that named no tenant (tenant ids start at 1).
const NO_TENANT: i64 = 0;

#[derive(Insertable)]
#[diesel(table_name = usage_callers)]
pub(crate) struct UsageValues<'a> {
    pub(crate) day: i64,
    pub(crate) tenant_id: i64,
    pub(crate) dialect: &'a str,
    pub(crate) caller: &'a str,
    pub(crate) route: &'a str,
    pub(crate) status_class: &'a str,
    pub(crate) calls: i64,
    pub(crate) first_seen: i64,
    pub(crate) last_seen: i64,
}

impl<'a> UsageValues<'a> {
    pub(crate) fn new(c: &'a UsageCount) -> Self {
        let UsageCount {
            day,
            tenant,
            dialect,
            caller,
            route,
            status_class,
            calls,
            first_seen,
            last_seen,
        } = c;
        Self {
            day: millis(*day),
            tenant_id: tenant.map_or(NO_TENANT, |t| t.0),
            dialect,
            caller,
            route,
            status_class,
            calls: *calls,
            first_seen: millis(*first_seen),
            last_seen: millis(*last_seen),
        }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = usage_callers)]
pub(crate) struct UsageRow {
    pub(crate) day: i64,
    pub(crate) tenant_id: i64,
    pub(crate) dialect: String,
    pub(crate) caller: String,
    pub(crate) route: String,
    pub(crate) status_class: String,
    pub(crate) calls: i64,
    pub(crate) first_seen: i64,
    pub(crate) last_seen: i64,
}

impl UsageRow {
    pub(crate) fn into_count(self) -> Result<UsageCount, StoreError> {
        let UsageRow {
            day,
            tenant_id,
            dialect,
            caller,
            route,
            status_class,
            calls,
            first_seen,
            last_seen,
        } = self;
        Ok(UsageCount {
            day: from_millis(day)?,
            tenant: (tenant_id != NO_TENANT).then_some(TenantId(tenant_id)),
            dialect,
            caller,
            route,
            status_class,
            calls,
            first_seen: from_millis(first_seen)?,
            last_seen: from_millis(last_seen)?,
        })
    }
}
