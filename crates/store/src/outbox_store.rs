//! [`OutboxStore`] over Diesel: due messages, leases, and what became of each delivery.

use async_trait::async_trait;
use diesel::dsl::min;
use diesel::prelude::*;
use rosetta_core::{
    CoreResult, EmailBody, OutboxStore, QueuedEmail, SealedBody, StoredBody, TenantId, Timestamp,
};

use crate::db::{Backend, DbConn};
use crate::diesel_store::DieselStore;
use crate::error::StoreError;
use crate::rows::{from_millis, millis};
use crate::schema::outbox;

#[async_trait]
impl OutboxStore for DieselStore {
    async fn due_emails(&self, now: Timestamp, limit: u32) -> CoreResult<Vec<QueuedEmail>> {
        Ok(self
            .db
            .run(move |conn| {
                let ids = fair_ids(conn, millis(now), limit as usize)?;
                let mut rows: Vec<DueRow> = outbox::table
                    .filter(outbox::id.eq_any(&ids))
                    .select(DUE_COLUMNS)
                    .load(conn)?;
                // In the fair order, not the table's.
                rows.sort_by_key(|r| ids.iter().position(|id| *id == r.0));
                rows.into_iter()
                    .map(|(id, t, to, subject, body, sealed, attempts, at)| {
                        Ok(QueuedEmail {
                            id,
                            tenant_id: TenantId(t),
                            to,
                            subject,
                            body: if sealed {
                                StoredBody::Sealed(SealedBody(body))
                            } else {
                                StoredBody::Plain(EmailBody::new(body))
                            },
                            attempts,
                            created_at: from_millis(at)?,
                        })
                    })
                    .collect()
            })
            .await?)
    }

    async fn claim_email(
        &self,
        id: i64,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> CoreResult<bool> {
        Ok(self
            .db
            .write(move |conn| {
                let n = diesel::update(
                    outbox::table
                        .filter(outbox::id.eq(id))
                        .filter(outbox::sent_at.is_null())
                        .filter(
                            outbox::lease_until
                                .is_null()
                                .or(outbox::lease_until.lt(millis(now))),
                        ),
                )
                .set(outbox::lease_until.eq(millis(lease_until)))
                .execute(conn)?;
                Ok(n == 1)
            })
            .await?)
    }

    async fn mark_email_sent(&self, id: i64, now: Timestamp) -> CoreResult<bool> {
        Ok(self
            .db
            .write(move |conn| {
                let n = diesel::update(
                    outbox::table
                        .filter(outbox::id.eq(id))
                        .filter(outbox::sent_at.is_null()),
                )
                // The body goes with sending: the ticket in it has no business at rest.
                .set((
                    outbox::sent_at.eq(millis(now)),
                    outbox::attempts.eq(outbox::attempts + 1),
                    outbox::body.eq(""),
                ))
                .execute(conn)?;
                Ok(n == 1)
            })
            .await?)
    }

    async fn mark_email_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt: Timestamp,
    ) -> CoreResult<()> {
        let error: String = error.chars().take(500).collect();
        Ok(self
            .db
            .write(move |conn| {
                diesel::update(outbox::table.filter(outbox::id.eq(id)))
                    .set((
                        outbox::attempts.eq(outbox::attempts + 1),
                        outbox::next_attempt_at.eq(millis(next_attempt)),
                        outbox::last_error.eq(error),
                        outbox::lease_until.eq(None::<i64>),
                    ))
                    .execute(conn)?;
                Ok(())
            })
            .await?)
    }
}

type DueRow = (i64, i64, String, String, String, bool, i32, i64);

const DUE_COLUMNS: (
    outbox::id,
    outbox::tenant_id,
    outbox::to_addr,
    outbox::subject,
    outbox::body,
    outbox::sealed,
    outbox::attempts,
    outbox::created_at,
) = (
    outbox::id,
    outbox::tenant_id,
    outbox::to_addr,
    outbox::subject,
    outbox::body,
    outbox::sealed,
    outbox::attempts,
    outbox::created_at,
);

/// The ids of at most `limit` due messages, taken from the tenants in turn: the first of each
/// tenant, then the second of each, and so on, each tenant's oldest first. Tenants go in the
/// order their oldest waiting message was queued, so one whose message has waited longest is
/// served first, and a tenant with 100,000 messages queued gets one turn in each round like
/// a tenant with one.
fn fair_ids(conn: &mut DbConn, now: i64, limit: usize) -> Result<Vec<i64>, StoreError> {
    // Written out, as a boxed query cannot be grouped.
    let mut heads: Vec<(i64, Option<i64>)> = outbox::table
        .filter(outbox::sent_at.is_null())
        .filter(outbox::next_attempt_at.le(now))
        .filter(
            outbox::lease_until
                .is_null()
                .or(outbox::lease_until.lt(now)),
        )
        .group_by(outbox::tenant_id)
        .select((outbox::tenant_id, min(outbox::id)))
        .load(conn)?;
    heads.sort_by_key(|&(_, oldest)| oldest);
    heads.truncate(limit);
    if heads.is_empty() {
        return Ok(Vec::new());
    }
    let each = limit.div_ceil(heads.len());
    let mut queues = Vec::with_capacity(heads.len());
    for (tenant, _) in heads {
        let ids: Vec<i64> = due(now)
            .filter(outbox::tenant_id.eq(tenant))
            .order(outbox::id)
            .limit(i64::try_from(each).unwrap_or(i64::MAX))
            .select(outbox::id)
            .load(conn)?;
        queues.push(ids.into_iter());
    }
    let mut ids = Vec::with_capacity(limit);
    while ids.len() < limit {
        let before = ids.len();
        ids.extend(queues.iter_mut().filter_map(Iterator::next));
        if ids.len() == before {
            break;
        }
    }
    ids.truncate(limit);
    Ok(ids)
}

/// Unsent, due, and leased to no sender (or its lease ran out); over `outbox_waiting_idx`.
fn due<'a>(now: i64) -> outbox::BoxedQuery<'a, Backend> {
    outbox::table
        .filter(outbox::sent_at.is_null())
        .filter(outbox::next_attempt_at.le(now))
        .filter(
            outbox::lease_until
                .is_null()
                .or(outbox::lease_until.lt(now)),
        )
        .into_boxed()
}
