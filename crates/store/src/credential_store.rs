//! [`CredentialStore`] over Diesel: machine credentials by token hash.

use async_trait::async_trait;
use diesel::prelude::*;
use rosetta_core::{CoreResult, Credential, CredentialStore, NewCredential, TenantId, Timestamp};

use crate::diesel_store::DieselStore;
use crate::rows::credentials::CredentialValues;
use crate::rows::millis;
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

    async fn credential_by_hash(&self, token_hash: &str) -> CoreResult<Option<Credential>> {
        let token_hash = token_hash.to_owned();
        Ok(self
            .db
            .run(move |conn| {
                let row: Option<(i64, i64, String, Option<String>)> = credentials::table
                    .filter(credentials::token_hash.eq(&token_hash))
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
}
