//! [`AssetStore`] over Diesel: keaz assets and bookings, each behind a check that the user is
//! the tenant's.

use async_trait::async_trait;
use diesel::prelude::*;
use rosetta_core::{
    Asset, AssetStore, Booking, CoreResult, NewAsset, NewBooking, TenantId, Timestamp, UserId,
};

use crate::diesel_store::DieselStore;
use crate::rows::assets::{
    asset_from_row, booking_from_row, AssetRow, AssetValues, BookingRow, BookingValues,
    ASSET_COLUMNS, BOOKING_COLUMNS,
};
use crate::rows::millis;
use crate::rows::users::require_user;
use crate::schema::{bookings, user_assets};

#[async_trait]
impl AssetStore for DieselStore {
    async fn user_assets(&self, tenant: TenantId, user: UserId) -> CoreResult<Vec<Asset>> {
        Ok(self
            .db
            .run(move |conn| {
                require_user(conn, tenant, user)?;
                let rows: Vec<AssetRow> = user_assets::table
                    .filter(user_assets::user_id.eq(user.0))
                    .order(user_assets::tag)
                    .select(ASSET_COLUMNS)
                    .load(conn)?;
                rows.into_iter().map(asset_from_row).collect()
            })
            .await?)
    }

    async fn user_asset(
        &self,
        tenant: TenantId,
        user: UserId,
        tag: &str,
    ) -> CoreResult<Option<Asset>> {
        let tag = tag.to_owned();
        Ok(self
            .db
            .run(move |conn| {
                require_user(conn, tenant, user)?;
                let row: Option<AssetRow> = user_assets::table
                    .filter(user_assets::user_id.eq(user.0))
                    .filter(user_assets::tag.eq(&tag))
                    .select(ASSET_COLUMNS)
                    .first(conn)
                    .optional()?;
                row.map(asset_from_row).transpose()
            })
            .await?)
    }

    async fn put_user_asset(
        &self,
        tenant: TenantId,
        user: UserId,
        asset: NewAsset,
        now: Timestamp,
    ) -> CoreResult<(Asset, bool)> {
        let NewAsset { tag, data } = asset;
        Ok(self
            .db
            .write(move |conn| {
                require_user(conn, tenant, user)?;
                let target = user_assets::table
                    .filter(user_assets::user_id.eq(user.0))
                    .filter(user_assets::tag.eq(&tag));
                let updated = diesel::update(target)
                    .set((
                        user_assets::data.eq(&data),
                        user_assets::updated_at.eq(millis(now)),
                    ))
                    .execute(conn)?;
                if updated == 0 {
                    diesel::insert_into(user_assets::table)
                        .values(AssetValues {
                            tenant_id: tenant.0,
                            user_id: user.0,
                            tag: &tag,
                            data: &data,
                            created_at: millis(now),
                            updated_at: millis(now),
                        })
                        .execute(conn)?;
                }
                let row: AssetRow = target.select(ASSET_COLUMNS).first(conn)?;
                Ok((asset_from_row(row)?, updated == 0))
            })
            .await?)
    }

    async fn insert_booking(
        &self,
        tenant: TenantId,
        user: UserId,
        booking: NewBooking,
        now: Timestamp,
    ) -> CoreResult<Booking> {
        Ok(self
            .db
            .write(move |conn| {
                require_user(conn, tenant, user)?;
                let row: BookingRow = diesel::insert_into(bookings::table)
                    .values(BookingValues {
                        tenant_id: tenant.0,
                        user_id: user.0,
                        asset: &booking.asset,
                        starts_at: millis(booking.start),
                        ends_at: millis(booking.end),
                        created_at: millis(now),
                    })
                    .returning(BOOKING_COLUMNS)
                    .get_result(conn)?;
                booking_from_row(row)
            })
            .await?)
    }

    async fn bookings_overlapping(
        &self,
        tenant: TenantId,
        user: UserId,
        from: Timestamp,
        to: Timestamp,
    ) -> CoreResult<Vec<Booking>> {
        Ok(self
            .db
            .run(move |conn| {
                require_user(conn, tenant, user)?;
                let rows: Vec<BookingRow> = bookings::table
                    .filter(bookings::user_id.eq(user.0))
                    .filter(bookings::starts_at.lt(millis(to)))
                    .filter(bookings::ends_at.gt(millis(from)))
                    .order((bookings::starts_at, bookings::id))
                    .select(BOOKING_COLUMNS)
                    .load(conn)?;
                rows.into_iter().map(booking_from_row).collect()
            })
            .await?)
    }
}
