//! [`CredentialStore`] over Diesel: machine credentials by token hash, their revocation and
//! rotation.

use async_trait::async_trait;
use diesel::prelude::*;
use rosetta_core::{
    CoreResult, Credential, CredentialChange, CredentialStore, CredentialSummary, KeyAudit,
    NewCredential, TenantId, Timestamp,
};

use crate::db::DbConn;
use crate::diesel_store::DieselStore;
use crate::error::StoreError;
use crate::rows::credentials::{CredentialValues, KeyAuditValues};
use crate::rows::{from_millis, millis};
use crate::schema::credentials;

#[async_trait]
impl CredentialStore for DieselStore {
    async fn create_credential(
        &self,
        credential: NewCredential,
        now: Timestamp,
    ) -> CoreResult<Credential> {
        let NewCredential {
            tenant,
            dialect,
            name,
            token_hash,
        } = credential;
        Ok(self
            .db
            .write(move |conn| {
                let id: i64 = diesel::insert_into(credentials::table)
                    .values(CredentialValues {
                        tenant_id: tenant.0,
                        dialect: &dialect,
                        name: name.as_deref(),
                        token_hash: &token_hash,
                        created_at: millis(now),
                    })
                    .returning(credentials::id)
                    .get_result(conn)?;
                Ok(Credential {
                    id,
                    tenant_id: tenant,
                    dialect,
                    name,
                })
            })
            .await?)
    }

    async fn credential_by_hash(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> CoreResult<Option<Credential>> {
        let token_hash = token_hash.to_owned();
        Ok(self
            .db
            .run(move |conn| {
                let row: Option<(i64, i64, String, Option<String>)> = credentials::table
                    .filter(credentials::revoked_at.is_null())
                    .filter(
                        credentials::token_hash.eq(&token_hash).or(
                            credentials::previous_token_hash
                                .eq(&token_hash)
                                .and(credentials::previous_valid_until.gt(millis(now))),
                        ),
                    )
                    .select((
                        credentials::id,
                        credentials::tenant_id,
                        credentials::dialect,
                        credentials::name,
                    ))
                    .first(conn)
                    .optional()?;
                Ok(row.map(|(id, t, dialect, name)| Credential {
                    id,
                    tenant_id: TenantId(t),
                    dialect,
                    name,
                }))
            })
            .await?)
    }

    async fn credentials_of(&self, tenant: TenantId) -> CoreResult<Vec<CredentialSummary>> {
        Ok(self
            .db
            .run(move |conn| summaries(conn, Some(tenant)))
            .await?)
    }

    async fn every_credential(&self) -> CoreResult<Vec<CredentialSummary>> {
        Ok(self.db.run(move |conn| summaries(conn, None)).await?)
    }

    async fn revoke_credential(
        &self,
        id: i64,
        audit: KeyAudit,
    ) -> CoreResult<CredentialChange<Credential>> {
        Ok(self
            .db
            .write(move |conn| {
                let Some(found) = live_credential(conn, id)? else {
                    return Ok(CredentialChange::NoSuchCredential);
                };
                let LiveCredential::Live { credential, .. } = found else {
                    return Ok(CredentialChange::Revoked);
                };
                diesel::update(credentials::table.filter(credentials::id.eq(id)))
                    .set((
                        credentials::revoked_at.eq(Some(millis(audit.at))),
                        credentials::previous_token_hash.eq(None::<String>),
                        credentials::previous_valid_until.eq(None::<i64>),
                    ))
                    .execute(conn)?;
                KeyAuditValues::new(credential.tenant_id.0, Some(id), &audit).insert(conn)?;
                Ok(CredentialChange::Done(credential))
            })
            .await?)
    }

    async fn rotate_credential(
        &self,
        id: i64,
        token_hash: &str,
        audit: KeyAudit,
    ) -> CoreResult<CredentialChange<Credential>> {
        let token_hash = token_hash.to_owned();
        Ok(self
            .db
            .write(move |conn| {
                let Some(found) = live_credential(conn, id)? else {
                    return Ok(CredentialChange::NoSuchCredential);
                };
                let LiveCredential::Live {
                    credential,
                    token_hash: old,
                } = found
                else {
                    return Ok(CredentialChange::Revoked);
                };
                // Only the secret replaced now stays in the overlap: one rotated out before
                // stops working at once.
                let until = audit.overlap_until.map(millis);
                diesel::update(credentials::table.filter(credentials::id.eq(id)))
                    .set((
                        credentials::token_hash.eq(&token_hash),
                        credentials::previous_token_hash.eq(until.map(|_| old)),
                        credentials::previous_valid_until.eq(until),
                    ))
                    .execute(conn)?;
                KeyAuditValues::new(credential.tenant_id.0, Some(id), &audit).insert(conn)?;
                Ok(CredentialChange::Done(credential))
            })
            .await?)
    }

    async fn touch_credential(&self, id: i64, now: Timestamp) -> CoreResult<()> {
        Ok(self
            .db
            .write(move |conn| {
                diesel::update(credentials::table.filter(credentials::id.eq(id)))
                    .set(credentials::last_used_at.eq(Some(millis(now))))
                    .execute(conn)?;
                Ok(())
            })
            .await?)
    }
}

type SummaryRow = (
    i64,
    i64,
    String,
    Option<String>,
    i64,
    Option<i64>,
    Option<i64>,
);

/// The credentials of `tenant` (of every tenant when None), by tenant then oldest first,
/// revoked ones too.
fn summaries(
    conn: &mut DbConn,
    tenant: Option<TenantId>,
) -> Result<Vec<CredentialSummary>, StoreError> {
    let mut q = credentials::table.into_boxed();
    if let Some(t) = tenant {
        q = q.filter(credentials::tenant_id.eq(t.0));
    }
    let rows: Vec<SummaryRow> = q
        .order((credentials::tenant_id, credentials::id))
        .select((
            credentials::id,
            credentials::tenant_id,
            credentials::dialect,
            credentials::name,
            credentials::created_at,
            credentials::last_used_at,
            credentials::revoked_at,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, tenant_id, dialect, name, created, used, revoked)| {
            Ok(CredentialSummary {
                id,
                tenant_id: TenantId(tenant_id),
                dialect,
                name,
                created_at: from_millis(created)?,
                last_used_at: used.map(from_millis).transpose()?,
                revoked: revoked.is_some(),
            })
        })
        .collect()
}
/// Tenant, dialect, name, token hash, revoked at.
type FoundRow = (i64, String, Option<String>, String, Option<i64>);

enum LiveCredential {
    Live {
        credential: Credential,
        token_hash: String,
    },
    Revoked,
}

/// A credential as a revocation or rotation finds it, inside its transaction.
fn live_credential(conn: &mut DbConn, id: i64) -> Result<Option<LiveCredential>, StoreError> {
    let row: Option<FoundRow> = credentials::table
        .filter(credentials::id.eq(id))
        .select((
            credentials::tenant_id,
            credentials::dialect,
            credentials::name,
            credentials::token_hash,
            credentials::revoked_at,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(tenant, dialect, name, token_hash, revoked)| {
        if revoked.is_some() {
            LiveCredential::Revoked
        } else {
            LiveCredential::Live {
                credential: Credential {
                    id,
                    tenant_id: TenantId(tenant),
                    dialect,
                    name,
                },
                token_hash,
            }
        }
    }))
}
