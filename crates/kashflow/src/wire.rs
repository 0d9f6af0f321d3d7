//! What travels on the wire, with member names exactly as the KashFlow documents spell them.
//! Responses serialise in the seed's member order (JSON) and as same-named elements (XML).
//! Requests are read from a JSON object (XML is turned into one first); member names are
//! matched in any letter case, as the .NET service behind the legacy API did.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::errors::KfError;
use crate::format::element;

/// Written as XML: the root element and its children.
pub trait ToXml {
    fn write_xml(&self, out: &mut String);
}

/// A user as GET returns it. Never a password or memorable word: there is no field for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct User {
    pub email: String,
    pub full_name: String,
    pub user_account_disabled: bool,
    pub last_login: String,
    pub no_of_logins: i64,
    pub role_number: i32,
    pub role_name: String,
    pub number: i64,
    pub username: String,
}

impl User {
    fn write_members(&self, out: &mut String) {
        let Self {
            email,
            full_name,
            user_account_disabled,
            last_login,
            no_of_logins,
            role_number,
            role_name,
            number,
            username,
        } = self;
        element(out, "Email", email);
        element(out, "FullName", full_name);
        element(
            out,
            "UserAccountDisabled",
            if *user_account_disabled {
                "true"
            } else {
                "false"
            },
        );
        element(out, "LastLogin", last_login);
        element(out, "NoOfLogins", &no_of_logins.to_string());
        element(out, "RoleNumber", &role_number.to_string());
        element(out, "RoleName", role_name);
        element(out, "Number", &number.to_string());
        element(out, "Username", username);
    }
}

impl ToXml for User {
    fn write_xml(&self, out: &mut String) {
        out.push_str("<User>");
        self.write_members(out);
        out.push_str("</User>");
    }
}

/// GET /users: a JSON array, or `<ArrayOfUser>` in XML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct UserList(pub Vec<User>);

impl ToXml for UserList {
    fn write_xml(&self, out: &mut String) {
        out.push_str("<ArrayOfUser>");
        for user in &self.0 {
            user.write_xml(out);
        }
        out.push_str("</ArrayOfUser>");
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ErrorBody {
    pub error: &'static str,
    pub message: String,
}

impl ToXml for ErrorBody {
    fn write_xml(&self, out: &mut String) {
        out.push_str("<ErrorResponse>");
        element(out, "Error", self.error);
        element(out, "Message", &self.message);
        out.push_str("</ErrorResponse>");
    }
}

/// One memorable-word character asked for, counted from 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Position {
    pub position: usize,
}

/// Step 1 of the login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TemporaryTokenResponse {
    pub temporary_token: String,
    pub memorable_word_list: Vec<Position>,
    pub is_admin: bool,
}

impl ToXml for TemporaryTokenResponse {
    fn write_xml(&self, out: &mut String) {
        out.push_str("<TemporaryTokenResponse>");
        element(out, "TemporaryToken", &self.temporary_token);
        out.push_str("<MemorableWordList>");
        for p in &self.memorable_word_list {
            out.push_str("<MemorableWordCharacter>");
            element(out, "Position", &p.position.to_string());
            out.push_str("</MemorableWordCharacter>");
        }
        out.push_str("</MemorableWordList>");
        element(out, "IsAdmin", if self.is_admin { "true" } else { "false" });
        out.push_str("</TemporaryTokenResponse>");
    }
}

/// Step 2 of the login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SessionTokenResponse {
    pub session_token: String,
}

impl ToXml for SessionTokenResponse {
    fn write_xml(&self, out: &mut String) {
        out.push_str("<SessionTokenResponse>");
        element(out, "SessionToken", &self.session_token);
        out.push_str("</SessionTokenResponse>");
    }
}

// ----- requests ---------------------------------------------------------------------------

/// A request object whose members are looked up in any letter case.
pub struct Members(Map<String, Value>);

impl Members {
    pub fn new(map: Map<String, Value>) -> Self {
        Self(map)
    }

    /// The member's value; `null` reads as absent. The same member twice in different cases
    /// is ambiguous and refused.
    fn get(&self, name: &'static str) -> Result<Option<&Value>, KfError> {
        let mut found = None;
        for (k, v) in &self.0 {
            if k.eq_ignore_ascii_case(name) {
                if found.is_some() {
                    return Err(KfError::validation(format!(
                        "{name} is given more than once."
                    )));
                }
                found = Some(v);
            }
        }
        Ok(found.filter(|v| !v.is_null()))
    }

    pub fn text(&self, name: &'static str) -> Result<Option<String>, KfError> {
        match self.get(name)? {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(KfError::validation(format!("{name} must be a string."))),
        }
    }

    /// A whole number; a numeric string is taken too (XML has nothing else).
    pub fn int(&self, name: &'static str) -> Result<Option<i64>, KfError> {
        let bad = || KfError::validation(format!("{name} must be a whole number."));
        match self.get(name)? {
            None => Ok(None),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(bad),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => s.trim().parse::<i64>().map(Some).map_err(|_| bad()),
            Some(_) => Err(bad()),
        }
    }

    pub fn boolean(&self, name: &'static str) -> Result<Option<bool>, KfError> {
        let bad = || KfError::validation(format!("{name} must be true or false."));
        match self.get(name)? {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "true" => Ok(Some(true)),
                "false" => Ok(Some(false)),
                _ => Err(bad()),
            },
            Some(_) => Err(bad()),
        }
    }

    pub fn list(&self, name: &'static str) -> Result<Vec<Members>, KfError> {
        match self.get(name)? {
            None => Ok(Vec::new()),
            // `<MemorableWordList/>` reads as an empty text.
            Some(Value::String(s)) if s.trim().is_empty() => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::Object(m) => Ok(Members(m.clone())),
                    _ => Err(KfError::validation(format!(
                        "Each item of {name} must be an object."
                    ))),
                })
                .collect(),
            Some(_) => Err(KfError::validation(format!("{name} must be a list."))),
        }
    }
}

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

    #[test]
    fn user_serialises_in_the_seed_order() {
        let u = User {
            email: "a@b.c".into(),
            full_name: "rediff".into(),
            user_account_disabled: false,
            last_login: "Never".into(),
            no_of_logins: 0,
            role_number: 6,
            role_name: "Full Access".into(),
            number: 1,
            username: "admin".into(),
        };
        assert_eq!(
            serde_json::to_string(&u).unwrap(),
            r#"{"Email":"a@b.c","FullName":"rediff","UserAccountDisabled":false,"LastLogin":"Never","NoOfLogins":0,"RoleNumber":6,"RoleName":"Full Access","Number":1,"Username":"admin"}"#
        );
        let mut xml = String::new();
        u.write_xml(&mut xml);
        assert!(xml.starts_with("<User><Email>a@b.c</Email><FullName>rediff</FullName>"));
    }
}
