//! Tenants and their role catalogues.

use super::service::{now, Directory};
use crate::crypto;
use crate::error::{CoreError, CoreResult, Field, Problem};
use crate::ids::TenantId;
use crate::model::{default_roles, Role, Tenant};
use crate::store::NewTenant;
use crate::text::{self, TextKind};

impl Directory {
    /// Creates a tenant with the default role catalogue; returns the integration key once.
    pub async fn create_tenant(&self, name: &str) -> CoreResult<(Tenant, String)> {
        let name = name.trim();
        if name.is_empty() {
            return Err(CoreError::invalid(Field::Name, Problem::Empty));
        }
        text::check(Field::Name, TextKind::Name, name)?;
        let key = crypto::random_token();
        let tenant = self
            .store
            .create_tenant(
                NewTenant {
                    name: name.to_owned(),
                    integration_key_hash: crypto::token_hash(&key),
                    roles: default_roles(),
                },
                now(),
            )
            .await?;
        Ok((tenant, key))
    }

    pub async fn tenant(&self, id: TenantId) -> CoreResult<Tenant> {
        self.store.tenant(id).await?.ok_or(CoreError::NotFound)
    }

    pub async fn roles(&self, tenant: TenantId) -> CoreResult<Vec<Role>> {
        self.store.roles(tenant).await
    }

    pub async fn set_role(&self, tenant: TenantId, role: Role) -> CoreResult<()> {
        self.tenant(tenant).await?;
        if role.name.trim().is_empty() {
            return Err(CoreError::invalid(Field::Name, Problem::Empty));
        }
        // Role names are shown by kashflow (`RoleName`), in XML too.
        text::check(Field::Name, TextKind::Name, &role.name)?;
        self.store.set_role(tenant, &role).await
    }
}

/// `Ok` when `number` is a role of the catalogue.
pub(super) fn check_role(roles: &[Role], number: i32) -> CoreResult<()> {
    if roles.iter().any(|r| r.number == number) {
        Ok(())
    } else {
        Err(CoreError::invalid(
            Field::RoleNumber,
            Problem::UnknownRole { number },
        ))
    }
}
