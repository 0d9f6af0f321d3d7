//! Wire <-> core. Every struct is destructured without `..`, so a field added on either side
//! shows up here as a compile error instead of being silently dropped.

use rosetta_core::{NameInput, NewUser, Role, Status, Timestamp, User, UserPatch};

use crate::errors::KfError;
use crate::requests::UserBody;
use crate::wire;

/// `"Never"`, or the UTC time to the second as the KashFlow document shows it.
pub fn last_login(at: Option<Timestamp>) -> String {
    match at {
        Some(t) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
        None => "Never".into(),
    }
}

/// A canonical user as KashFlow shows it. `logins` is the user's unexpired sessions.
pub fn to_wire(user: &User, roles: &[Role], logins: i64) -> wire::User {
    let User {
        id,
        uuid: _,
        tenant_id: _,
        username,
        email,
        names,
        status,
        role_number,
        perms: _,
        website_role: _,
        default_account_id: _,
        external_id: _,
        profile: _,
        license_types: _,
        branch_ids: _,
        groups: _,
        folders: _,
        devices: _,
        last_login_at,
        password_expired: _,
        has_password: _,
        has_memorable_word: _,
        created_at: _,
        updated_at: _,
        version: _,
    } = user;
    wire::User {
        email: email.as_str().to_owned(),
        full_name: names.full.clone(),
        user_account_disabled: *status != Status::Active,
        last_login: last_login(*last_login_at),
        no_of_logins: logins,
        role_number: *role_number,
        role_name: roles
            .iter()
            .find(|r| r.number == *role_number)
            .map(|r| r.name.clone())
            .unwrap_or_default(),
        number: id.0,
        username: username.as_str().to_owned(),
    }
}

/// A mandatory text member: absent, null and blank all count as missing.
fn required(value: Option<String>, member: &str) -> Result<String, KfError> {
    value
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| KfError::required(member))
}

fn role(value: Option<i64>) -> Result<i32, KfError> {
    let n = value.ok_or_else(|| KfError::required("RoleNumber"))?;
    i32::try_from(n)
        .map_err(|_| KfError::validation(format!("RoleNumber {n} is not a role of this tenant.")))
}

/// An optional secret on PUT: absent, null and empty all leave the stored one alone (a client
/// that read the user back has no password to send).
fn optional_secret(value: Option<String>) -> Option<String> {
    value.filter(|s| !s.is_empty())
}

/// POST: FullName, RoleNumber, Email, Username, Password and MemorableWord are mandatory, and
/// a missing one is named in that order. `Number` is assigned by the server and ignored.
pub fn new_user(body: UserBody) -> Result<NewUser, KfError> {
    let UserBody {
        number: _,
        full_name,
        role_number,
        username,
        email,
        password,
        memorable_word,
        user_account_disabled,
    } = body;
    let full_name = required(full_name, "FullName")?;
    let role_number = role(role_number)?;
    let email = required(email, "Email")?;
    let username = required(username, "Username")?;
    let password = password
        .filter(|s| !s.is_empty())
        .ok_or_else(|| KfError::required("Password"))?;
    let memorable_word = memorable_word
        .filter(|s| !s.is_empty())
        .ok_or_else(|| KfError::required("MemorableWord"))?;
    let mut new = NewUser::new(email, NameInput::Full(full_name));
    new.username = Some(username);
    new.password = Some(password);
    new.memorable_word = Some(memorable_word);
    new.role_number = Some(role_number);
    new.status = if user_account_disabled == Some(true) {
        Status::Inactive
    } else {
        Status::Active
    };
    Ok(new)
}

/// PUT: FullName, RoleNumber, Email, Username and Number are mandatory and Number must be the
/// path's; Password, MemorableWord and UserAccountDisabled change only when given.
pub fn patch(body: UserBody, path_number: i64) -> Result<UserPatch, KfError> {
    let UserBody {
        number,
        full_name,
        role_number,
        username,
        email,
        password,
        memorable_word,
        user_account_disabled,
    } = body;
    let full_name = required(full_name, "FullName")?;
    let role_number = role(role_number)?;
    let email = required(email, "Email")?;
    let username = required(username, "Username")?;
    let number = number.ok_or_else(|| KfError::required("Number"))?;
    if number != path_number {
        return Err(KfError::validation(format!(
            "Number {number} does not match the user number {path_number} in the URL."
        )));
    }
    Ok(UserPatch {
        username: Some(username),
        email: Some(email),
        name: Some(NameInput::Full(full_name)),
        password: optional_secret(password),
        memorable_word: optional_secret(memorable_word),
        status: user_account_disabled.map(|disabled| {
            if disabled {
                Status::Inactive
            } else {
                Status::Active
            }
        }),
        role_number: Some(role_number),
        ..UserPatch::default()
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn seed_post() -> UserBody {
        UserBody {
            number: None,
            full_name: Some("John Smith".into()),
            role_number: Some(2),
            username: Some("jsmith".into()),
            email: Some("jsmith@example.com".into()),
            password: Some("letmein".into()),
            memorable_word: Some("aaaaa".into()),
            user_account_disabled: None,
        }
    }

    #[test]
    fn post_names_the_first_missing_member() {
        assert!(new_user(seed_post()).is_ok());
        let mut b = seed_post();
        b.full_name = Some("  ".into());
        assert_eq!(new_user(b).unwrap_err().message, "FullName is required.");
        let mut b = seed_post();
        b.memorable_word = None;
        assert_eq!(
            new_user(b).unwrap_err().message,
            "MemorableWord is required."
        );
    }

    #[test]
    fn put_checks_the_number_and_leaves_secrets_alone() {
        let mut b = seed_post();
        b.number = Some(3);
        b.password = Some(String::new());
        b.memorable_word = None;
        let p = patch(b.clone(), 3).unwrap();
        assert!(p.password.is_none() && p.memorable_word.is_none() && p.status.is_none());
        assert!(patch(b.clone(), 4).is_err());
        b.number = None;
        assert_eq!(patch(b, 3).unwrap_err().message, "Number is required.");
    }

    #[test]
    fn last_login_format() {
        assert_eq!(last_login(None), "Never");
        let t = chrono::DateTime::parse_from_rfc3339("2024-05-06T07:08:09.123Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(last_login(Some(t)), "2024-05-06T07:08:09");
    }
}
