//! Sessions and temporary tokens.

use diesel::prelude::*;
use rosetta_core::{NewSession, Session, SessionKind, TenantId, Timestamp, UserId};

use super::{from_millis, millis};
use crate::error::StoreError;
use crate::schema::sessions;

#[derive(Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub(crate) struct SessionRow {
    pub id: i64,
    pub tenant_id: i64,
    pub user_id: i64,
    pub dialect: String,
    pub kind: String,
    pub data: Option<String>,
    pub created_at: i64,
    pub last_used_at: i64,
    pub expires_at: i64,
}

impl SessionRow {
    pub(crate) fn into_session(self) -> Result<Session, StoreError> {
        Ok(Session {
            id: self.id,
            tenant_id: TenantId(self.tenant_id),
            user_id: UserId(self.user_id),
            dialect: self.dialect,
            kind: SessionKind::parse(&self.kind)
                .ok_or_else(|| StoreError::Corrupt(format!("session kind {}", self.kind)))?,
            data: self.data,
            created_at: from_millis(self.created_at)?,
            last_used_at: from_millis(self.last_used_at)?,
            expires_at: from_millis(self.expires_at)?,
        })
    }
}

/// A session row to insert.
#[derive(Insertable)]
#[diesel(table_name = sessions, treat_none_as_default_value = false)]
pub(crate) struct SessionValues<'a> {
    tenant_id: i64,
    user_id: i64,
    dialect: &'a str,
    kind: &'static str,
    token_hash: &'a str,
    data: Option<&'a str>,
    created_at: i64,
    last_used_at: i64,
    expires_at: i64,
}

impl<'a> SessionValues<'a> {
    pub(crate) fn new(session: &'a NewSession, now: Timestamp) -> Self {
        let NewSession {
            tenant_id,
            user_id,
            dialect,
            kind,
            token_hash,
            data,
            expires_at,
        } = session;
        Self {
            tenant_id: tenant_id.0,
            user_id: user_id.0,
            dialect,
            kind: kind.as_str(),
            token_hash,
            data: data.as_deref(),
            created_at: millis(now),
            last_used_at: millis(now),
            expires_at: millis(*expires_at),
        }
    }
}
