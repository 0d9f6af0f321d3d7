//! Machine credentials, and the audit of revoking and rotating them.

use diesel::prelude::*;
use rosetta_core::KeyAudit;

use super::millis;
use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::{credential_audit, credentials};

#[derive(Insertable)]
#[diesel(table_name = credentials, treat_none_as_default_value = false)]
pub(crate) struct CredentialValues<'a> {
    pub(crate) tenant_id: i64,
    pub(crate) dialect: &'a str,
    pub(crate) name: Option<&'a str>,
    pub(crate) token_hash: &'a str,
    pub(crate) created_at: i64,
}

/// One row of the audit log of credentials and integration keys.
#[derive(Insertable)]
#[diesel(table_name = credential_audit, treat_none_as_default_value = false)]
pub(crate) struct KeyAuditValues<'a> {
    tenant_id: i64,
    actor: &'a str,
    action: &'static str,
    credential_id: Option<i64>,
    overlap_until: Option<i64>,
    at: i64,
}

impl<'a> KeyAuditValues<'a> {
    pub(crate) fn new(tenant: i64, credential: Option<i64>, audit: &'a KeyAudit) -> Self {
        let KeyAudit {
            actor,
            action,
            overlap_until,
            at,
        } = audit;
        Self {
            tenant_id: tenant,
            actor,
            action: action.as_str(),
            credential_id: credential,
            overlap_until: overlap_until.map(millis),
            at: millis(*at),
        }
    }

    pub(crate) fn insert(&self, conn: &mut DbConn) -> Result<(), StoreError> {
        diesel::insert_into(credential_audit::table)
            .values(self)
            .execute(conn)?;
        Ok(())
    }
}
