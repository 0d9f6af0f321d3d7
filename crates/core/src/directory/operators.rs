//! The console's operators: creation (the CLI), login with the tenant logins' lockout, and
//! sessions kept as hashes of their tokens.

use std::collections::HashMap;
use std::time::Duration;

use super::service::{after, now, Directory};
use crate::crypto;
use crate::error::CoreResult;
use crate::ids::{TenantId, Username};
use crate::model::{
    ConsoleSecret, CredentialSummary, NewOperatorSession, Operator, OperatorLogin, OperatorSession,
    StatusCounts, TenantOverview,
};
use crate::secrets::Password;
use crate::store::LoginName;

/// The lockout's scope for operator names in `login_failures`: tenants are positive and the
/// logins that name no tenant use 0, so an operator's name never shares a count with theirs.
const OPERATOR_SCOPE: i64 = -1;

fn lockout_name(username_key: &str) -> LoginName {
    LoginName {
        tenant: OPERATOR_SCOPE,
        hash: crypto::token_hash(&format!("operator:{username_key}")),
    }
}

fn expiry(idle: Duration) -> crate::model::Timestamp {
    after(idle)
}

impl Directory {
    /// A new operator (`rosetta operator create`); the name is unique in any letter case.
    pub async fn create_operator(
        &self,
        username: &str,
        password: Password,
    ) -> CoreResult<Operator> {
        let username = Username::parse(username)?;
        let hash = self
            .hasher
            .hash(password.into_plain(), self.settings.bcrypt_cost)
            .await?;
        self.store
            .create_operator(username.as_str().to_owned(), username.key(), hash, now())
            .await
    }

    /// Checks a console login. Unknown names cost the same bcrypt as known ones and are
    /// counted toward the lockout the same way (as `check_login` does for tenant logins),
    /// with the same threshold and duration (`security.lockout_*`).
    pub async fn operator_login(
        &self,
        username: &str,
        password: &str,
        idle: Duration,
    ) -> CoreResult<OperatorLogin> {
        let key = username.trim().to_lowercase();
        let name = lockout_name(&key);
        if self.store.login_name_locked(&name, now()).await? {
            return Ok(OperatorLogin::Locked);
        }
        // A name no operator can hold (empty, a NUL PostgreSQL cannot compare) is not asked.
        let found = if Username::parse(&key).is_ok() {
            self.store.operator_for_login(&key).await?
        } else {
            None
        };
        let (operator, hash) = match found {
            Some((op, hash)) => (Some(op), hash),
            None => (None, self.dummy_hash().await?),
        };
        let verified = self.hasher.verify(password.to_owned(), hash).await?;
        match operator {
            Some(operator) if verified => {
                self.store.login_name_cleared(&name).await?;
                let token = ConsoleSecret::new(crypto::random_token());
                let csrf = ConsoleSecret::new(crypto::random_token());
                self.store
                    .create_operator_session(
                        NewOperatorSession {
                            token_hash: crypto::token_hash(token.expose()),
                            operator: operator.id,
                            csrf: csrf.clone(),
                            expires_at: expiry(idle),
                        },
                        now(),
                    )
                    .await?;
                Ok(OperatorLogin::Ok {
                    operator,
                    token,
                    csrf,
                })
            }
            _ => {
                let locked = self
                    .store
                    .login_name_failed(
                        &name,
                        self.settings.lockout_threshold,
                        after(self.settings.lockout_duration),
                        now(),
                    )
                    .await?;
                Ok(if locked {
                    OperatorLogin::Locked
                } else {
                    OperatorLogin::Rejected
                })
            }
        }
    }

    /// The live session a console cookie names, its idle expiry moved on by `idle`.
    pub async fn operator_session(
        &self,
        token: &str,
        idle: Duration,
    ) -> CoreResult<Option<OperatorSession>> {
        self.store
            .touch_operator_session(&crypto::token_hash(token), now(), expiry(idle))
            .await
    }

    /// Ends the session a console cookie names.
    pub async fn end_operator_session(&self, token: &str) -> CoreResult<bool> {
        self.store
            .end_operator_session(&crypto::token_hash(token))
            .await
    }

    /// Every tenant with its users counted per status and its credentials (the console's
    /// tenants page). The counts are one grouped query, never a load of the users.
    pub async fn tenant_overview(&self) -> CoreResult<Vec<TenantOverview>> {
        let tenants = self.store.tenants().await?;
        let mut counts: HashMap<TenantId, StatusCounts> = HashMap::new();
        for (t, status, n) in self.store.user_status_counts().await? {
            counts.entry(t).or_default().add(status, n);
        }
        let mut credentials: HashMap<TenantId, Vec<CredentialSummary>> = HashMap::new();
        for c in self.store.every_credential().await? {
            credentials.entry(c.tenant_id).or_default().push(c);
        }
        let out = tenants
            .into_iter()
            .map(|tenant| TenantOverview {
                users: counts.remove(&tenant.id).unwrap_or_default(),
                credentials: credentials.remove(&tenant.id).unwrap_or_default(),
                tenant,
            })
            .collect();
        Ok(out)
    }
}
