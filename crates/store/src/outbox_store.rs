//! [`OutboxStore`] over Diesel: due messages, leases, and what became of each delivery.

use async_trait::async_trait;
use diesel::prelude::*;
use rosetta_core::{
    CoreResult, EmailBody, OutboxStore, QueuedEmail, SealedBody, StoredBody, TenantId, Timestamp,
};

use crate::diesel_store::DieselStore;
use crate::rows::{from_millis, millis};
use crate::schema::outbox;

#[async_trait]
impl OutboxStore for DieselStore {
    async fn due_emails(&self, now: Timestamp, limit: u32) -> CoreResult<Vec<QueuedEmail>> {
        Ok(self
            .db
            .run(move |conn| {
                let rows: Vec<(i64, i64, String, String, String, bool, i32, i64)> = outbox::table
                    .filter(outbox::sent_at.is_null())
                    .filter(outbox::next_attempt_at.le(millis(now)))
                    .filter(
                        outbox::lease_until
                            .is_null()
                            .or(outbox::lease_until.lt(millis(now))),
                    )
                    .order(outbox::id)
                    .limit(i64::from(limit))
                    .select((
                        outbox::id,
                        outbox::tenant_id,
                        outbox::to_addr,
                        outbox::subject,
                        outbox::body,
                        outbox::sealed,
                        outbox::attempts,
                        outbox::created_at,
                    ))
                    .load(conn)?;
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
