//! The canonical user as one JSON object: the `jsonl` format, and the shape the other formats
//! are read into. Versioned by its `shape` member (`rosetta.user.v1`); a reader refuses any
//! other, so a change of meaning gets a new name rather than a silent misreading.

use rosetta_core::{
    BcryptHash, Device, ImportedUser, NameInput, Names, NewUser, Profile, Status, Timestamp, User,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::report::LineError;

/// What every line of a `jsonl` export says it is.
pub const SHAPE: &str = "rosetta.user.v1";

/// One user. Written with every member; read with only `email` and a name required, so a
/// hand-written file can leave the rest out. The members a store gives (`id`, `uuid`,
/// `tenant_id`, timestamps, `version`, `has_*`, `last_login_at`) are written for the record
/// and ignored on import: the importing tenant gives its own.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserLine {
    pub shape: String,
    #[serde(default)]
    pub id: Option<i64>,
    #[serde(default)]
    pub uuid: Option<Uuid>,
    #[serde(default)]
    pub tenant_id: Option<i64>,
    #[serde(default)]
    pub username: Option<String>,
    pub email: String,
    #[serde(default)]
    pub full_name: Option<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub status: Option<Status>,
    #[serde(default)]
    pub role_number: Option<i32>,
    #[serde(default)]
    pub perms: Vec<String>,
    #[serde(default)]
    pub website_role: Option<String>,
    #[serde(default)]
    pub default_account_id: Option<i64>,
    #[serde(default)]
    pub external_id: Option<String>,
    #[serde(default)]
    pub profile: Profile,
    #[serde(default)]
    pub license_types: Vec<String>,
    #[serde(default)]
    pub branch_ids: Vec<String>,
    #[serde(default)]
    pub groups: Vec<Uuid>,
    #[serde(default)]
    pub folders: Vec<Uuid>,
    #[serde(default)]
    pub devices: Vec<Device>,
    #[serde(default)]
    pub last_login_at: Option<Timestamp>,
    #[serde(default)]
    pub password_expired: bool,
    #[serde(default)]
    pub has_password: bool,
    #[serde(default)]
    pub has_memorable_word: bool,
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    #[serde(default)]
    pub updated_at: Option<Timestamp>,
    #[serde(default)]
    pub version: Option<i64>,
    /// Only with `--with-password-hashes`, and only for a user that has a password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<String>,
}

impl UserLine {
    /// Every canonical field of `user`; the memorable word never (only whether there is one).
    pub fn from_user(user: &User, password_hash: Option<String>) -> Self {
        let User {
            id,
            uuid,
            tenant_id,
            username,
            email,
            names,
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
            last_login_at,
            password_expired,
            has_password,
            has_memorable_word,
            created_at,
            updated_at,
            version,
        } = user;
        let Names { full, first, last } = names;
        Self {
            shape: SHAPE.to_owned(),
            id: Some(id.0),
            uuid: Some(*uuid),
            tenant_id: Some(tenant_id.0),
            username: Some(username.as_str().to_owned()),
            email: email.as_str().to_owned(),
            full_name: Some(full.clone()),
            first_name: Some(first.clone()),
            last_name: Some(last.clone()),
            status: Some(*status),
            role_number: Some(*role_number),
            perms: perms.clone(),
            website_role: website_role.clone(),
            default_account_id: *default_account_id,
            external_id: external_id.clone(),
            profile: profile.clone(),
            license_types: license_types.clone(),
            branch_ids: branch_ids.clone(),
            groups: groups.clone(),
            folders: folders.clone(),
            devices: devices.clone(),
            last_login_at: *last_login_at,
            password_expired: *password_expired,
            has_password: *has_password,
            has_memorable_word: *has_memorable_word,
            created_at: Some(*created_at),
            updated_at: Some(*updated_at),
            version: Some(*version),
            password_hash,
        }
    }

    /// The user to create, or what is wrong with the line itself (the core checks the rest).
    /// A user without a hash is created with no password, in the status the line gives
    /// (pending when it gives none, as keaz's import creates users).
    pub fn into_import(self, line: u64) -> Result<ImportedUser, Vec<LineError>> {
        let Self {
            shape,
            id: _,
            uuid: _,
            tenant_id: _,
            username,
            email,
            full_name,
            first_name,
            last_name,
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
            last_login_at: _,
            password_expired,
            has_password: _,
            has_memorable_word: _,
            created_at: _,
            updated_at: _,
            version: _,
            password_hash,
        } = self;
        let mut errors = Vec::new();
        if shape != SHAPE {
            errors.push(LineError::new(
                line,
                "shape",
                format!("must be \"{SHAPE}\" (this version reads no other)"),
            ));
        }
        let name = name_input(full_name, first_name, last_name);
        if name.is_none() {
            errors.push(LineError::new(
                line,
                "full_name",
                "is required (or first_name and last_name)",
            ));
        }
        let password_hash = match password_hash.filter(|h| !h.is_empty()) {
            None => None,
            Some(raw) => match BcryptHash::parse(&raw) {
                Some(h) => Some(h),
                None => {
                    // The text is a secret even when malformed: it is never echoed.
                    errors.push(LineError::new(
                        line,
                        "password_hash",
                        "is not a bcrypt hash ($2a$, $2b$ or $2y$, cost 04 to 31, 53 characters)",
                    ));
                    None
                }
            },
        };
        let Some(name) = name.filter(|_| errors.is_empty()) else {
            return Err(errors);
        };
        let mut user = NewUser::new(email, name);
        user.username = username.filter(|u| !u.is_empty());
        user.status = status.unwrap_or(Status::Pending);
        user.role_number = role_number;
        user.perms = perms;
        user.website_role = website_role;
        user.default_account_id = default_account_id;
        user.external_id = external_id;
        user.profile = profile;
        user.license_types = license_types;
        user.branch_ids = branch_ids;
        user.groups = groups;
        user.folders = folders;
        user.devices = devices;
        user.password_expired = password_expired;
        Ok(ImportedUser {
            user,
            password_hash,
        })
    }
}

/// The name as written, in the form the core turns back into the same three names: the
/// parts when joining them gives the full name (or no full name was written), else the full
/// name (which the core splits at its first space, as it did when the user was created).
fn name_input(
    full: Option<String>,
    first: Option<String>,
    last: Option<String>,
) -> Option<NameInput> {
    let full = full.filter(|f| !f.trim().is_empty());
    let (first, last) = (first.unwrap_or_default(), last.unwrap_or_default());
    let has_parts = !first.trim().is_empty() || !last.trim().is_empty();
    match full {
        Some(full) if has_parts => {
            let joined = Names::from_parts(&first, &last).ok().map(|n| n.full);
            if joined.as_deref() == Some(full.trim()) {
                Some(NameInput::Parts { first, last })
            } else {
                Some(NameInput::Full(full))
            }
        }
        Some(full) => Some(NameInput::Full(full)),
        None if has_parts => Some(NameInput::Parts { first, last }),
        None => None,
    }
}
