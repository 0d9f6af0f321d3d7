//! A written User (POST, PUT, or the resource a PATCH produced) into the core's `NewUser` or
//! `UserPatch`.

use rosetta_core::{NameInput, NewUser, Profile, Status, User, UserPatch};
use serde_json::{Map, Value};

use super::values::{boolean, canonical_keys, item_value, items, object, pick, string};
use crate::errors::ScimError;
use crate::wire::{UserIn, USER_MEMBERS};

const NAME_MEMBERS: &[&str] = &["formatted", "familyName", "givenName"];
const ITEM_MEMBERS: &[&str] = &["value", "type", "primary", "display"];
const ENTERPRISE_MEMBERS: &[&str] = &["employeeNumber", "costCenter"];

/// A body's members under their RFC names, whatever case they were sent in.
pub fn user_in(map: Map<String, Value>) -> Result<UserIn, ScimError> {
    let map = canonical_keys(map, USER_MEMBERS);
    serde_json::from_value(Value::Object(map))
        .map_err(|_| ScimError::invalid_syntax("The request body is not a SCIM User."))
}

/// What a written User says, each attribute checked for its JSON type. `None`: not written
/// (or `null`, which RFC 7644 section 3.5.1 treats as unassigned).
struct Written {
    user_name: Option<String>,
    external_id: Option<String>,
    given: Option<String>,
    family: Option<String>,
    formatted: Option<String>,
    display_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    active: Option<bool>,
    password: Option<String>,
    role: Option<i32>,
    perms: Vec<String>,
    employee_number: Option<String>,
    cost_center: Option<String>,
}

fn read(body: UserIn) -> Result<Written, ScimError> {
    let UserIn {
        user_name,
        external_id,
        name,
        display_name,
        emails,
        phone_numbers,
        active,
        password,
        roles,
        entitlements,
        enterprise,
    } = body;
    let text =
        |attr: &str, v: Option<Value>| v.map(|v| string(attr, v)).transpose().map(Option::flatten);
    let name = name
        .map(|v| object("name", v, NAME_MEMBERS))
        .transpose()?
        .flatten()
        .unwrap_or_default();
    let mut name = name;
    let given = text("name.givenName", name.remove("givenName"))?;
    let family = text("name.familyName", name.remove("familyName"))?;
    let formatted = text("name.formatted", name.remove("formatted"))?;
    let email = match emails {
        None => None,
        Some(v) => match pick(items("emails", v, ITEM_MEMBERS)?, "work") {
            Some(mut item) => item_value("emails", &mut item)?,
            None => None,
        },
    };
    let phone = match phone_numbers {
        None => None,
        Some(v) => match pick(items("phoneNumbers", v, ITEM_MEMBERS)?, "work") {
            Some(mut item) => item_value("phoneNumbers", &mut item)?,
            None => None,
        },
    };
    let role = match roles {
        None => None,
        Some(v) => match pick(items("roles", v, ITEM_MEMBERS)?, "") {
            Some(mut item) => match item_value("roles", &mut item)? {
                Some(raw) => Some(raw.trim().parse::<i32>().map_err(|_| {
                    ScimError::invalid_value(
                        "roles.value must be a role number of this tenant (as text).",
                    )
                })?),
                None => None,
            },
            None => None,
        },
    };
    let mut perms = Vec::new();
    if let Some(v) = entitlements {
        for mut item in items("entitlements", v, ITEM_MEMBERS)? {
            if let Some(p) = item_value("entitlements", &mut item)? {
                perms.push(p);
            }
        }
    }
    let mut ext = enterprise
        .map(|v| object(crate::schema::urn::ENTERPRISE_USER, v, ENTERPRISE_MEMBERS))
        .transpose()?
        .flatten()
        .unwrap_or_default();
    Ok(Written {
        user_name: text("userName", user_name)?,
        external_id: text("externalId", external_id)?,
        given,
        family,
        formatted,
        display_name: text("displayName", display_name)?,
        email,
        phone,
        active: active.map(|v| boolean("active", &v)).transpose()?.flatten(),
        password: text("password", password)?,
        role,
        perms,
        employee_number: text("employeeNumber", ext.remove("employeeNumber"))?,
        cost_center: text("costCenter", ext.remove("costCenter"))?,
    })
}

/// Empty text is no value: SCIM clients send `""` for an attribute they have nothing for.
fn some(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.trim().is_empty())
}

/// `profile` with the three keaz fields SCIM carries set; the others kept as they are.
fn with_scim_fields(
    profile: Profile,
    employee_number: Option<String>,
    phone: Option<String>,
    cost_center: Option<String>,
) -> Profile {
    let Profile {
        employee_id: _,
        contact_number: _,
        license_number,
        license_expiry_month,
        license_expiry_year,
        license_type,
        license_country,
        cost_centre_id: _,
        activated_via_company_id,
    } = profile;
    Profile {
        employee_id: employee_number,
        contact_number: phone,
        license_number,
        license_expiry_month,
        license_expiry_year,
        license_type,
        license_country,
        cost_centre_id: cost_center,
        activated_via_company_id,
    }
}

/// POST /Users. `userName` is required (RFC 7643 section 4.1.1); the name is the given and
/// family names when either is written (with `name.formatted` kept as written beside them when
/// it is), else `name.formatted`, else `displayName`, else the
/// userName; the email is the primary (or `work`) one, else the userName when it is an
/// address.
pub fn new_user(body: UserIn) -> Result<NewUser, ScimError> {
    let Written {
        user_name,
        external_id,
        given,
        family,
        formatted,
        display_name,
        email,
        phone,
        active,
        password,
        role,
        perms,
        employee_number,
        cost_center,
    } = read(body)?;
    let user_name =
        some(user_name).ok_or_else(|| ScimError::invalid_value("userName is required."))?;
    let (given, family) = (some(given), some(family));
    let name = if given.is_some() || family.is_some() {
        let (first, last) = (given.unwrap_or_default(), family.unwrap_or_default());
        match some(formatted) {
            // Written together, each is kept: a formatted name may hold titles and middle
            // names the parts do not (RFC 7643 section 4.1.1).
            Some(full) => NameInput::Whole { full, first, last },
            None => NameInput::Parts { first, last },
        }
    } else {
        NameInput::Full(
            some(formatted)
                .or(some(display_name))
                .unwrap_or_else(|| user_name.clone()),
        )
    };
    let email = match some(email) {
        Some(e) => e,
        None if user_name.contains('@') => user_name.clone(),
        None => {
            return Err(ScimError::invalid_value(
                "emails must hold an email address (Rosetta keeps one per user).",
            ))
        }
    };
    let profile = with_scim_fields(
        Profile::default(),
        some(employee_number),
        some(phone),
        some(cost_center),
    );
    Ok(NewUser {
        username: Some(user_name),
        email,
        name,
        password,
        memorable_word: None,
        status: if active == Some(false) {
            Status::Inactive
        } else {
            Status::Active
        },
        role_number: role,
        perms,
        website_role: None,
        default_account_id: None,
        external_id: some(external_id),
        profile,
        license_types: Vec::new(),
        branch_ids: Vec::new(),
        groups: Vec::new(),
        folders: Vec::new(),
        devices: Vec::new(),
        password_expired: false,
    })
}

/// PUT (and the result of a PATCH): the user becomes what was written. What SCIM shows and
/// the body leaves out is cleared (`externalId`, `phoneNumbers`, `entitlements`, the
/// extension's members); `active`, `roles`, `password`, the name and the email stay as they
/// are when left out (the core needs a name, an email and a role; a password is never read
/// back, so a client cannot send it again). Only what differs from `current` is in the patch.
pub fn replace(body: UserIn, current: &User) -> Result<UserPatch, ScimError> {
    let Written {
        user_name,
        external_id,
        given,
        family,
        formatted,
        display_name,
        email,
        phone,
        active,
        password,
        role,
        perms,
        employee_number,
        cost_center,
    } = read(body)?;
    let names = &current.names;
    // The first name part that changed wins: parts, then formatted, then displayName, so a
    // PATCH of `displayName` alone is not undone by the unchanged name it is read beside.
    let (given, family) = (
        given.unwrap_or_else(|| names.first.clone()),
        family.unwrap_or_else(|| names.last.clone()),
    );
    let name = if given.trim() != names.first || family.trim() != names.last {
        // A formatted name that changed with the parts is kept as written; one left as it was
        // is derived again from the new parts.
        Some(
            match some(formatted).filter(|full| full.trim() != names.full) {
                Some(full) => NameInput::Whole {
                    full,
                    first: given,
                    last: family,
                },
                None => NameInput::Parts {
                    first: given,
                    last: family,
                },
            },
        )
    } else {
        [some(formatted), some(display_name)]
            .into_iter()
            .flatten()
            .find(|full| full.trim() != names.full)
            .map(NameInput::Full)
    };
    let user_name = some(user_name).filter(|u| u != current.username.as_str());
    let email = some(email).filter(|e| e != current.email.as_str());
    let status = match active {
        Some(true) if current.status != Status::Active => Some(Status::Active),
        // A pending user reads as `active: false` too, and writing false still deactivates it.
        Some(false) if current.status != Status::Inactive => Some(Status::Inactive),
        _ => None,
    };
    let external_id = some(external_id);
    let profile = with_scim_fields(
        current.profile.clone(),
        some(employee_number),
        some(phone),
        some(cost_center),
    );
    let mut sorted = perms.clone();
    sorted.sort();
    let mut held = current.perms.clone();
    held.sort();
    Ok(UserPatch {
        username: user_name,
        email,
        name,
        password,
        memorable_word: None,
        status,
        role_number: role.filter(|r| *r != current.role_number),
        // Unchanged perms are not sent: a change needs the rights of each perm it touches.
        perms: (sorted != held).then_some(perms),
        website_role: None,
        default_account_id: None,
        external_id: (external_id != current.external_id).then_some(external_id),
        profile: (profile != current.profile).then_some(profile),
        license_types: None,
        branch_ids: None,
        groups: None,
        folders: None,
        devices: None,
        password_expired: None,
    })
}
