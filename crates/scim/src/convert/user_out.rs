//! The core's user as a SCIM User.

use std::collections::HashMap;

use chrono::SecondsFormat;
use rosetta_core::{Names, Profile, Role, Status, Timestamp, User};
use uuid::Uuid;

use crate::schema::urn;
use crate::wire::{
    EmailOut, EnterpriseOut, Meta, NameOut, PhoneOut, RefOut, RoleOut, UserOut, ValueOut,
};

/// What an answer needs beside the user: where the dialect is mounted, as an absolute URL
/// (`https://host/scim/v2`), the tenant's role catalogue (for `roles.display`) and the names of
/// the users' groups (for `groups.display`).
pub struct Context {
    pub base: String,
    pub roles: Vec<Role>,
    /// The display names of the groups the users shown are members of (read once for all).
    pub group_names: HashMap<Uuid, String>,
}

/// `meta.version` and the `ETag` header: weak, since two writes can leave equal bytes.
pub fn etag(version: i64) -> String {
    format!("W/\"{version}\"")
}

/// RFC 3339 in UTC, to the millisecond.
pub fn timestamp(at: &Timestamp) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The SCIM view of a user. Everything SCIM does not show is named and dropped on purpose.
pub fn user_out(user: &User, cx: &Context) -> UserOut {
    let User {
        id: _,
        uuid,
        tenant_id: _,
        username,
        email,
        names,
        status,
        role_number,
        perms,
        website_role: _,
        default_account_id: _,
        external_id,
        profile,
        license_types: _,
        branch_ids: _,
        groups,
        folders: _,
        devices: _,
        last_login_at: _,
        password_expired: _,
        has_password: _,
        has_memorable_word: _,
        created_at,
        updated_at,
        version,
    } = user;
    let Names { full, first, last } = names;
    let Profile {
        employee_id,
        contact_number,
        license_number: _,
        license_expiry_month: _,
        license_expiry_year: _,
        license_type: _,
        license_country: _,
        cost_centre_id,
        activated_via_company_id: _,
    } = profile;
    let enterprise = (employee_id.is_some() || cost_centre_id.is_some()).then(|| EnterpriseOut {
        employee_number: employee_id.clone(),
        cost_center: cost_centre_id.clone(),
    });
    let mut schemas = vec![urn::USER];
    if enterprise.is_some() {
        schemas.push(urn::ENTERPRISE_USER);
    }
    let base = &cx.base;
    UserOut {
        schemas,
        id: uuid.to_string(),
        external_id: external_id.clone(),
        user_name: username.as_str().to_owned(),
        name: NameOut {
            formatted: full.clone(),
            family_name: last.clone(),
            given_name: first.clone(),
        },
        display_name: full.clone(),
        emails: vec![EmailOut {
            value: email.as_str().to_owned(),
            kind: "work",
            primary: true,
        }],
        phone_numbers: contact_number
            .iter()
            .map(|n| PhoneOut {
                value: n.clone(),
                kind: "work",
            })
            .collect(),
        active: *status == Status::Active,
        roles: vec![RoleOut {
            value: role_number.to_string(),
            display: cx
                .roles
                .iter()
                .find(|r| r.number == *role_number)
                .map(|r| r.name.clone()),
        }],
        entitlements: perms
            .iter()
            .map(|p| ValueOut { value: p.clone() })
            .collect(),
        groups: groups
            .iter()
            .map(|g| RefOut {
                value: g.to_string(),
                display: cx.group_names.get(g).cloned(),
                reference: format!("{base}/Groups/{g}"),
                kind: None,
            })
            .collect(),
        enterprise,
        meta: Meta {
            resource_type: "User",
            created: timestamp(created_at),
            last_modified: timestamp(updated_at),
            location: format!("{base}/Users/{uuid}"),
            version: etag(*version),
        },
    }
}
