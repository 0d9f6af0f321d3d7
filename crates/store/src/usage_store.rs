//! [`UsageStore`] over Diesel: daily buckets every replica adds to.

use async_trait::async_trait;
use diesel::prelude::*;
use diesel::upsert::excluded;
use rosetta_core::{day_of, CoreResult, Timestamp, UsageCount, UsageQuery, UsageStore};

use crate::db::on_backend;
use crate::diesel_store::DieselStore;
use crate::rows::millis;
use crate::rows::usage::{UsageRow, UsageValues};
use crate::schema::usage_callers as u;

#[async_trait]
impl UsageStore for DieselStore {
    async fn record_usage(&self, counts: Vec<UsageCount>) -> CoreResult<()> {
        Ok(self
            .db
            .write(move |conn| {
                // One upsert per bucket: two gateways (or a gateway's last flush and the
                // periodic one it stopped) may add to the same bucket at once, and an UPDATE
                // that found nothing followed by an INSERT would then fail on the key. The
                // first and last seen are widened by conditional updates, each atomic, so
                // concurrent flushes in any order leave the earliest and the latest.
                for c in &counts {
                    let v = UsageValues::new(c);
                    let key = u::day
                        .eq(v.day)
                        .and(u::tenant_id.eq(v.tenant_id))
                        .and(u::dialect.eq(v.dialect))
                        .and(u::caller.eq(v.caller))
                        .and(u::route.eq(v.route))
                        .and(u::status_class.eq(v.status_class));
                    on_backend!(conn, |b| {
                        diesel::insert_into(u::table)
                            .values(&v)
                            .on_conflict((
                                u::day,
                                u::tenant_id,
                                u::dialect,
                                u::caller,
                                u::route,
                                u::status_class,
                            ))
                            .do_update()
                            .set(u::calls.eq(u::calls + excluded(u::calls)))
                            .execute(b)?;
                        diesel::update(u::table.filter(key.and(u::first_seen.gt(v.first_seen))))
                            .set(u::first_seen.eq(v.first_seen))
                            .execute(b)?;
                        diesel::update(u::table.filter(key.and(u::last_seen.lt(v.last_seen))))
                            .set(u::last_seen.eq(v.last_seen))
                            .execute(b)
                    })?;
                }
                Ok(())
            })
            .await?)
    }

    async fn usage(&self, query: UsageQuery) -> CoreResult<Vec<UsageCount>> {
        let UsageQuery {
            since,
            dialect,
            tenant,
        } = query;
        Ok(self
            .db
            .run(move |conn| {
                let from = since.map_or(0, |s| millis(day_of(s)));
                let recent = u::table.filter(u::day.ge(from));
                let rows: Vec<UsageRow> = match &dialect {
                    Some(d) => recent
                        .filter(u::dialect.eq(d))
                        .select(UsageRow::as_select())
                        .load(conn)?,
                    None => recent.select(UsageRow::as_select()).load(conn)?,
                };
                // The tenant is rarely asked for; the rows of a dialect are few per day.
                let tenant = tenant.map(|t| t.0);
                let rows = rows
                    .into_iter()
                    .filter(|r| tenant.is_none_or(|t| r.tenant_id == t));
                rows.map(UsageRow::into_count).collect()
            })
            .await?)
    }

    async fn prune_usage(&self, before: Timestamp) -> CoreResult<u64> {
        let before = millis(day_of(before));
        Ok(self
            .db
            .write(move |conn| {
                let n = on_backend!(conn, |b| {
                    diesel::delete(u::table.filter(u::day.lt(before))).execute(b)
                })?;
                Ok(u64::try_from(n).unwrap_or(0))
            })
            .await?)
    }
}
