//! Logins: the password check with its lockout, and the memorable word's letters.

use std::sync::atomic::Ordering;

use super::service::{after, now, Directory};
use crate::crypto;
use crate::error::{CoreError, CoreResult};
use crate::ids::{TenantId, UserId};
use crate::model::{Status, User, UserKey, UserSecrets};
use crate::store::LoginName;

/// The result of checking a login name and password.
#[derive(Debug)]
pub enum LoginCheck {
    Ok(Box<User>, UserSecrets),
    /// Unknown name, wrong password, or a user that may not log in: one answer for all.
    Rejected,
    Locked,
}

impl Directory {
    /// Checks a login name and password across tenants (legacy logins name no tenant), with
    /// the lockout of five failures in a row. Only active users may log in.
    ///
    /// A name no user has is answered exactly as one a user has (kashflow.md): one bcrypt
    /// verify of the configured cost either way (against a dummy hash when there is no
    /// password to check), and the failures counted per name in the database, so an unknown
    /// name is locked after five like a known one.
    ///
    /// Every verify waits for the hashing pool; when its queue is full the login is refused as
    /// [`CoreError::Unavailable`] before any failure is counted (a 503, never a lockout).
    pub async fn check_login(&self, key: UserKey, password: &str) -> CoreResult<LoginCheck> {
        if !key.can_match() {
            // A name no user can hold (a NUL, say, which PostgreSQL text cannot even compare):
            // the same answer after the same bcrypt work, without asking the store.
            let dummy = self.dummy_hash().await?;
            self.verify_password(password, dummy).await?;
            return Ok(LoginCheck::Rejected);
        }
        let name = login_name(&key);
        let at = now();
        if self.store.login_name_locked(&name, at).await? {
            return Ok(LoginCheck::Locked);
        }
        let candidates = self.store.login_candidates(key).await?;
        let mut locked = false;
        let mut was_locked = false;
        let mut verified = false;
        for (user, secrets) in candidates {
            if secrets.locked_until.is_some_and(|until| until > at) {
                was_locked = true;
                continue;
            }
            let Some(hash) = secrets.password_hash.clone() else {
                continue;
            };
            verified = true;
            if self.verify_password(password, hash).await? {
                self.store.login_name_cleared(&name).await?;
                if user.status != Status::Active || user.password_expired {
                    return Ok(LoginCheck::Rejected);
                }
                return Ok(LoginCheck::Ok(Box::new(user), secrets));
            }
            let lock_until = after(self.settings.lockout_duration);
            if self
                .store
                .login_failed(user.id, self.settings.lockout_threshold, lock_until)
                .await?
            {
                locked = true;
            }
        }
        if !verified {
            // Spend what a real check spends, so names cannot be told apart by timing.
            let dummy = self.dummy_hash().await?;
            self.verify_password(password, dummy).await?;
        }
        // A user locked before this attempt answers Locked already; the attempt is no
        // failure of the name (its password was not even checked).
        let lock_until = after(self.settings.lockout_duration);
        if !was_locked
            && self
                .store
                .login_name_failed(&name, self.settings.lockout_threshold, lock_until, now())
                .await?
        {
            locked = true;
        }
        Ok(if locked || was_locked {
            LoginCheck::Locked
        } else {
            LoginCheck::Rejected
        })
    }

    /// One bcrypt verify on the hashing pool, counted.
    async fn verify_password(&self, password: &str, hash: String) -> CoreResult<bool> {
        self.verifications.fetch_add(1, Ordering::Relaxed);
        self.hasher.verify(password.to_owned(), hash).await
    }

    /// How many passwords this directory has verified (tests see that a login for an unknown
    /// name verifies one too).
    pub fn password_verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }

    /// A hash of a random password at the configured cost: what a login for a name without a
    /// password verifies against. Made once, on first use, on the hashing pool.
    pub async fn dummy_hash(&self) -> CoreResult<String> {
        let cost = self.settings.bcrypt_cost;
        self.dummy_hash
            .get_or_try_init(|| self.hasher.hash(crypto::random_token(), cost))
            .await
            .cloned()
    }

    /// Counts a failed second step (e.g. wrong memorable-word letters) toward the lockout.
    pub async fn login_failed(&self, user: UserId) -> CoreResult<bool> {
        self.store
            .login_failed(
                user,
                self.settings.lockout_threshold,
                after(self.settings.lockout_duration),
            )
            .await
    }

    /// Whether the user is locked out right now.
    pub async fn is_locked(&self, tenant: TenantId, user: UserId) -> CoreResult<bool> {
        let secrets = self
            .store
            .user_secrets(tenant, user)
            .await?
            .unwrap_or_default();
        Ok(secrets.locked_until.is_some_and(|until| until > now()))
    }

    /// Records a completed login: resets the failure count and sets `last_login_at`.
    pub async fn login_succeeded(&self, user: UserId) -> CoreResult<()> {
        self.store.login_succeeded(user, now()).await
    }

    /// The memorable word's letters at `positions` (1-based), for comparing with a login.
    pub fn memorable_letters(
        &self,
        secrets: &UserSecrets,
        positions: &[usize],
    ) -> CoreResult<Vec<char>> {
        let Some(enc) = &secrets.memorable_word_enc else {
            return Ok(Vec::new());
        };
        let word: Vec<char> = self.cipher.decrypt(enc)?.chars().collect();
        positions
            .iter()
            .map(|&p| {
                p.checked_sub(1)
                    .and_then(|i| word.get(i).copied())
                    .ok_or_else(|| {
                        CoreError::Internal("position outside the memorable word".into())
                    })
            })
            .collect()
    }

    /// Forgets login names whose last failure is older than `retention` and that are not
    /// locked: every unknown name an attacker tries leaves a row (so that it locks like a
    /// known one), and without this the table would only grow. A name failing again after
    /// that starts its count from zero, as it would once its lockout had passed.
    pub async fn prune_login_failures(&self, retention: std::time::Duration) -> CoreResult<u64> {
        let before = now() - chrono::Duration::from_std(retention).unwrap_or(chrono::Duration::MAX);
        self.store.prune_login_failures(before).await
    }

    pub fn memorable_len(&self, secrets: &UserSecrets) -> CoreResult<usize> {
        match &secrets.memorable_word_enc {
            Some(enc) => Ok(self.cipher.decrypt(enc)?.chars().count()),
            None => Ok(0),
        }
    }
}

/// The lockout's key for a login name: what the store looks users up by (the case-folded
/// name) with its kind, hashed. Legacy logins name no tenant, so the scope is 0.
fn login_name(key: &UserKey) -> LoginName {
    let text = match key {
        UserKey::Username(u) => format!("username:{}", u.trim().to_lowercase()),
        UserKey::Email(e) => format!("email:{}", e.trim().to_lowercase()),
        UserKey::Id(id) => format!("id:{id}"),
        UserKey::Uuid(u) => format!("uuid:{u}"),
        UserKey::ExternalId(x) => format!("external_id:{x}"),
    };
    LoginName {
        tenant: 0,
        hash: crypto::token_hash(&text),
    }
}
