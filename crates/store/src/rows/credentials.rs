//! Machine credentials.

use diesel::prelude::*;

use crate::schema::credentials;

#[derive(Insertable)]
#[diesel(table_name = credentials, treat_none_as_default_value = false)]
pub(crate) struct CredentialValues<'a> {
    pub(crate) tenant_id: i64,
    pub(crate) dialect: &'a str,
    pub(crate) name: Option<&'a str>,
    pub(crate) token_hash: &'a str,
    pub(crate) created_at: i64,
}
