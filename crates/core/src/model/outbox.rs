//! Messages queued for sending and calls counted for `rosetta usage`.

use serde::Serialize;

use super::time::Timestamp;
use crate::ids::TenantId;

/// A message for the outbox, written in the same transaction as the change that causes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEmail {
    pub tenant_id: TenantId,
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEmail {
    pub id: i64,
    pub tenant_id: TenantId,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attempts: i32,
    pub created_at: Timestamp,
}

/// Calls through one route of one dialect by one credential (`rosetta usage`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsageCount {
    pub dialect: String,
    pub credential: String,
    pub route: String,
    pub calls: i64,
}
