//! What a dialect asks the directory to write, one struct per write (as lldap's
//! `CreateUserRequest`). Unvalidated: the directory parses each into the core's types once.

use std::fmt;

use uuid::Uuid;

use crate::error::CoreResult;
use crate::ids::{Names, UserId};
use crate::model::{Device, Profile, SessionKind, Status, Timestamp, User};

/// What `Debug` shows of a secret that was sent.
const REDACTED: &str = "<redacted>";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameInput {
    Full(String),
    Parts {
        first: String,
        last: String,
    },
    /// All three written together (SCIM's `name.formatted` beside `givenName` and
    /// `familyName`): each kept as written, since a formatted name may carry titles and middle
    /// names the parts do not (RFC 7643 section 4.1.1).
    Whole {
        full: String,
        first: String,
        last: String,
    },
}

impl NameInput {
    pub(super) fn parse(&self) -> CoreResult<Names> {
        match self {
            Self::Full(full) => Names::from_full(full),
            Self::Parts { first, last } => Names::from_parts(first, last),
            Self::Whole { full, first, last } => Names::from_whole(full, first, last),
        }
    }
}

/// A user as a dialect asks for it to be created. Its `Debug` shows no password or memorable
/// word.
#[derive(Clone)]
pub struct NewUser {
    pub username: Option<String>,
    pub email: String,
    pub name: NameInput,
    pub password: Option<String>,
    pub memorable_word: Option<String>,
    pub status: Status,
    pub role_number: Option<i32>,
    pub perms: Vec<String>,
    pub website_role: Option<String>,
    pub default_account_id: Option<i64>,
    pub external_id: Option<String>,
    pub profile: Profile,
    pub license_types: Vec<String>,
    pub branch_ids: Vec<String>,
    pub groups: Vec<Uuid>,
    pub folders: Vec<Uuid>,
    pub devices: Vec<Device>,
    pub password_expired: bool,
}

impl NewUser {
    /// An active user with nothing but the shared essentials; dialects fill in the rest.
    pub fn new(email: impl Into<String>, name: NameInput) -> Self {
        Self {
            username: None,
            email: email.into(),
            name,
            password: None,
            memorable_word: None,
            status: Status::Active,
            role_number: None,
            perms: Vec::new(),
            website_role: None,
            default_account_id: None,
            external_id: None,
            profile: Profile::default(),
            license_types: Vec::new(),
            branch_ids: Vec::new(),
            groups: Vec::new(),
            folders: Vec::new(),
            devices: Vec::new(),
            password_expired: false,
        }
    }
}

impl fmt::Debug for NewUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
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
        } = self;
        f.debug_struct("NewUser")
            .field("username", username)
            .field("email", email)
            .field("name", name)
            .field("password", &password.as_ref().map(|_| REDACTED))
            .field("memorable_word", &memorable_word.as_ref().map(|_| REDACTED))
            .field("status", status)
            .field("role_number", role_number)
            .field("perms", perms)
            .field("website_role", website_role)
            .field("default_account_id", default_account_id)
            .field("external_id", external_id)
            .field("profile", profile)
            .field("license_types", license_types)
            .field("branch_ids", branch_ids)
            .field("groups", groups)
            .field("folders", folders)
            .field("devices", devices)
            .field("password_expired", password_expired)
            .finish()
    }
}

/// A partial update: `None` leaves a field as it is. Nullable fields take `Some(None)` to clear.
/// Its `Debug` shows no password or memorable word.
#[derive(Clone, Default)]
pub struct UserPatch {
    pub username: Option<String>,
    pub email: Option<String>,
    pub name: Option<NameInput>,
    pub password: Option<String>,
    pub memorable_word: Option<String>,
    pub status: Option<Status>,
    pub role_number: Option<i32>,
    pub perms: Option<Vec<String>>,
    pub website_role: Option<Option<String>>,
    pub default_account_id: Option<Option<i64>>,
    pub external_id: Option<Option<String>>,
    pub profile: Option<Profile>,
    pub license_types: Option<Vec<String>>,
    pub branch_ids: Option<Vec<String>>,
    pub groups: Option<Vec<Uuid>>,
    pub folders: Option<Vec<Uuid>>,
    pub devices: Option<Vec<Device>>,
    pub password_expired: Option<bool>,
}

impl fmt::Debug for UserPatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
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
        } = self;
        f.debug_struct("UserPatch")
            .field("username", username)
            .field("email", email)
            .field("name", name)
            .field("password", &password.as_ref().map(|_| REDACTED))
            .field("memorable_word", &memorable_word.as_ref().map(|_| REDACTED))
            .field("status", status)
            .field("role_number", role_number)
            .field("perms", perms)
            .field("website_role", website_role)
            .field("default_account_id", default_account_id)
            .field("external_id", external_id)
            .field("profile", profile)
            .field("license_types", license_types)
            .field("branch_ids", branch_ids)
            .field("groups", groups)
            .field("folders", folders)
            .field("devices", devices)
            .field("password_expired", password_expired)
            .finish()
    }
}

/// What a new user is given besides its row: an activation ticket, a message through the
/// outbox, both or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Onboarding {
    /// No ticket, no message.
    Plain,
    /// A pending user gets an activation ticket, and with `email` the activation email; a user
    /// of any other status gets neither.
    Activation { email: bool },
    /// The welcome email, no ticket.
    Welcome,
    /// v2 `ResetPassword`: the password is expired, and a ticket is stored whatever the user's
    /// status, with the activation email when `email`.
    Reset { email: bool },
}

#[derive(Debug, Clone)]
pub struct CreateUserRequest {
    pub user: NewUser,
    pub onboarding: Onboarding,
}

/// Many users in one transaction, all or nothing (keaz CSV import).
#[derive(Debug, Clone)]
pub struct CreateUsersRequest {
    pub users: Vec<NewUser>,
    pub onboarding: Onboarding,
}

#[derive(Debug, Clone)]
pub struct UpdateUserRequest {
    pub id: UserId,
    pub patch: UserPatch,
    /// With a version, a stale one is refused; without, the change is applied to whatever is
    /// current (retrying a lost race).
    pub expected_version: Option<i64>,
}

/// A session or temporary token for a user who has just proved who they are.
#[derive(Debug, Clone)]
pub struct StartSessionRequest<'a> {
    pub user: &'a User,
    pub dialect: &'a str,
    pub kind: SessionKind,
    /// Dialect-owned state, e.g. the memorable-word positions asked for.
    pub data: Option<String>,
}

/// A ticket redeemed through `dialect`, with the password to set when one is sent.
#[derive(Clone)]
pub struct ActivateRequest<'a> {
    pub dialect: &'a str,
    pub ticket: &'a str,
    pub password: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CreateCredentialRequest<'a> {
    pub tenant: crate::ids::TenantId,
    pub dialect: &'a str,
    pub name: Option<&'a str>,
}

/// A new activation ticket for a user whose password was just reset.
#[derive(Debug, Clone, Copy)]
pub struct ResetTicketRequest {
    pub user: UserId,
    pub send_email: bool,
}

/// `data` (JSON text, checked by the dialect) to store under `tag` for `user`.
#[derive(Debug, Clone)]
pub struct PutAssetRequest<'a> {
    pub user: UserId,
    pub tag: &'a str,
    pub data: &'a str,
}

#[derive(Debug, Clone)]
pub struct AddBookingRequest {
    pub user: UserId,
    pub asset: String,
    pub start: Timestamp,
    pub end: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_secret() {
        let mut new = NewUser::new("jo@example.com", NameInput::Full("Jo".into()));
        new.password = Some("hunter22".into());
        new.memorable_word = Some("aardvark".into());
        let patch = UserPatch {
            password: Some("hunter22".into()),
            memorable_word: Some("aardvark".into()),
            ..UserPatch::default()
        };
        let shown = format!("{new:?} {patch:?}");
        assert!(
            shown.contains("jo@example.com") && shown.contains("<redacted>"),
            "{shown}"
        );
        assert!(
            !shown.contains("hunter22") && !shown.contains("aardvark"),
            "{shown}"
        );
    }
}
