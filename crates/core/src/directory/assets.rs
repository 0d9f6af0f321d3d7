//! keaz assets and bookings, kept per user.

use super::actor::Actor;
use super::requests::{AddBookingRequest, PutAssetRequest};
use super::service::{now, Directory};
use crate::error::{CoreError, CoreResult, Field, Problem};
use crate::ids::UserId;
use crate::model::{Asset, Booking, NewBooking, Timestamp};
use crate::store::NewAsset;
use crate::tags::AssetTag;
use crate::text::TextKind;

/// A booking's asset name: 1 to this many characters.
const BOOKING_ASSET_MAX: usize = 255;

impl Directory {
    pub async fn user_assets(&self, actor: &Actor, id: UserId) -> CoreResult<Vec<Asset>> {
        self.store.user_assets(actor.tenant, id).await
    }

    pub async fn user_asset(&self, actor: &Actor, id: UserId, tag: &str) -> CoreResult<Asset> {
        // A tag the rules refuse was never stored.
        let tag = AssetTag::parse(tag).map_err(|_| CoreError::NotFound)?;
        self.store
            .user_asset(actor.tenant, id, tag.as_str())
            .await?
            .ok_or(CoreError::NotFound)
    }

    /// Stores `data` (JSON text, checked by the dialect) under `tag`; true when newly created.
    pub async fn put_user_asset(
        &self,
        actor: &Actor,
        request: PutAssetRequest<'_>,
    ) -> CoreResult<(Asset, bool)> {
        let PutAssetRequest { user, tag, data } = request;
        actor.require_admin()?;
        let tag = AssetTag::parse(tag)?;
        let asset = NewAsset {
            tag: tag.as_str().to_owned(),
            data: data.to_owned(),
        };
        self.store
            .put_user_asset(actor.tenant, user, asset, now())
            .await
    }

    pub async fn add_booking(
        &self,
        actor: &Actor,
        request: AddBookingRequest,
    ) -> CoreResult<Booking> {
        let AddBookingRequest {
            user,
            asset,
            start,
            end,
        } = request;
        actor.require_admin()?;
        let asset = asset.trim();
        if !TextKind::Name.carries(asset) {
            return Err(CoreError::invalid(
                Field::Asset,
                Problem::NotText {
                    kind: TextKind::Name,
                },
            ));
        }
        if asset.is_empty() || asset.chars().count() > BOOKING_ASSET_MAX {
            return Err(CoreError::invalid(
                Field::Asset,
                Problem::Length {
                    min: 1,
                    max: BOOKING_ASSET_MAX,
                },
            ));
        }
        if end <= start {
            return Err(CoreError::invalid(
                Field::End,
                Problem::NotAfter {
                    other: Field::Start,
                },
            ));
        }
        let booking = NewBooking {
            asset: asset.to_owned(),
            start,
            end,
        };
        self.store
            .insert_booking(actor.tenant, user, booking, now())
            .await
    }

    /// Bookings of the user overlapping `[from, to)`.
    pub async fn bookings_overlapping(
        &self,
        actor: &Actor,
        id: UserId,
        from: Timestamp,
        to: Timestamp,
    ) -> CoreResult<Vec<Booking>> {
        self.store
            .bookings_overlapping(actor.tenant, id, from, to)
            .await
    }
}
