//! Creating users: the single create, the create with a password reset (v2 `ResetPassword`)
//! and the batch (keaz CSV import) all build each user's write the one way,
//! [`Directory::new_user_write`], so its audit row, ticket, messages and secrets are made in one
//! place.

use super::actor::Actor;
use super::requests::{CreateUserRequest, CreateUsersRequest, NewUser, Onboarding};
use super::service::{now, Directory};
use super::tenants::check_role;
use super::user_input::ParsedUser;
use crate::error::{CoreError, CoreResult};
use crate::ids::UserId;
use crate::model::{AuditAction, Tenant, User};
use crate::secrets::BcryptHash;
use crate::store::NewUserWrite;

/// Users of a batch built between two yields to the other tasks of the async worker.
const YIELD_EVERY: usize = 64;

impl Directory {
    pub async fn create_user(&self, actor: &Actor, request: CreateUserRequest) -> CoreResult<User> {
        let CreateUserRequest {
            mut user,
            onboarding,
        } = request;
        actor.require_admin()?;
        if let Onboarding::Reset { .. } = onboarding {
            user.password_expired = true;
        }
        let parsed = self.parse_new(actor, user)?;
        check_role(
            &self.store.roles(actor.tenant).await?,
            parsed.record.role_number,
        )?;
        let tenant = self.tenant(actor.tenant).await?;
        let write = self
            .new_user_write(actor, &tenant, parsed, onboarding)
            .await?;
        self.store.insert_user(write, now()).await
    }

    /// Creates many users in one transaction, all or nothing (keaz CSV import). Validation
    /// errors carry the 0-based index of the offending user.
    pub async fn create_users(
        &self,
        actor: &Actor,
        request: CreateUsersRequest,
    ) -> Result<Vec<User>, (Option<usize>, CoreError)> {
        let CreateUsersRequest { users, onboarding } = request;
        let users = users.into_iter().map(|u| (u, None)).collect();
        self.create_many(actor, users, onboarding).await
    }

    /// The batch behind [`Self::create_users`] and [`Self::import_users`]: each user parsed and
    /// its write built as a single create would, then one store call. A given bcrypt hash is
    /// stored in place of the (absent) password's.
    pub(super) async fn create_many(
        &self,
        actor: &Actor,
        users: Vec<(NewUser, Option<BcryptHash>)>,
        onboarding: Onboarding,
    ) -> Result<Vec<User>, (Option<usize>, CoreError)> {
        actor.require_admin().map_err(|e| (None, e))?;
        let tenant = self.tenant(actor.tenant).await.map_err(|e| (None, e))?;
        let roles = self
            .store
            .roles(actor.tenant)
            .await
            .map_err(|e| (None, e))?;
        let mut writes = Vec::with_capacity(users.len());
        for (i, (user, hash)) in users.into_iter().enumerate() {
            // Building a write (parse, seal, maybe hash) rarely waits, so 100,000 of them would
            // hold this async worker for seconds and stall every request queued on it (issue
            // 17): let them run every so often.
            if i % YIELD_EVERY == YIELD_EVERY - 1 {
                tokio::task::yield_now().await;
            }
            let at = |e| (Some(i), e);
            if hash.is_some() && user.password.is_some() {
                // A programming error of the caller, not the file's: it is one or the other.
                return Err(at(CoreError::Internal(
                    "a user was given both a password and a password hash".into(),
                )));
            }
            let parsed = self.parse_new(actor, user).map_err(at)?;
            check_role(&roles, parsed.record.role_number).map_err(at)?;
            let mut write = self
                .new_user_write(actor, &tenant, parsed, onboarding)
                .await
                .map_err(at)?;
            if let Some(hash) = hash {
                write.secrets.password_hash = Some(hash.into_stored());
            }
            writes.push(write);
        }
        self.store
            .insert_users(writes, now())
            .await
            .map_err(|e| (None, e))
    }

    /// Everything that is written with a new user: its ticket and messages as `onboarding`
    /// asks, its secrets hashed and encrypted, and its audit row.
    async fn new_user_write(
        &self,
        actor: &Actor,
        tenant: &Tenant,
        parsed: ParsedUser,
        onboarding: Onboarding,
    ) -> CoreResult<NewUserWrite> {
        let ParsedUser {
            record,
            password,
            memorable_word,
        } = parsed;
        let (ticket, emails) = self.onboarding(tenant, &record, onboarding)?;
        let secrets = self.secrets_for(password, memorable_word).await?;
        // The id is the store's to give; the audit row gets it when the user is inserted.
        let audit = Self::audit(
            actor,
            AuditAction::Create,
            UserId(0),
            record.uuid,
            &record.email,
        );
        Ok(NewUserWrite {
            record,
            secrets,
            audit,
            ticket,
            emails,
        })
    }
}
