//! Logins: the password check with its lockout, and the memorable word's letters.

use super::service::{after, now, Directory};
use crate::crypto;
use crate::error::{CoreError, CoreResult};
use crate::ids::{TenantId, UserId};
use crate::model::{Status, User, UserKey, UserSecrets};

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
    pub async fn check_login(&self, key: UserKey, password: &str) -> CoreResult<LoginCheck> {
        // A name no user can hold is an unknown name (and the same answer, in the same time).
        let candidates = if key.can_match() {
            self.store.login_candidates(key).await?
        } else {
            Vec::new()
        };
        if candidates.is_empty() {
            // Spend the same time as a real check, so names cannot be probed by timing.
            let _ =
                crypto::hash_password(password.to_owned(), self.settings.bcrypt_cost.min(10)).await;
            return Ok(LoginCheck::Rejected);
        }
        let at = now();
        let mut locked = false;
        for (user, secrets) in candidates {
            if secrets.locked_until.is_some_and(|until| until > at) {
                locked = true;
                continue;
            }
            let Some(hash) = secrets.password_hash.clone() else {
                continue;
            };
            if crypto::verify_password(password.to_owned(), hash).await? {
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
        Ok(if locked {
            LoginCheck::Locked
        } else {
            LoginCheck::Rejected
        })
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

    pub fn memorable_len(&self, secrets: &UserSecrets) -> CoreResult<usize> {
        match &secrets.memorable_word_enc {
            Some(enc) => Ok(self.cipher.decrypt(enc)?.chars().count()),
            None => Ok(0),
        }
    }
}
