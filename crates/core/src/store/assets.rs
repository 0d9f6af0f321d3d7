//! keaz assets and bookings. Each is scoped to the tenant: a user of another tenant is
//! `Err(NotFound)`, exactly like one that does not exist.

use async_trait::async_trait;

use crate::error::CoreResult;
use crate::ids::{TenantId, UserId};
use crate::model::{Asset, Booking, NewBooking, Timestamp};

/// A document to store under a tag (the tag already checked).
#[derive(Debug, Clone)]
pub struct NewAsset {
    pub tag: String,
    pub data: String,
}

#[async_trait]
pub trait AssetStore: Send + Sync {
    /// The user's assets, by tag.
    async fn user_assets(&self, tenant: TenantId, user: UserId) -> CoreResult<Vec<Asset>>;
    async fn user_asset(
        &self,
        tenant: TenantId,
        user: UserId,
        tag: &str,
    ) -> CoreResult<Option<Asset>>;
    /// Creates or replaces the asset under its tag; true when it was created.
    async fn put_user_asset(
        &self,
        tenant: TenantId,
        user: UserId,
        asset: NewAsset,
        now: Timestamp,
    ) -> CoreResult<(Asset, bool)>;
    async fn insert_booking(
        &self,
        tenant: TenantId,
        user: UserId,
        booking: NewBooking,
        now: Timestamp,
    ) -> CoreResult<Booking>;
    /// The user's bookings that overlap `[from, to)`, by start.
    async fn bookings_overlapping(
        &self,
        tenant: TenantId,
        user: UserId,
        from: Timestamp,
        to: Timestamp,
    ) -> CoreResult<Vec<Booking>>;
}
