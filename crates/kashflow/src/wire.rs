//! The answers, with member names exactly as the KashFlow documents spell them: in the seed's
//! member order (JSON) and as same-named elements (XML). Requests are in `requests.rs`.

use rosetta_dialect::xml::Writer;
use serde::Serialize;
use utoipa::ToSchema;

/// Written as XML: the root element and its children.
pub trait ToXml {
    fn write_xml(&self, out: &mut Writer);
}

/// A user as GET returns it. Never a password or memorable word: there is no field for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
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
    fn write_members(&self, out: &mut Writer) {
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
        out.element("Email", email);
        out.element("FullName", full_name);
        out.element(
            "UserAccountDisabled",
            if *user_account_disabled {
                "true"
            } else {
                "false"
            },
        );
        out.element("LastLogin", last_login);
        out.element("NoOfLogins", &no_of_logins.to_string());
        out.element("RoleNumber", &role_number.to_string());
        out.element("RoleName", role_name);
        out.element("Number", &number.to_string());
        out.element("Username", username);
    }
}

impl ToXml for User {
    fn write_xml(&self, out: &mut Writer) {
        out.start("User");
        self.write_members(out);
        out.end("User");
    }
}

/// GET /users: a JSON array, or `<ArrayOfUser>` in XML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(transparent)]
pub struct UserList(pub Vec<User>);

impl ToXml for UserList {
    fn write_xml(&self, out: &mut Writer) {
        out.start("ArrayOfUser");
        for user in &self.0 {
            user.write_xml(out);
        }
        out.end("ArrayOfUser");
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ErrorBody {
    pub error: &'static str,
    pub message: String,
}

impl ToXml for ErrorBody {
    fn write_xml(&self, out: &mut Writer) {
        out.start("ErrorResponse");
        out.element("Error", self.error);
        out.element("Message", &self.message);
        out.end("ErrorResponse");
    }
}

/// One memorable-word character asked for, counted from 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct Position {
    pub position: usize,
}

/// Step 1 of the login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct TemporaryTokenResponse {
    pub temporary_token: String,
    pub memorable_word_list: Vec<Position>,
    pub is_admin: bool,
}

impl ToXml for TemporaryTokenResponse {
    fn write_xml(&self, out: &mut Writer) {
        out.start("TemporaryTokenResponse");
        out.element("TemporaryToken", &self.temporary_token);
        out.start("MemorableWordList");
        for p in &self.memorable_word_list {
            out.start("MemorableWordCharacter");
            out.element("Position", &p.position.to_string());
            out.end("MemorableWordCharacter");
        }
        out.end("MemorableWordList");
        out.element("IsAdmin", if self.is_admin { "true" } else { "false" });
        out.end("TemporaryTokenResponse");
    }
}

/// Step 2 of the login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SessionTokenResponse {
    pub session_token: String,
}

impl ToXml for SessionTokenResponse {
    fn write_xml(&self, out: &mut Writer) {
        out.start("SessionTokenResponse");
        out.element("SessionToken", &self.session_token);
        out.end("SessionTokenResponse");
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use rosetta_dialect::xml::{Escape, DECLARATION};

    use super::*;

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
        let mut xml = Writer::new(Escape::All);
        u.write_xml(&mut xml);
        let xml = xml.finish();
        assert!(xml
            .strip_prefix(DECLARATION)
            .unwrap()
            .starts_with("<User><Email>a@b.c</Email><FullName>rediff</FullName>"));
    }
}
