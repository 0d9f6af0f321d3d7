//! The user record the bulk-loading tests start from: active, role 2, nothing set but its
//! keys, names and external id. Each test changes what it is about.

use rosetta_core::{Email, Names, Profile, Status, TenantId, UserRecord, Username};
use uuid::Uuid;

pub fn plain(
    tenant: TenantId,
    username: &str,
    email: &str,
    names: Names,
    external_id: String,
) -> UserRecord {
    UserRecord {
        uuid: Uuid::new_v4(),
        tenant_id: tenant,
        username: Username::parse(username).unwrap(),
        email: Email::parse(email).unwrap(),
        names,
        status: Status::Active,
        role_number: 2,
        perms: Vec::new(),
        website_role: None,
        default_account_id: None,
        external_id: Some(external_id),
        profile: Profile::default(),
        license_types: Vec::new(),
        branch_ids: Vec::new(),
        groups: None,
        folders: Vec::new(),
        devices: Vec::new(),
        password_expired: false,
    }
}
