//! Tenants, their role catalogues and their machine credentials.

use serde::{Deserialize, Serialize};

use super::time::Timestamp;
use crate::ids::TenantId;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tenant {
    pub id: TenantId,
    pub name: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub number: i32,
    pub name: String,
    pub admin: bool,
}

/// The catalogue every new tenant starts with (MAPPING.md).
pub fn default_roles() -> Vec<Role> {
    vec![
        Role {
            number: 2,
            name: "Standard".into(),
            admin: false,
        },
        Role {
            number: 6,
            name: "Full Access".into(),
            admin: true,
        },
        Role {
            number: 11,
            name: "Invoices & Customers (read only)".into(),
            admin: false,
        },
    ]
}

pub const DEFAULT_ROLE: i32 = 2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub id: i64,
    pub tenant_id: TenantId,
    pub dialect: String,
    pub name: Option<String>,
}
