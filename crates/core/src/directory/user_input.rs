//! A dialect's user input made into a validated record: the rules every create and update
//! passes, in one place.

use uuid::Uuid;

use super::actor::Actor;
use super::requests::{NewUser, UserPatch};
use super::rights::{check_grants, check_reach};
use super::service::Directory;
use super::tenants::check_role;
use crate::error::{CoreResult, Field};
use crate::ids::{Email, Username};
use crate::model::{Device, Profile, SecretChange, User, UserRecord, DEFAULT_ROLE};
use crate::secrets::{MemorableWord, Password};
use crate::tags::PermName;
use crate::text::{self, TextKind};

/// A validated user with the secrets to store beside it, not yet hashed or encrypted.
pub(super) struct ParsedUser {
    pub(super) record: UserRecord,
    pub(super) password: Option<Password>,
    pub(super) memorable_word: Option<MemorableWord>,
}

impl Directory {
    pub(super) fn password(&self, raw: String) -> CoreResult<Password> {
        Password::parse(raw, self.settings.min_password_length)
    }

    /// Validates a new user into a record, without touching the store.
    pub(super) fn parse_new(&self, actor: &Actor, new: NewUser) -> CoreResult<ParsedUser> {
        let NewUser {
            username,
            email,
            name,
            password,
            memorable_word,
            status,
            role_number,
            perms,
            website_role,
            default_account_id,
            external_id,
            profile,
            license_types,
            branch_ids,
            groups,
            folders,
            devices,
            password_expired,
        } = new;
        let email = Email::parse(&email)?;
        let username = match username {
            Some(u) => Username::parse(&u)?,
            None => Username::parse(email.as_str())?,
        };
        let names = name.parse()?;
        let password = password.map(|pw| self.password(pw)).transpose()?;
        let memorable_word = memorable_word.map(MemorableWord::parse).transpose()?;
        let perms = parse_perms(perms)?;
        check_profile(&profile)?;
        check_texts(Texts {
            website_role: website_role.as_deref(),
            external_id: external_id.as_deref(),
            license_types: &license_types,
            branch_ids: &branch_ids,
            devices: &devices,
        })?;
        check_grants(actor, &[], &perms)?;
        let record = UserRecord {
            uuid: Uuid::new_v4(),
            tenant_id: actor.tenant,
            username,
            email,
            names,
            status,
            role_number: role_number.unwrap_or(DEFAULT_ROLE),
            perms,
            website_role,
            default_account_id,
            external_id: blank_to_none(external_id),
            profile,
            license_types: dedup(license_types),
            branch_ids: dedup(branch_ids),
            groups: Some(dedup(groups)),
            folders: dedup(folders),
            devices,
            password_expired,
        };
        Ok(ParsedUser {
            record,
            password,
            memorable_word,
        })
    }

    /// The stored user with a patch applied, validated as a new user would be.
    pub(super) async fn apply_patch(
        &self,
        actor: &Actor,
        current: &User,
        patch: UserPatch,
    ) -> CoreResult<ParsedUser> {
        let UserPatch {
            username,
            email,
            name,
            password,
            memorable_word,
            status,
            role_number,
            perms,
            website_role,
            default_account_id,
            external_id,
            profile,
            license_types,
            branch_ids,
            groups,
            folders,
            devices,
            password_expired,
        } = patch;
        // The rights rule: what only the user's peers may change, checked before anything
        // else so that a refused write reveals nothing about the rest of the request.
        let perms_change = perms.as_ref().is_some_and(|p| !same_set(p, &current.perms));
        let status_change = status.is_some_and(|s| s != current.status);
        let expires = password_expired == Some(true) && !current.password_expired;
        if password.is_some()
            || memorable_word.is_some()
            || status_change
            || perms_change
            || expires
        {
            check_reach(actor, current)?;
        }
        let email = match email {
            Some(e) => Email::parse(&e)?,
            None => current.email.clone(),
        };
        let username = match username {
            Some(u) => Username::parse(&u)?,
            None => current.username.clone(),
        };
        let names = match name {
            Some(n) => n.parse()?,
            None => current.names.clone(),
        };
        let password = password.map(|pw| self.password(pw)).transpose()?;
        let memorable_word = memorable_word.map(MemorableWord::parse).transpose()?;
        let role_number = role_number.unwrap_or(current.role_number);
        if role_number != current.role_number {
            check_role(&self.store.roles(actor.tenant).await?, role_number)?;
        }
        // The stored perms are checked again when they are kept: a write never stores a name
        // the rules refuse.
        let perms = parse_perms(perms.unwrap_or_else(|| current.perms.clone()))?;
        let profile = profile.unwrap_or_else(|| current.profile.clone());
        check_profile(&profile)?;
        // Only what the patch writes is checked: a stored value was checked when written.
        check_texts(Texts {
            website_role: website_role.as_ref().and_then(Option::as_deref),
            external_id: external_id.as_ref().and_then(Option::as_deref),
            license_types: license_types.as_deref().unwrap_or_default(),
            branch_ids: branch_ids.as_deref().unwrap_or_default(),
            devices: devices.as_deref().unwrap_or_default(),
        })?;
        check_grants(actor, &current.perms, &perms)?;
        // A new password clears an expiry set by ResetPassword.
        let password_expired = match (&password, password_expired) {
            (_, Some(v)) => v,
            (Some(_), None) => false,
            (None, None) => current.password_expired,
        };
        let record = UserRecord {
            uuid: current.uuid,
            tenant_id: current.tenant_id,
            username,
            email,
            names,
            status: status.unwrap_or(current.status),
            role_number,
            perms,
            website_role: website_role.unwrap_or_else(|| current.website_role.clone()),
            default_account_id: default_account_id.unwrap_or(current.default_account_id),
            external_id: match external_id {
                Some(v) => blank_to_none(v),
                None => current.external_id.clone(),
            },
            profile,
            license_types: license_types
                .map(dedup)
                .unwrap_or_else(|| current.license_types.clone()),
            branch_ids: branch_ids
                .map(dedup)
                .unwrap_or_else(|| current.branch_ids.clone()),
            groups: groups.map(dedup),
            folders: folders
                .map(dedup)
                .unwrap_or_else(|| current.folders.clone()),
            devices: devices.unwrap_or_else(|| current.devices.clone()),
            password_expired,
        };
        Ok(ParsedUser {
            record,
            password,
            memorable_word,
        })
    }

    /// The secret columns for a write: the password hashed (on the hashing pool), the
    /// memorable word encrypted.
    pub(super) async fn secrets_for(
        &self,
        password: Option<Password>,
        memorable_word: Option<MemorableWord>,
    ) -> CoreResult<SecretChange> {
        let password_hash = match password {
            Some(pw) => Some(
                self.hasher
                    .hash(pw.into_plain(), self.settings.bcrypt_cost)
                    .await?,
            ),
            None => None,
        };
        let memorable_word_enc = match memorable_word {
            Some(w) => Some(self.cipher.encrypt(w.expose())?),
            None => None,
        };
        Ok(SecretChange {
            password_hash,
            memorable_word_enc,
        })
    }
}

/// Each name once, in the order written, every one a valid permission name.
fn parse_perms(perms: Vec<String>) -> CoreResult<Vec<PermName>> {
    dedup(perms).iter().map(|p| PermName::parse(p)).collect()
}

/// The profile's text fields are free text (tab, line feed and carriage return allowed), except
/// the three ids, which are one line; all are bounded as free text, as keaz documents them.
fn check_profile(profile: &Profile) -> CoreResult<()> {
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
    let fields = [
        (Field::EmployeeId, TextKind::Name, employee_id),
        (Field::ContactNumber, TextKind::Free, contact_number),
        (Field::LicenseNumber, TextKind::Free, license_number),
        (
            Field::LicenseExpiryMonth,
            TextKind::Free,
            license_expiry_month,
        ),
        (
            Field::LicenseExpiryYear,
            TextKind::Free,
            license_expiry_year,
        ),
        (Field::LicenseType, TextKind::Free, license_type),
        (Field::LicenseCountry, TextKind::Free, license_country),
        (Field::CostCentreId, TextKind::Name, cost_centre_id),
        (
            Field::ActivatedViaCompanyId,
            TextKind::Name,
            activated_via_company_id,
        ),
    ];
    for (field, kind, value) in fields {
        if let Some(value) = value {
            text::check_max(field, kind, text::FREE_MAX, value)?;
        }
    }
    Ok(())
}

/// The user's other text a write sets, borrowed from the request.
struct Texts<'a> {
    website_role: Option<&'a str>,
    external_id: Option<&'a str>,
    license_types: &'a [String],
    branch_ids: &'a [String],
    devices: &'a [Device],
}

/// Every one of them is one line of the text rule.
fn check_texts(texts: Texts<'_>) -> CoreResult<()> {
    let Texts {
        website_role,
        external_id,
        license_types,
        branch_ids,
        devices,
    } = texts;
    text::check_opt(Field::WebsiteRole, TextKind::Name, website_role)?;
    text::check_opt(Field::ExternalId, TextKind::Name, external_id)?;
    for item in license_types {
        text::check(Field::LicenseTypes, TextKind::Name, item)?;
    }
    for item in branch_ids {
        text::check(Field::BranchIds, TextKind::Name, item)?;
    }
    for device in devices {
        let Device {
            id,
            name,
            os,
            app_version,
            last_used: _,
        } = device;
        text::check(Field::Devices, TextKind::Name, id)?;
        for value in [name, os, app_version].into_iter().flatten() {
            text::check(Field::Devices, TextKind::Name, value)?;
        }
    }
    Ok(())
}

/// Whether two lists hold the same items, in any order and number.
fn same_set(a: &[String], b: &[String]) -> bool {
    a.iter().all(|x| b.contains(x)) && b.iter().all(|x| a.contains(x))
}

/// Keeps the first occurrence of each item, so lists read back in the order written.
fn dedup<T: PartialEq + Clone>(items: Vec<T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

fn blank_to_none(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.trim().is_empty())
}
