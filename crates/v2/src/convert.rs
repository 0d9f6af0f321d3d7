//! Wire <-> core. Every core struct is destructured without `..`, so a field added to the core
//! fails to compile here until someone decides whether v2 shows it.

use rosetta_core::{AuditRecord, Device, NameInput, NewUser, Profile, Status, Timestamp, User};

use crate::errors::V2Error;
use crate::wire::{self, DeletedUser, DeviceInput, UserDevice, UserInput};

/// ISO 8601 UTC to the second, as the spec's example (`2026-11-23T10:15:00Z`).
pub fn date(t: &Timestamp) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub fn status_name(s: Status) -> &'static str {
    match s {
        Status::Active => "Active",
        Status::Pending => "Pending",
        Status::Inactive => "Inactive",
    }
}

pub fn parse_status(raw: &str) -> Result<Status, V2Error> {
    Status::parse(raw.trim()).ok_or_else(|| {
        V2Error::field(
            "Status",
            "InvalidValue",
            "Status must be Active, Pending or Inactive",
        )
    })
}

pub fn user_to_wire(u: User) -> wire::User {
    let User {
        id: _,
        uuid,
        tenant_id,
        username: _,
        email,
        names,
        status,
        role_number: _,
        perms: _,
        website_role,
        default_account_id: _,
        external_id,
        profile: _,
        license_types: _,
        branch_ids: _,
        groups,
        folders,
        devices,
        last_login_at,
        password_expired: _,
        has_password: _,
        has_memorable_word: _,
        created_at,
        updated_at,
        version: _,
    } = u;
    wire::User {
        id: uuid,
        company_id: tenant_id.0,
        external_id,
        first_name: names.first,
        last_name: names.last,
        email: email.to_string(),
        status: status_name(status),
        last_activity: last_login_at.as_ref().map(date),
        folders,
        groups,
        website_role,
        user_devices: devices.into_iter().map(device_to_wire).collect(),
        created_date: date(&created_at),
        last_updated: date(&updated_at),
    }
}

fn device_to_wire(d: Device) -> UserDevice {
    let Device {
        id,
        name,
        os,
        app_version,
        last_used,
    } = d;
    UserDevice {
        id,
        name,
        os,
        app_version,
        last_used: last_used.as_ref().map(date),
    }
}

pub fn deleted_to_wire(a: AuditRecord) -> DeletedUser {
    let AuditRecord {
        id: _,
        tenant_id: _,
        actor,
        dialect,
        action: _,
        user_id: _,
        user_uuid,
        user_email,
        at,
    } = a;
    DeletedUser {
        id: user_uuid,
        email: user_email,
        deleted_by: format!("{dialect}:{actor}"),
        deleted_date: date(&at),
    }
}

fn device_to_core(d: DeviceInput) -> Device {
    let DeviceInput {
        id,
        name,
        os,
        app_version,
        last_used,
    } = d;
    Device {
        id,
        name,
        os,
        app_version,
        last_used,
    }
}

/// What a create asks for besides the user itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreateFlags {
    pub do_not_email: bool,
    pub reset_password: bool,
}

/// A create request into a core `NewUser`. FirstName, LastName and Email are required (all
/// missing ones are reported at once); the status follows the password (Active with one,
/// Pending without) unless the client asks for `Inactive`.
pub fn new_user(input: UserInput) -> Result<(NewUser, CreateFlags), V2Error> {
    let UserInput {
        // The query's CompanyId decided the tenant (v2.md); a body's is ignored, since a .NET
        // client serializes a `User` with `CompanyId` 0 when it never set it.
        company_id: _,
        external_id,
        first_name,
        last_name,
        email,
        status,
        folders,
        groups,
        website_role,
        user_devices,
        password,
        do_not_email,
        reset_password,
        integration_key: _,
    } = input;
    let present = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    let mut missing = Vec::new();
    for (member, value) in [
        ("FirstName", &first_name),
        ("LastName", &last_name),
        ("Email", &email),
    ] {
        if !present(value) {
            missing.push((
                member.to_owned(),
                "NotEmpty".to_owned(),
                format!("{member} is required"),
            ));
        }
    }
    if !missing.is_empty() {
        return Err(V2Error::fields(missing));
    }
    // ExternalId, WebsiteRole and the devices' text follow the core's text rule (MAPPING.md),
    // which the directory applies to every dialect's writes.
    // An empty Password is what some clients send for "none".
    let password = password.filter(|p| !p.is_empty());
    let requested = match status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(parse_status(s)?),
    };
    let status = match (requested, &password) {
        (Some(Status::Inactive), _) => Status::Inactive,
        (_, Some(_)) => Status::Active,
        (_, None) => Status::Pending,
    };
    let flags = CreateFlags {
        do_not_email: do_not_email.unwrap_or(false),
        reset_password: reset_password.unwrap_or(false),
    };
    let new = NewUser {
        username: None,
        email: email.unwrap_or_default(),
        name: NameInput::Parts {
            first: first_name.unwrap_or_default(),
            last: last_name.unwrap_or_default(),
        },
        password,
        memorable_word: None,
        status,
        role_number: None,
        perms: Vec::new(),
        website_role: website_role.filter(|w| !w.trim().is_empty()),
        default_account_id: None,
        external_id,
        profile: Profile::default(),
        license_types: Vec::new(),
        branch_ids: Vec::new(),
        groups: groups.unwrap_or_default(),
        folders: folders.unwrap_or_default(),
        devices: user_devices
            .unwrap_or_default()
            .into_iter()
            .map(device_to_core)
            .collect(),
        password_expired: flags.reset_password,
    };
    Ok((new, flags))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn input() -> UserInput {
        UserInput {
            first_name: Some("Jo".into()),
            last_name: Some("Bloggs".into()),
            email: Some("jo@example.com".into()),
            ..UserInput::default()
        }
    }

    #[test]
    fn status_follows_password() {
        let (new, _) = new_user(input()).unwrap();
        assert_eq!(new.status, Status::Pending);
        let mut i = input();
        i.password = Some("s3cret".into());
        let (new, _) = new_user(i).unwrap();
        assert_eq!(new.status, Status::Active);
        let mut i = input();
        i.status = Some("inactive".into());
        assert_eq!(new_user(i).unwrap().0.status, Status::Inactive);
    }

    #[test]
    fn required_members_are_all_reported() {
        let e = new_user(UserInput::default()).unwrap_err();
        let fields: Vec<_> = e.errors.iter().map(|e| e.field_name.as_str()).collect();
        assert_eq!(fields, ["FirstName", "LastName", "Email"]);
    }

    #[test]
    fn a_body_company_is_ignored() {
        let mut i = input();
        i.company_id = Some("0".into());
        assert!(new_user(i).is_ok());
    }

    #[test]
    fn dates_are_iso_utc_seconds() {
        use chrono::TimeZone;
        let t = chrono::Utc
            .with_ymd_and_hms(2026, 11, 23, 10, 15, 0)
            .unwrap();
        assert_eq!(date(&t), "2026-11-23T10:15:00Z");
    }
}
