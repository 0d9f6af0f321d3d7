//! What requests carry, read from a body's members ([`Val`]s) in any order and letter case,
//! null meaning absent, with the member names the spec uses.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use uuid::Uuid;

use crate::body::Val;
use crate::boolean::parse_bool;
use crate::errors::V2Error;
use crate::wire::{DeviceInput, SearchInput, UserInput};

/// Members looked up by name in any letter case; a member given twice is refused, so a body
/// cannot say two things at once.
struct Members(rosetta_dialect::Members<Val>);

fn repeated(name: &str) -> V2Error {
    V2Error::field(
        name,
        "InvalidValue",
        format!("{name} is given more than once"),
    )
}

impl Members {
    /// Refuses the whole body if any member is given twice, whichever members are read.
    fn new(members: Vec<(String, Val)>) -> Result<Self, V2Error> {
        let members = rosetta_dialect::Members::new(members);
        match members.first_repeated() {
            Some(name) => Err(repeated(name)),
            None => Ok(Self(members)),
        }
    }

    fn take(&mut self, name: &str) -> Result<Option<Val>, V2Error> {
        self.0.take(name).map_err(|_| repeated(name))
    }

    fn text(&mut self, name: &str) -> Result<Option<String>, V2Error> {
        match self.take(name)? {
            None | Some(Val::Null) => Ok(None),
            Some(Val::Text(t)) => Ok(Some(t)),
            Some(Val::Obj(_)) => Err(V2Error::field(
                name,
                "InvalidValue",
                format!("{name} must be a single value"),
            )),
        }
    }

    fn boolean(&mut self, name: &str) -> Result<Option<bool>, V2Error> {
        match self.text(name)? {
            None => Ok(None),
            Some(t) => parse_bool(&t).map(Some).ok_or_else(|| {
                V2Error::field(
                    name,
                    "InvalidValue",
                    format!("{name} must be true or false"),
                )
            }),
        }
    }

    /// A list: JSON array, or XML element with one child per item. An empty element is an
    /// empty list.
    fn list(&mut self, name: &str) -> Result<Option<Vec<Val>>, V2Error> {
        match self.take(name)? {
            None | Some(Val::Null) => Ok(None),
            Some(Val::Text(t)) if t.trim().is_empty() => Ok(Some(Vec::new())),
            Some(Val::Text(_)) => Err(V2Error::field(
                name,
                "InvalidValue",
                format!("{name} must be a list"),
            )),
            Some(Val::Obj(items)) => Ok(Some(items.into_iter().map(|(_, v)| v).collect())),
        }
    }

    fn guids(&mut self, name: &str) -> Result<Option<Vec<Uuid>>, V2Error> {
        let Some(items) = self.list(name)? else {
            return Ok(None);
        };
        items
            .into_iter()
            .map(|item| match item {
                Val::Text(t) => parse_guid(name, &t),
                _ => Err(V2Error::field(
                    name,
                    "InvalidValue",
                    format!("{name} must hold GUIDs"),
                )),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }
}

/// A GUID in any of the spellings .NET prints (`D`, `N`, `B`); answered lowercase `D`.
pub fn parse_guid(field: &str, raw: &str) -> Result<Uuid, V2Error> {
    Uuid::parse_str(raw.trim()).map_err(|_| {
        V2Error::field(
            field,
            "InvalidValue",
            format!("{field} is not a valid GUID"),
        )
    })
}

/// ISO 8601 (with an offset, or none meaning UTC), or the WCF `/Date(ms)/` form that
/// ServiceStack's JSON serializer writes by default.
pub fn parse_date(field: &str, raw: &str) -> Result<DateTime<Utc>, V2Error> {
    let raw = raw.trim();
    let bad = || {
        V2Error::field(
            field,
            "InvalidValue",
            format!("{field} is not a valid date (ISO 8601, e.g. 2026-11-23T10:15:00Z)"),
        )
    };
    if let Some(inner) = raw
        .strip_prefix("/Date(")
        .and_then(|r| r.strip_suffix(")/"))
    {
        // `/Date(1700000000000+0000)/`: the offset only says how it was displayed.
        let digits_end = inner
            .char_indices()
            .skip(1)
            .find(|(_, c)| *c == '+' || *c == '-')
            .map_or(inner.len(), |(i, _)| i);
        let ms: i64 = inner[..digits_end].parse().map_err(|_| bad())?;
        return Utc.timestamp_millis_opt(ms).single().ok_or_else(bad);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(raw, fmt) {
            return Ok(t.and_utc());
        }
    }
    Err(bad())
}

/// .NET's `DateTime.MinValue` (`0001-01-01T00:00:00`, what a client serializes for a date it
/// never set, and what XML answers write for an unknown one) means no date.
fn unknown_as_none(t: DateTime<Utc>) -> Option<DateTime<Utc>> {
    use chrono::Datelike;
    (t.year() > 1).then_some(t)
}

/// Reads a `User` body. Unknown members are ignored, as DataContract and ServiceStack ignore
/// them; so are the read-only ones (`Id`, `CreatedDate`, ...), which lets a client post back
/// what it read.
pub fn user_input(members: Vec<(String, Val)>) -> Result<UserInput, V2Error> {
    let mut m = Members::new(members)?;
    let devices = match m.list("UserDevices")? {
        None => None,
        Some(items) => Some(
            items
                .into_iter()
                .map(device_input)
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    Ok(UserInput {
        company_id: m.text("CompanyId")?,
        external_id: m.text("ExternalId")?,
        first_name: m.text("FirstName")?,
        last_name: m.text("LastName")?,
        email: m.text("Email")?,
        status: m.text("Status")?,
        folders: m.guids("Folders")?,
        groups: m.guids("Groups")?,
        website_role: m.text("WebsiteRole")?,
        user_devices: devices,
        password: m.text("Password")?,
        do_not_email: m.boolean("DoNotEmail")?,
        reset_password: m.boolean("ResetPassword")?,
        integration_key: m.text("IntegrationKey")?,
    })
}

fn device_input(item: Val) -> Result<DeviceInput, V2Error> {
    let Val::Obj(members) = item else {
        return Err(V2Error::field(
            "UserDevices",
            "InvalidValue",
            "each UserDevice must be an object",
        ));
    };
    let mut m = Members::new(members)?;
    let id = m
        .text("Id")?
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| V2Error::field("UserDevices", "NotEmpty", "each UserDevice needs an Id"))?;
    let last_used = match m.text("LastUsed")? {
        Some(t) if !t.trim().is_empty() => unknown_as_none(parse_date("LastUsed", &t)?),
        _ => None,
    };
    Ok(DeviceInput {
        id,
        name: m.text("Name")?,
        os: m.text("OS")?,
        app_version: m.text("AppVersion")?,
        last_used,
    })
}

/// Reads a search body (POST `/user/search`): the same members as the query string.
pub fn search_input(members: Vec<(String, Val)>) -> Result<SearchInput, V2Error> {
    let mut m = Members::new(members)?;
    Ok(SearchInput {
        name: m.text("Name")?,
        email: m.text("Email")?,
        external_id: m.text("ExternalId")?,
        status: m.text("Status")?,
        page_no: m.text("PageNo")?,
        page_size: m.text("PageSize")?,
        include_deleted_user_audits: m.text("IncludeDeletedUserAudits")?,
        company_id: m.text("CompanyId")?,
        integration_key: m.text("IntegrationKey")?,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::body::{parse, BodyFormat};

    #[test]
    fn json_members_in_any_case() {
        let members = parse(
            br#"{"firstname":"Jo","LASTNAME":"B","Email":"jo@example.com","Folders":["6F9619FF-8B86-D011-B42D-00C04FC964FF"],"DoNotEmail":true,"ExternalId":null}"#,
            BodyFormat::Json,
        )
        .unwrap();
        let u = user_input(members).unwrap();
        assert_eq!(u.first_name.as_deref(), Some("Jo"));
        assert_eq!(u.last_name.as_deref(), Some("B"));
        assert_eq!(u.do_not_email, Some(true));
        assert_eq!(u.external_id, None);
        assert_eq!(
            u.folders.unwrap()[0].to_string(),
            "6f9619ff-8b86-d011-b42d-00c04fc964ff"
        );
    }

    #[test]
    fn duplicate_members_are_refused() {
        let members = parse(
            b"<User><Email>a@b.co</Email><email>c@d.co</email></User>",
            BodyFormat::Xml,
        )
        .unwrap();
        assert!(user_input(members).is_err());
    }

    #[test]
    fn dates() {
        let t = parse_date("X", "2026-11-23T10:15:00Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-23T10:15:00+00:00");
        assert_eq!(parse_date("X", "2026-11-23T10:15:00").unwrap(), t);
        assert_eq!(parse_date("X", "/Date(1795428900000)/").unwrap(), t);
        assert_eq!(parse_date("X", "/Date(1795428900000+0100)/").unwrap(), t);
        assert!(parse_date("X", "yesterday").is_err());
        let min = parse_date("X", "0001-01-01T00:00:00").unwrap();
        assert_eq!(unknown_as_none(min), None);
        assert_eq!(unknown_as_none(t), Some(t));
    }
}
