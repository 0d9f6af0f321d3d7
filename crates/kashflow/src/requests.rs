//! What requests carry, read from a body's [`Members`] with the member names the KashFlow
//! documents use.

use crate::body::Members;
use crate::errors::KfError;

/// The members of a user a client may write (POST and PUT). Read-only members (RoleName,
/// NoOfLogins, LastLogin) are ignored, so a client may send back what it read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserBody {
    pub number: Option<i64>,
    pub full_name: Option<String>,
    pub role_number: Option<i64>,
    pub username: Option<String>,
    pub email: Option<String>,
    pub password: Option<String>,
    pub memorable_word: Option<String>,
    pub user_account_disabled: Option<bool>,
}

impl UserBody {
    pub fn read(m: &Members) -> Result<Self, KfError> {
        Ok(Self {
            number: m.int("Number")?,
            full_name: m.text("FullName")?,
            role_number: m.int("RoleNumber")?,
            username: m.text("Username")?,
            email: m.text("Email")?,
            password: m.text("Password")?,
            memorable_word: m.text("MemorableWord")?,
            user_account_disabled: m.boolean("UserAccountDisabled")?,
        })
    }
}

/// POST /sessiontoken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginBody {
    pub user_name: String,
    pub password: String,
}

impl LoginBody {
    pub fn read(m: &Members) -> Result<Self, KfError> {
        let user_name = m
            .text("UserName")?
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| KfError::required("UserName"))?;
        let password = m
            .text("Password")?
            .filter(|s| !s.is_empty())
            .ok_or_else(|| KfError::required("Password"))?;
        Ok(Self {
            user_name,
            password,
        })
    }
}

/// One memorable-word character given in step 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Character {
    pub position: i64,
    pub value: String,
}

/// PUT /sessiontoken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompleteBody {
    pub temporary_token: String,
    pub memorable_word_list: Vec<Character>,
}

impl CompleteBody {
    pub fn read(m: &Members) -> Result<Self, KfError> {
        let temporary_token = m
            .text("TemporaryToken")?
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| KfError::required("TemporaryToken"))?;
        let memorable_word_list = m
            .list("MemorableWordList")?
            .iter()
            .map(|item| {
                Ok(Character {
                    position: item
                        .int("Position")?
                        .ok_or_else(|| KfError::required("Position"))?,
                    value: item.text("Value")?.unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<_>, KfError>>()?;
        Ok(Self {
            temporary_token,
            memorable_word_list,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde_json::Value;

    use super::*;

    fn members(v: Value) -> Members {
        match v {
            Value::Object(m) => Members::new(m),
            _ => panic!("object"),
        }
    }

    #[test]
    fn members_match_in_any_case_and_name_bad_types() {
        let m = members(serde_json::json!({"username": "a", "password": "b"}));
        let login = LoginBody::read(&m).unwrap();
        assert_eq!(login.user_name, "a");
        let m = members(serde_json::json!({"RoleNumber": "x"}));
        let e = UserBody::read(&m).unwrap_err();
        assert_eq!(e.message, "RoleNumber must be a whole number.");
        let m = members(serde_json::json!({"Email": "a", "EMAIL": "b"}));
        assert!(UserBody::read(&m).is_err());
    }
}
