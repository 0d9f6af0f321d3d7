//! Sessions and temporary tokens: started after a login, found by token on every request.

use std::time::Duration;

use super::actor::Actor;
use super::requests::StartSessionRequest;
use super::service::{after, now, Directory};
use crate::crypto;
use crate::error::CoreResult;
use crate::ids::UserId;
use crate::model::{NewSession, Role, Session, SessionKind, Status, User};

/// A live session found by its token: what a session-authenticated request needs to go on.
#[derive(Debug, Clone)]
pub struct SessionAuth {
    pub session: Session,
    pub user: User,
    pub actor: Actor,
    /// The tenant's role catalogue as read with the session (kashflow names roles with it).
    pub roles: Vec<Role>,
}

impl Directory {
    /// Starts a session or temporary token; returns the token (stored only as a hash).
    pub async fn start_session(
        &self,
        request: StartSessionRequest<'_>,
    ) -> CoreResult<(Session, String)> {
        let StartSessionRequest {
            user,
            dialect,
            kind,
            data,
        } = request;
        let token = crypto::random_token();
        let ttl = match kind {
            SessionKind::Temporary => self.settings.temporary_token_ttl,
            SessionKind::Session => self.settings.session_idle_ttl,
        };
        let session = self
            .store
            .create_session(
                NewSession {
                    tenant_id: user.tenant_id,
                    user_id: user.id,
                    dialect: dialect.to_owned(),
                    kind,
                    token_hash: crypto::token_hash(&token),
                    data,
                    expires_at: after(ttl),
                },
                self.settings.max_sessions_per_user.max(1),
                now(),
            )
            .await?;
        Ok((session, token))
    }

    /// Finds a live session of `dialect` and `kind` for a token. A session's idle expiry is
    /// pushed forward on use; a temporary token is not (it is consumed instead).
    pub async fn find_session(
        &self,
        dialect: &'static str,
        kind: SessionKind,
        token: &str,
    ) -> CoreResult<Option<SessionAuth>> {
        let Some((session, user, roles)) = self
            .store
            .session_by_hash(&crypto::token_hash(token))
            .await?
        else {
            return Ok(None);
        };
        let at = now();
        if session.dialect != dialect || session.kind != kind || session.expires_at <= at {
            return Ok(None);
        }
        if kind == SessionKind::Session {
            if user.status != Status::Active {
                return Ok(None);
            }
            // Pushing the idle expiry forward is a write; doing it on every read would put
            // every authenticated request behind SQLite's single writer. A session is touched
            // once it has aged a tenth of its idle time (at most a minute), so it expires
            // between 90% and 100% of `sessions.idle_ttl` after its last use.
            let refresh = (self.settings.session_idle_ttl / 10).min(Duration::from_secs(60));
            let aged = (at - session.last_used_at).to_std().unwrap_or_default();
            if aged >= refresh {
                self.store
                    .touch_session(session.id, at, after(self.settings.session_idle_ttl))
                    .await?;
            }
        }
        let mut actor = Actor::for_user(&user, &roles, dialect);
        actor.session = Some(session.id);
        Ok(Some(SessionAuth {
            session,
            user,
            actor,
            roles,
        }))
    }

    /// Removes a session; false when it was already gone (a reused temporary token).
    pub async fn end_session(&self, session_id: i64) -> CoreResult<bool> {
        self.store.delete_session(session_id).await
    }

    pub async fn session_counts(&self, ids: &[UserId]) -> CoreResult<Vec<(UserId, i64)>> {
        self.store
            .session_counts(ids, SessionKind::Session, now())
            .await
    }
}
