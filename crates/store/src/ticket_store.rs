//! [`TicketStore`] over Diesel: activation tickets, replaced and redeemed in one transaction
//! each.

use async_trait::async_trait;
use diesel::dsl::count_star;
use diesel::prelude::*;
use rosetta_core::{
    AuditAction, CoreResult, NewAudit, Redeem, RedeemOutcome, Status, TenantId, TicketReplace,
    TicketStore, Timestamp, UserId, UserKey,
};

use crate::diesel_store::DieselStore;
use crate::rows::audit::AuditValues;
use crate::rows::millis;
use crate::rows::outbox::OutboxValues;
use crate::rows::tickets::TicketValues;
use crate::rows::users::{load_user, require_user, user_by_id};
use crate::schema::{sessions, tickets, users};

#[async_trait]
impl TicketStore for DieselStore {
    async fn replace_ticket(&self, replace: TicketReplace, now: Timestamp) -> CoreResult<()> {
        let TicketReplace {
            tenant,
            user,
            ticket,
            email,
        } = replace;
        Ok(self
            .db
            .write(move |conn| {
                require_user(conn, tenant, user)?;
                diesel::update(
                    tickets::table
                        .filter(tickets::user_id.eq(user.0))
                        .filter(tickets::used_at.is_null()),
                )
                .set(tickets::void.eq(true))
                .execute(conn)?;
                TicketValues::new(tenant, user.0, &ticket, now).insert(conn)?;
                if let Some(e) = &email {
                    OutboxValues::new(e, now).insert(conn)?;
                }
                Ok(())
            })
            .await?)
    }

    async fn ticket_valid(&self, token_hash: &str, now: Timestamp) -> CoreResult<bool> {
        let token_hash = token_hash.to_owned();
        Ok(self
            .db
            .run(move |conn| {
                let n: i64 = tickets::table
                    .filter(tickets::token_hash.eq(&token_hash))
                    .filter(tickets::used_at.is_null())
                    .filter(tickets::void.eq(false))
                    .filter(tickets::expires_at.gt(millis(now)))
                    .select(count_star())
                    .get_result(conn)?;
                Ok(n > 0)
            })
            .await?)
    }

    async fn redeem_ticket(
        &self,
        token_hash: &str,
        redeem: Redeem,
        now: Timestamp,
    ) -> CoreResult<RedeemOutcome> {
        let token_hash = token_hash.to_owned();
        let Redeem {
            password_hash,
            actor,
            dialect,
        } = redeem;
        Ok(self
            .db
            .write(move |conn| {
                let ticket: Option<(i64, i64, i64)> = tickets::table
                    .filter(tickets::token_hash.eq(&token_hash))
                    .filter(tickets::used_at.is_null())
                    .filter(tickets::void.eq(false))
                    .filter(tickets::expires_at.gt(millis(now)))
                    .select((tickets::id, tickets::tenant_id, tickets::user_id))
                    .first(conn)
                    .optional()?;
                let Some((ticket_id, tenant, user_id)) = ticket else {
                    return Ok(RedeemOutcome::NoSuchTicket);
                };
                let tenant = TenantId(tenant);
                let Some(row) = load_user(conn, tenant, &UserKey::Id(UserId(user_id)))? else {
                    return Ok(RedeemOutcome::NoSuchTicket);
                };
                let needs_password = row.row.password_hash.is_none() || row.row.password_expired;
                if needs_password && password_hash.is_none() {
                    return Ok(RedeemOutcome::PasswordRequired);
                }
                let by_id = users::table.filter(users::id.eq(user_id));
                diesel::update(by_id)
                    .set((
                        users::status.eq(Status::Active.as_str()),
                        users::password_expired.eq(false),
                        users::updated_at.eq(millis(now)),
                        users::version.eq(users::version + 1),
                    ))
                    .execute(conn)?;
                if let Some(h) = password_hash {
                    diesel::update(by_id)
                        .set(users::password_hash.eq(h))
                        .execute(conn)?;
                    // A password set by a ticket ends every session of the old one.
                    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id)))
                        .execute(conn)?;
                }
                diesel::update(tickets::table.filter(tickets::id.eq(ticket_id)))
                    .set(tickets::used_at.eq(millis(now)))
                    .execute(conn)?;
                let user = user_by_id(conn, tenant, user_id)?;
                let audit = NewAudit {
                    tenant_id: tenant,
                    actor,
                    dialect,
                    action: AuditAction::Activate,
                    user_id: user.id,
                    user_uuid: user.uuid,
                    user_email: user.email.as_str().to_owned(),
                    at: now,
                };
                AuditValues::new(&audit, user_id).insert(conn)?;
                Ok(RedeemOutcome::Activated(Box::new(user)))
            })
            .await?)
    }
}
