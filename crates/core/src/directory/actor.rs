//! Who is asking, and what MAPPING.md lets them do.

use super::service::Directory;
use crate::error::{CoreError, CoreResult, Refusal};
use crate::ids::{TenantId, UserId};
use crate::model::{Role, User};

/// Who is asking. Built by a dialect from its own credential; the core trusts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub tenant: TenantId,
    pub dialect: &'static str,
    pub principal: Principal,
    /// May create, change and delete other users.
    pub admin: bool,
    /// May give `admin` to others.
    pub grants_admin: bool,
    /// May give `keaz` to others.
    pub grants_keaz: bool,
    /// The login session the actor came with, if any: it survives the actor changing its own
    /// password or memorable word, when every other session of the user ends.
    pub session: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    User(UserId),
    Credential(i64),
    IntegrationKey,
    Cli,
}

impl Actor {
    /// An operator at the command line: everything, within one tenant.
    pub fn cli(tenant: TenantId) -> Self {
        Self {
            tenant,
            dialect: "cli",
            principal: Principal::Cli,
            admin: true,
            grants_admin: true,
            grants_keaz: true,
            session: None,
        }
    }

    /// A tenant-wide machine credential (usr bearer token, v2 integration key): administrator
    /// of its tenant, may grant `admin` but not `keaz`.
    pub fn machine(tenant: TenantId, dialect: &'static str, principal: Principal) -> Self {
        Self {
            tenant,
            dialect,
            principal,
            admin: true,
            grants_admin: true,
            grants_keaz: false,
            session: None,
        }
    }

    pub fn label(&self) -> String {
        match &self.principal {
            Principal::User(id) => format!("user:{id}"),
            Principal::Credential(id) => format!("credential:{id}"),
            Principal::IntegrationKey => "integration-key".into(),
            Principal::Cli => "cli".into(),
        }
    }

    /// `Forbidden` unless the actor may create, change and delete users.
    pub(super) fn require_admin(&self) -> CoreResult<()> {
        if self.admin {
            Ok(())
        } else {
            Err(CoreError::Forbidden(Refusal::NotAdmin))
        }
    }

    /// The actor a logged-in user acts as, given its tenant's role catalogue.
    pub(super) fn for_user(user: &User, roles: &[Role], dialect: &'static str) -> Self {
        Self {
            tenant: user.tenant_id,
            dialect,
            principal: Principal::User(user.id),
            admin: Directory::is_admin(user, roles),
            grants_admin: user.perms.iter().any(|p| p == "admin" || p == "keaz"),
            grants_keaz: user.perms.iter().any(|p| p == "keaz"),
            session: None,
        }
    }
}

impl Directory {
    /// MAPPING.md: an administrator's role grants admin, or its perms hold `admin` or `keaz`.
    pub fn is_admin(user: &User, roles: &[Role]) -> bool {
        user.perms.iter().any(|p| p == "admin" || p == "keaz")
            || roles
                .iter()
                .any(|r| r.number == user.role_number && r.admin)
    }

    /// The actor a logged-in user acts as.
    pub async fn actor_for(&self, user: &User, dialect: &'static str) -> CoreResult<Actor> {
        let roles = self.store.roles(user.tenant_id).await?;
        Ok(Actor::for_user(user, &roles, dialect))
    }
}
