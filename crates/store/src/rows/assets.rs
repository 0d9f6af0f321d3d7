//! keaz assets and bookings.

use diesel::prelude::*;
use rosetta_core::{Asset, Booking, UserId};

use super::from_millis;
use crate::error::StoreError;
use crate::schema::{bookings, user_assets};

#[derive(Insertable)]
#[diesel(table_name = user_assets)]
pub(crate) struct AssetValues<'a> {
    pub(crate) tenant_id: i64,
    pub(crate) user_id: i64,
    pub(crate) tag: &'a str,
    pub(crate) data: &'a str,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

pub(crate) type AssetRow = (String, String, i64, i64);
pub(crate) const ASSET_COLUMNS: (
    user_assets::tag,
    user_assets::data,
    user_assets::created_at,
    user_assets::updated_at,
) = (
    user_assets::tag,
    user_assets::data,
    user_assets::created_at,
    user_assets::updated_at,
);

pub(crate) fn asset_from_row((tag, data, created, updated): AssetRow) -> Result<Asset, StoreError> {
    Ok(Asset {
        tag,
        data,
        created_at: from_millis(created)?,
        updated_at: from_millis(updated)?,
    })
}

#[derive(Insertable)]
#[diesel(table_name = bookings)]
pub(crate) struct BookingValues<'a> {
    pub(crate) tenant_id: i64,
    pub(crate) user_id: i64,
    pub(crate) asset: &'a str,
    pub(crate) starts_at: i64,
    pub(crate) ends_at: i64,
    pub(crate) created_at: i64,
}

pub(crate) type BookingRow = (i64, i64, String, i64, i64, i64);
pub(crate) const BOOKING_COLUMNS: (
    bookings::id,
    bookings::user_id,
    bookings::asset,
    bookings::starts_at,
    bookings::ends_at,
    bookings::created_at,
) = (
    bookings::id,
    bookings::user_id,
    bookings::asset,
    bookings::starts_at,
    bookings::ends_at,
    bookings::created_at,
);

pub(crate) fn booking_from_row(
    (id, user_id, asset, start, end, created): BookingRow,
) -> Result<Booking, StoreError> {
    Ok(Booking {
        id,
        user_id: UserId(user_id),
        asset,
        start: from_millis(start)?,
        end: from_millis(end)?,
        created_at: from_millis(created)?,
    })
}
