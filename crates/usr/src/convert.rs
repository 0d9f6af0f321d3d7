//! usr JSON <-> the core's user. Every struct is destructured without `..`, so a field added
//! to either side fails to compile here until someone decides what usr does with it.

use rosetta_core::{Device, NameInput, Names, NewUser, Profile, Status, User, UserPatch};
use serde_json::Value;

use crate::errors::UsrError;
use crate::wire::{UserIn, UserOut};

/// A request body as read from the wire: empty means "no members", anything else must be a
/// JSON object.
pub fn parse_body(bytes: &[u8]) -> Result<UserIn, UsrError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(UserIn::default());
    }
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|_| UsrError::invalid(None, "The request body is not valid JSON."))?;
    if !value.is_object() {
        return Err(UsrError::invalid(
            None,
            "The request body must be a JSON object.",
        ));
    }
    serde_json::from_value(value)
        .map_err(|_| UsrError::invalid(None, "The request body is not a usr user."))
}

fn text(field: &'static str, value: Value) -> Result<String, UsrError> {
    match value {
        Value::String(s) => Ok(s),
        _ => Err(UsrError::invalid(
            Some(field),
            format!("{field} must be a string."),
        )),
    }
}

/// `0`/`1`, `"0"`/`"1"` or `true`/`false`: the document's own modify example sends a string.
fn active(value: Value) -> Result<bool, UsrError> {
    let parsed = match &value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_u64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        Value::String(s) => match s.trim() {
            "0" => Some(false),
            "1" => Some(true),
            _ => None,
        },
        _ => None,
    };
    parsed.ok_or_else(|| UsrError::invalid(Some("active"), "active must be 0 or 1."))
}

/// A whole number of 0 or more, written as a number or as a string of digits.
fn account_id(value: Value) -> Result<i64, UsrError> {
    let parsed = match &value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => {
            let s = s.trim();
            if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse::<i64>().ok()
            } else {
                None
            }
        }
        _ => None,
    };
    parsed.filter(|n| *n >= 0).ok_or_else(|| {
        UsrError::invalid(
            Some("defaultAccountId"),
            "defaultAccountId must be a whole number of 0 or more.",
        )
    })
}

fn required(field: &'static str, value: Option<Value>) -> Result<Value, UsrError> {
    value.ok_or_else(|| UsrError::invalid(Some(field), format!("{field} is required.")))
}

/// addUser: the five required members, checked in the document's order, then `active`.
pub fn new_user(body: UserIn) -> Result<NewUser, UsrError> {
    let UserIn {
        contact_name,
        email_address,
        default_account_id,
        username,
        password,
        active: active_in,
    } = body;
    let contact_name = text("contactName", required("contactName", contact_name)?)?;
    let email = text("emailAddress", required("emailAddress", email_address)?)?;
    let default_account_id = account_id(required("defaultAccountId", default_account_id)?)?;
    let username = text("username", required("username", username)?)?;
    let password = text("password", required("password", password)?)?;
    let status = match active_in {
        None => Status::Active,
        Some(v) => {
            if active(v)? {
                Status::Active
            } else {
                Status::Inactive
            }
        }
    };
    Ok(NewUser {
        username: Some(username),
        email,
        name: NameInput::Full(contact_name),
        password: Some(password),
        memorable_word: None,
        status,
        role_number: None,
        perms: Vec::new(),
        website_role: None,
        default_account_id: Some(default_account_id),
        external_id: None,
        profile: Profile::default(),
        license_types: Vec::new(),
        branch_ids: Vec::new(),
        groups: Vec::new(),
        folders: Vec::new(),
        devices: Vec::<Device>::new(),
        password_expired: false,
    })
}

/// modifyUser: only what was sent (and not null) changes. `active: 0` leaves a pending user
/// pending: usr cannot tell pending from inactive (both read 0), so echoing back a user as
/// read must not throw away its pending activation.
pub fn patch(body: UserIn, current: Status) -> Result<UserPatch, UsrError> {
    let UserIn {
        contact_name,
        email_address,
        default_account_id,
        username,
        password,
        active: active_in,
    } = body;
    let name = contact_name
        .map(|v| text("contactName", v).map(NameInput::Full))
        .transpose()?;
    let email = email_address.map(|v| text("emailAddress", v)).transpose()?;
    let default_account_id = default_account_id.map(account_id).transpose()?;
    let username = username.map(|v| text("username", v)).transpose()?;
    let password = password.map(|v| text("password", v)).transpose()?;
    let status = match active_in.map(active).transpose()? {
        None => None,
        Some(true) => Some(Status::Active),
        Some(false) if current == Status::Pending => None,
        Some(false) => Some(Status::Inactive),
    };
    Ok(UserPatch {
        username,
        email,
        name,
        password,
        memorable_word: None,
        status,
        role_number: None,
        perms: None,
        website_role: None,
        default_account_id: default_account_id.map(Some),
        external_id: None,
        profile: None,
        license_types: None,
        branch_ids: None,
        groups: None,
        folders: None,
        devices: None,
        password_expired: None,
    })
}

/// The usr view of a user. Everything usr does not show is named and dropped on purpose.
pub fn user_out(user: &User) -> UserOut {
    let User {
        id,
        uuid: _,
        tenant_id: _,
        username,
        email,
        names,
        status,
        role_number: _,
        perms: _,
        website_role: _,
        default_account_id,
        external_id: _,
        profile: _,
        license_types: _,
        branch_ids: _,
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
    let Names {
        full,
        first: _,
        last: _,
    } = names;
    UserOut {
        id: id.0,
        contact_name: full.clone(),
        email_address: email.as_str().to_owned(),
        default_account_id: *default_account_id,
        username: username.as_str().to_owned(),
        active: u8::from(*status == Status::Active),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use rosetta_dialect::path::{number, NumberRule};
    use serde_json::json;

    fn body(v: Value) -> UserIn {
        parse_body(v.to_string().as_bytes()).unwrap()
    }

    #[test]
    fn active_accepts_the_documented_spellings() {
        for (v, want) in [
            (json!(0), false),
            (json!(1), true),
            (json!("0"), false),
            (json!("1"), true),
            (json!(true), true),
            (json!(false), false),
        ] {
            assert_eq!(active(v).unwrap(), want);
        }
        for v in [json!(2), json!("yes"), json!(-1), json!(1.5), json!([1])] {
            assert_eq!(active(v).unwrap_err().field, Some("active"));
        }
    }

    #[test]
    fn account_ids_as_number_or_string() {
        assert_eq!(account_id(json!(7)).unwrap(), 7);
        assert_eq!(account_id(json!(" 7 ")).unwrap(), 7);
        for v in [json!(-1), json!("x"), json!(""), json!(1.5), json!(true)] {
            assert_eq!(account_id(v).unwrap_err().field, Some("defaultAccountId"));
        }
    }

    #[test]
    fn add_requires_each_member_in_order() {
        let full = json!({"contactName":"John Doe","emailAddress":"j@example.com",
            "defaultAccountId":1,"username":"test","password":"test"});
        assert!(new_user(body(full.clone())).is_ok());
        for member in [
            "contactName",
            "emailAddress",
            "defaultAccountId",
            "username",
            "password",
        ] {
            let mut v = full.clone();
            v.as_object_mut().unwrap().remove(member);
            assert_eq!(new_user(body(v)).unwrap_err().field, Some(member));
            let mut v = full.clone();
            v[member] = Value::Null;
            assert_eq!(new_user(body(v)).unwrap_err().field, Some(member));
        }
    }

    #[test]
    fn modify_keeps_pending_on_zero() {
        let p = patch(body(json!({"active":"0"})), Status::Pending).unwrap();
        assert_eq!(p.status, None);
        let p = patch(body(json!({"active":"0"})), Status::Active).unwrap();
        assert_eq!(p.status, Some(Status::Inactive));
        let p = patch(body(json!({"active":null,"username":null})), Status::Active).unwrap();
        assert!(p.status.is_none() && p.username.is_none());
    }

    #[test]
    fn bodies_must_be_objects() {
        assert!(parse_body(b"").is_ok());
        assert!(parse_body(b"  \n").is_ok());
        assert!(parse_body(b"[1]").is_err());
        assert!(parse_body(b"{").is_err());
        let path_number = |raw: &str| number(raw, NumberRule::Digits);
        assert_eq!(path_number("12"), Some(12));
        assert_eq!(path_number("+12"), None);
        assert_eq!(path_number("abc"), None);
        assert_eq!(path_number("99999999999999999999"), None);
    }
}
