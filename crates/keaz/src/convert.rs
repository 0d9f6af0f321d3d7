//! keaz wire <-> core. Every struct is destructured or built field by field, without `..`, so
//! a field added to the core cannot be forgotten here.

use chrono::SecondsFormat;
use rosetta_core::{
    text, Booking, Email, NameInput, NewUser, PermName, Profile, Status, TenantId, User, UserPatch,
};

use crate::errors::{self, KeazError};
use crate::wire::{
    BookingHash, UserHash, UserInput, BRANCH_IDS, COMPANY_ID, EMAIL, LICENSE_TYPES, NAME, PERMS,
    PROFILE_FIELDS, STATUS,
};

/// A field and what is wrong with it.
pub type FieldError = (String, String);

/// The core's bounds (MAPPING.md's text rule), checked here too so a body's every problem is
/// listed at once; the characters are the core's to check.
const TEXT_MAX: usize = text::FREE_MAX;
const LIST_ITEM_MAX: usize = text::NAME_MAX;

pub fn user_hash(user: &User) -> UserHash {
    let User {
        id,
        uuid: _,
        tenant_id,
        username: _,
        email,
        names,
        status,
        role_number: _,
        perms,
        website_role: _,
        default_account_id: _,
        external_id: _,
        profile,
        license_types,
        branch_ids,
        groups: _,
        folders: _,
        devices: _,
        last_login_at: _,
        password_expired: _,
        has_password: _,
        has_memorable_word: _,
        created_at: _,
        updated_at: _,
        version: _,
    } = user;
    let Profile {
        employee_id,
        contact_number,
        license_number,
        license_expiry_month,
        license_expiry_year,
        license_type,
        license_country,
        cost_centre_id,
        activated_via_company_id,
    } = profile;
    UserHash {
        id: id.0,
        name: names.full.clone(),
        email: email.as_str().to_owned(),
        status: status.as_str(),
        employee_id: employee_id.clone(),
        contact_number: contact_number.clone(),
        license_number: license_number.clone(),
        license_expiry_month: license_expiry_month.clone(),
        license_expiry_year: license_expiry_year.clone(),
        license_type: license_type.clone(),
        license_country: license_country.clone(),
        cost_centre_id: cost_centre_id.clone(),
        activated_via_company_id: activated_via_company_id.clone(),
        company_id: tenant_id.0,
        perms: perms.clone(),
        license_types: license_types.clone(),
        branch_ids: branch_ids.clone(),
    }
}

pub fn booking_hash(b: &Booking) -> BookingHash {
    let Booking {
        id,
        user_id,
        asset,
        start,
        end,
        created_at: _,
    } = b;
    BookingHash {
        id: *id,
        user_id: user_id.0,
        asset: asset.clone(),
        start: start.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        end: end.to_rfc3339_opts(SecondsFormat::AutoSi, true),
    }
}

/// `^[a-zA-Z0-9_. ]+$`, and not only spaces (the core needs a name to split).
pub fn check_name(name: &str) -> Result<(), String> {
    let pattern = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ' '));
    if !pattern {
        return Err("must match ^[a-zA-Z0-9_. ]+$".into());
    }
    if name.trim().is_empty() {
        return Err("must not be only spaces".into());
    }
    if name.len() > text::NAME_MAX {
        return Err(format!("must be at most {} characters", text::NAME_MAX));
    }
    Ok(())
}

fn check_list(field: &str, items: &[String], errors: &mut Vec<FieldError>) {
    for item in items {
        let problem = if field == PERMS {
            perm_problem(item)
        } else if item.chars().count() > LIST_ITEM_MAX {
            Some((
                field.to_owned(),
                format!("items must be at most {LIST_ITEM_MAX} characters"),
            ))
        } else {
            None
        };
        if let Some(problem) = problem {
            errors.push(problem);
            return;
        }
    }
}

/// What is wrong with a permission name: the core's rule (`PermName`), worded by the one
/// mapping of its errors.
fn perm_problem(item: &str) -> Option<FieldError> {
    PermName::parse(item)
        .err()
        .and_then(|e| errors::field_problem(&e))
}

fn check_company(tenant: TenantId, company: &Option<Option<String>>, errors: &mut Vec<FieldError>) {
    if let Some(Some(c)) = company {
        if c.trim() != tenant.0.to_string() {
            errors.push((
                COMPANY_ID.into(),
                "is the caller's company and cannot be set to another".into(),
            ));
        }
    }
}

fn check_profile(profile: &[Option<Option<String>>; 9], errors: &mut Vec<FieldError>) {
    for (value, field) in profile.iter().zip(PROFILE_FIELDS) {
        if let Some(Some(v)) = value {
            if v.chars().count() > TEXT_MAX {
                errors.push((
                    field.into(),
                    format!("must be at most {TEXT_MAX} characters"),
                ));
            }
        }
    }
}

fn to_profile(values: [Option<String>; 9]) -> Profile {
    let [employee_id, contact_number, license_number, license_expiry_month, license_expiry_year, license_type, license_country, cost_centre_id, activated_via_company_id] =
        values;
    Profile {
        employee_id,
        contact_number,
        license_number,
        license_expiry_month,
        license_expiry_year,
        license_type,
        license_country,
        cost_centre_id,
        activated_via_company_id,
    }
}

fn from_profile(p: &Profile) -> [Option<String>; 9] {
    let Profile {
        employee_id,
        contact_number,
        license_number,
        license_expiry_month,
        license_expiry_year,
        license_type,
        license_country,
        cost_centre_id,
        activated_via_company_id,
    } = p.clone();
    [
        employee_id,
        contact_number,
        license_number,
        license_expiry_month,
        license_expiry_year,
        license_type,
        license_country,
        cost_centre_id,
        activated_via_company_id,
    ]
}

/// A new (pending) user from a hash, with every problem found rather than the first.
/// `id` and `status` are ignored: the core numbers users and keaz creates them pending.
pub fn new_user(input: UserInput, tenant: TenantId) -> Result<NewUser, Vec<FieldError>> {
    let UserInput {
        name,
        email,
        password,
        status: _,
        company_id,
        profile,
        perms,
        license_types,
        branch_ids,
    } = input;
    let mut errors = Vec::new();
    let name = name.flatten();
    match &name {
        None => errors.push((NAME.into(), "is required".into())),
        Some(n) => {
            if let Err(m) = check_name(n) {
                errors.push((NAME.into(), m));
            }
        }
    }
    let email = email.flatten();
    match &email {
        None => errors.push((EMAIL.into(), "is required".into())),
        Some(e) => {
            if Email::parse(e).is_err() {
                errors.push((EMAIL.into(), "is not a valid email address".into()));
            }
        }
    }
    check_company(tenant, &company_id, &mut errors);
    check_profile(&profile, &mut errors);
    let perms = perms.unwrap_or_default();
    let license_types = license_types.unwrap_or_default();
    let branch_ids = branch_ids.unwrap_or_default();
    check_list(PERMS, &perms, &mut errors);
    check_list(LICENSE_TYPES, &license_types, &mut errors);
    check_list(BRANCH_IDS, &branch_ids, &mut errors);
    let (Some(name), Some(email), true) = (name, email, errors.is_empty()) else {
        return Err(errors);
    };
    Ok(NewUser {
        username: None,
        email,
        name: NameInput::Full(name),
        password: password.flatten(),
        memorable_word: None,
        status: Status::Pending,
        role_number: None,
        perms,
        website_role: None,
        default_account_id: None,
        external_id: None,
        profile: to_profile(profile.map(Option::flatten)),
        license_types,
        branch_ids,
        groups: Vec::new(),
        folders: Vec::new(),
        devices: Vec::new(),
        password_expired: false,
    })
}

/// The first problem of a hash as the 400 a single write answers with.
pub fn first_error(errors: Vec<FieldError>) -> KeazError {
    match errors.into_iter().next() {
        Some((field, message)) => KeazError::invalid(field, message),
        None => KeazError::invalid("body", "is not a valid user hash"),
    }
}

/// A partial update from the submitted members of a hash. A submitted `password` is dropped
/// (keaz's rule); profile members not submitted keep their values in `current`.
pub fn patch(input: UserInput, tenant: TenantId, current: &User) -> Result<UserPatch, KeazError> {
    let UserInput {
        name,
        email,
        password: _,
        status,
        company_id,
        profile,
        perms,
        license_types,
        branch_ids,
    } = input;
    let mut errors = Vec::new();
    let name = match name {
        None => None,
        Some(None) => {
            errors.push((NAME.into(), "must not be null".into()));
            None
        }
        Some(Some(n)) => {
            if let Err(m) = check_name(&n) {
                errors.push((NAME.into(), m));
            }
            Some(NameInput::Full(n))
        }
    };
    let email = match email {
        None => None,
        Some(None) => {
            errors.push((EMAIL.into(), "must not be null".into()));
            None
        }
        Some(Some(e)) => Some(e),
    };
    let status = match status {
        None => None,
        Some(s) => match s.as_deref().and_then(Status::parse) {
            Some(s) => Some(s),
            None => {
                errors.push((STATUS.into(), "must be active, pending or inactive".into()));
                None
            }
        },
    };
    check_company(tenant, &company_id, &mut errors);
    check_profile(&profile, &mut errors);
    for (field, items) in [
        (PERMS, &perms),
        (LICENSE_TYPES, &license_types),
        (BRANCH_IDS, &branch_ids),
    ] {
        if let Some(items) = items {
            check_list(field, items, &mut errors);
        }
    }
    if !errors.is_empty() {
        return Err(first_error(errors));
    }
    let profile = if profile.iter().any(Option::is_some) {
        let mut values = from_profile(&current.profile);
        for (slot, sent) in values.iter_mut().zip(profile) {
            if let Some(v) = sent {
                *slot = v;
            }
        }
        Some(to_profile(values))
    } else {
        None
    };
    Ok(UserPatch {
        username: None,
        email,
        name,
        password: None,
        memorable_word: None,
        status,
        role_number: None,
        perms,
        website_role: None,
        default_account_id: None,
        external_id: None,
        profile,
        license_types,
        branch_ids,
        groups: None,
        folders: None,
        devices: None,
        password_expired: None,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn name_pattern() {
        assert!(check_name("Jo Smith_2.0").is_ok());
        assert!(check_name("Jo-Smith").is_err());
        assert!(check_name("Jöran").is_err());
        assert!(check_name("").is_err());
        assert!(check_name("   ").is_err());
    }

    #[test]
    fn perm_pattern() {
        assert!(perm_problem("admin").is_none());
        assert!(perm_problem("fleet_view-2").is_none());
        assert_eq!(
            perm_problem("Admin"),
            Some((
                "perms".into(),
                "'Admin' is not a permission name ([a-z0-9_-]{1,32})".into()
            ))
        );
        assert!(perm_problem("a b").is_some());
        assert!(perm_problem(&"x".repeat(33)).is_some());
    }

    #[test]
    fn every_problem_of_a_new_user_is_listed() {
        let input = UserInput {
            name: Some(Some("Bad!".into())),
            email: Some(Some("nope".into())),
            perms: Some(vec!["ADMIN".into()]),
            ..UserInput::default()
        };
        let errors = new_user(input, TenantId(1)).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["name", "email", "perms"]);
    }

    #[test]
    fn numbers_are_kept_as_text() {
        let json = serde_json::json!({"name": "Al", "email": "al@x.io", "employee_id": 42,
            "branch_ids": [1, "b2"]});
        let input = UserInput::from_json(json.as_object().unwrap()).unwrap();
        let new = new_user(input, TenantId(1)).unwrap();
        assert_eq!(new.profile.employee_id.as_deref(), Some("42"));
        assert_eq!(new.branch_ids, ["1", "b2"]);
        assert_eq!(new.status, Status::Pending);
    }
}
