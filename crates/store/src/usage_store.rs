//! [`UsageStore`] over Diesel: calls counted per minute and route.

use std::collections::BTreeMap;

use async_trait::async_trait;
use diesel::prelude::*;
use diesel::upsert::excluded;
use rosetta_core::{CoreResult, Timestamp, UsageCount, UsageStore};

use crate::db::on_backend;
use crate::diesel_store::DieselStore;
use crate::rows::millis;
use crate::rows::usage::UsageValues;
use crate::schema::usage;

#[async_trait]
impl UsageStore for DieselStore {
    async fn record_usage(&self, bucket: Timestamp, counts: Vec<UsageCount>) -> CoreResult<()> {
        let bucket = millis(bucket);
        Ok(self
            .db
            .write(move |conn| {
                // One upsert per count: two gateways (or a gateway's last flush and the
                // periodic one it stopped) may add to the same minute at once, and an UPDATE
                // that found nothing followed by an INSERT would then fail on the key.
                for c in &counts {
                    let values = UsageValues {
                        bucket,
                        dialect: &c.dialect,
                        credential: &c.credential,
                        route: &c.route,
                        calls: c.calls,
                    };
                    on_backend!(conn, |b| {
                        diesel::insert_into(usage::table)
                            .values(&values)
                            .on_conflict((
                                usage::bucket,
                                usage::dialect,
                                usage::credential,
                                usage::route,
                            ))
                            .do_update()
                            .set(usage::calls.eq(usage::calls + excluded(usage::calls)))
                            .execute(b)
                    })?;
                }
                Ok(())
            })
            .await?)
    }

    async fn usage_since(&self, since: Timestamp) -> CoreResult<Vec<UsageCount>> {
        let since = millis(since);
        Ok(self
            .db
            .run(move |conn| {
                // Summed here: SUM(BIGINT) is NUMERIC on PostgreSQL and INTEGER on SQLite, and
                // the table holds one row per minute and route, which is small.
                let rows: Vec<(String, String, String, i64)> = usage::table
                    .filter(usage::bucket.ge(since))
                    .select((
                        usage::dialect,
                        usage::credential,
                        usage::route,
                        usage::calls,
                    ))
                    .load(conn)?;
                let mut sums: BTreeMap<(String, String, String), i64> = BTreeMap::new();
                for (dialect, credential, route, calls) in rows {
                    *sums.entry((dialect, credential, route)).or_default() += calls;
                }
                let mut counts: Vec<UsageCount> = sums
                    .into_iter()
                    .map(|((dialect, credential, route), calls)| UsageCount {
                        dialect,
                        credential,
                        route,
                        calls,
                    })
                    .collect();
                counts.sort_by(|a, b| b.calls.cmp(&a.calls).then_with(|| a.route.cmp(&b.route)));
                Ok(counts)
            })
            .await?)
    }
}
