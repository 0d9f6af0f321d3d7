//! Reading, changing and deleting users, and their audit trail.

use uuid::Uuid;

use super::actor::{Actor, Principal};
use super::requests::UpdateUserRequest;
use super::rights::check_reach;
use super::service::{now, Directory};
use super::user_input::ParsedUser;
use crate::error::{CoreError, CoreResult};
use crate::ids::{Email, TenantId, UserId};
use crate::model::{
    AuditAction, AuditRecord, Cursor, NewAudit, Page, SessionKind, User, UserFilter, UserKey,
    UserSecrets,
};
use crate::store::{EndSessions, UserDeleteWrite, UserPages, UserUpdateWrite};

impl Directory {
    pub async fn get_user(&self, actor: &Actor, key: UserKey) -> CoreResult<User> {
        if !key.can_match() {
            return Err(CoreError::NotFound);
        }
        self.store
            .user(actor.tenant, key)
            .await?
            .ok_or(CoreError::NotFound)
    }

    /// Every user of the actor's tenant matching `filter`, by id, as pages: the whole-list
    /// routes of kashflow, usr and keaz. At most `full_lists` run at once; one more is
    /// unavailable at once (a client retries) rather than queued with its connection open.
    /// The first page is read before this returns, so a database that is down is this call's
    /// error.
    pub async fn all_users(&self, actor: &Actor, filter: &UserFilter) -> CoreResult<UserPages> {
        filter.check()?;
        let slot = self.full_lists.clone().try_acquire_owned().map_err(|_| {
            CoreError::Unavailable("too many whole lists are being written; try again".into())
        })?;
        if !filter.can_match() {
            return Ok(UserPages::empty());
        }
        let (pages, list) = UserPages::channel();
        let store = self.store.clone();
        let (tenant, filter) = (actor.tenant, filter.clone());
        tokio::spawn(async move { store.all_users(tenant, &filter, pages).await });
        list.started(slot).await
    }

    /// A user and its live sessions (kashflow's `NoOfLogins`), in one store call.
    pub async fn get_user_with_sessions(
        &self,
        actor: &Actor,
        id: UserId,
    ) -> CoreResult<(User, i64)> {
        self.store
            .user_with_session_count(actor.tenant, id, SessionKind::Session, now())
            .await?
            .ok_or(CoreError::NotFound)
    }

    pub async fn list_users(
        &self,
        actor: &Actor,
        filter: &UserFilter,
        cursor: Cursor,
        limit: u32,
    ) -> CoreResult<Page> {
        filter.check()?;
        // Waiting here holds no connection; a caller that goes away leaves the queue.
        let _slot = self
            .list_slots
            .acquire()
            .await
            .map_err(|_| CoreError::Unavailable("the directory is shutting down".into()))?;
        if !filter.can_match() {
            return Ok(Page {
                users: Vec::new(),
                total: 0,
                next: None,
            });
        }
        self.store
            .list_users(actor.tenant, filter, cursor, limit.clamp(1, 10_000))
            .await
    }

    pub async fn user_secrets(&self, tenant: TenantId, user: UserId) -> CoreResult<UserSecrets> {
        self.store
            .user_secrets(tenant, user)
            .await?
            .ok_or(CoreError::NotFound)
    }

    /// Applies a partial update. With an expected version, a stale version is refused;
    /// without one, the change is applied to whatever is current (retrying a lost race).
    pub async fn update_user(&self, actor: &Actor, request: UpdateUserRequest) -> CoreResult<User> {
        let UpdateUserRequest {
            id,
            patch,
            expected_version,
        } = request;
        actor.require_admin()?;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let current = self.get_user(actor, UserKey::Id(id)).await?;
            if let Some(v) = expected_version {
                if v != current.version {
                    return Err(CoreError::VersionConflict {
                        current: current.version,
                    });
                }
            }
            let ParsedUser {
                record,
                password,
                memorable_word,
            } = self.apply_patch(actor, &current, patch.clone()).await?;
            // A new password or memorable word ends the user's other sessions: one stolen
            // before the change must not outlive it. The caller's own session survives when
            // it changed its own.
            let end_sessions = if password.is_some() || memorable_word.is_some() {
                let own = actor.principal == Principal::User(id);
                EndSessions::AllBut(actor.session.filter(|_| own))
            } else {
                EndSessions::None
            };
            let secrets = self.secrets_for(password, memorable_word).await?;
            let audit = Self::audit(actor, AuditAction::Update, id, current.uuid, &record.email);
            let update = UserUpdateWrite {
                tenant: actor.tenant,
                id,
                expected_version: current.version,
                record,
                secrets,
                audit,
                end_sessions,
            };
            match self.store.update_user(update, now()).await {
                Err(CoreError::VersionConflict { .. })
                    if expected_version.is_none() && attempts < 3 =>
                {
                    continue
                }
                other => return other,
            }
        }
    }

    /// Deletes a user the actor may reach. The reach is checked on the version read, and the
    /// store deletes only that version: a user promoted (or renamed) between the read and the
    /// delete is read again and checked again (as `update_user` retries a lost race), so the
    /// check and the audit row's email are never of an older user than the one deleted.
    pub async fn delete_user(&self, actor: &Actor, id: UserId) -> CoreResult<()> {
        actor.require_admin()?;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let current = self.get_user(actor, UserKey::Id(id)).await?;
            check_reach(actor, &current)?;
            let audit = Self::audit(actor, AuditAction::Delete, id, current.uuid, &current.email);
            let delete = UserDeleteWrite {
                tenant: actor.tenant,
                id,
                expected_version: current.version,
                audit,
            };
            match self.store.delete_user(delete).await {
                Err(CoreError::VersionConflict { .. }) if attempts < 3 => continue,
                other => return other,
            }
        }
    }

    pub async fn deleted_audits(&self, actor: &Actor, limit: u32) -> CoreResult<Vec<AuditRecord>> {
        self.store.deleted_audits(actor.tenant, limit).await
    }

    /// Every audit row about one user of the actor's tenant, oldest first.
    pub async fn audits_for_user(&self, actor: &Actor, id: UserId) -> CoreResult<Vec<AuditRecord>> {
        self.store.audits_for_user(actor.tenant, id).await
    }

    /// The audit row of a change `actor` makes to a user.
    pub(super) fn audit(
        actor: &Actor,
        action: AuditAction,
        id: UserId,
        uuid: Uuid,
        email: &Email,
    ) -> NewAudit {
        NewAudit {
            tenant_id: actor.tenant,
            actor: actor.label(),
            dialect: actor.dialect.to_owned(),
            action,
            user_id: id,
            user_uuid: uuid,
            user_email: email.as_str().to_owned(),
            at: now(),
        }
    }
}
