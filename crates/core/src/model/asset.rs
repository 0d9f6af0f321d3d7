//! keaz assets and bookings.

use super::time::Timestamp;
use crate::ids::UserId;

/// A keaz asset: a JSON document a client stored under a tag for one user. The core keeps the
/// text exactly as the client sent it (key order included); the dialect checks it is JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub tag: String,
    pub data: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A booking of an asset by a user over `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBooking {
    pub asset: String,
    pub start: Timestamp,
    pub end: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    pub id: i64,
    pub user_id: UserId,
    pub asset: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub created_at: Timestamp,
}
