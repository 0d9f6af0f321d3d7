//! The keaz wire format, members spelled exactly as the keaz User API document spells them
//! (note the mix of `_` and `-`).

use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::errors::KeazError;

/// The keaz "USER HASH".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct UserHash {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub status: &'static str,
    pub employee_id: Option<String>,
    pub contact_number: Option<String>,
    pub license_number: Option<String>,
    pub license_expiry_month: Option<String>,
    pub license_expiry_year: Option<String>,
    pub license_type: Option<String>,
    pub license_country: Option<String>,
    #[serde(rename = "cost-centre_id")]
    pub cost_centre_id: Option<String>,
    #[serde(rename = "activated-via-company-id")]
    pub activated_via_company_id: Option<String>,
    pub company_id: i64,
    pub perms: Vec<String>,
    #[serde(rename = "license-types")]
    pub license_types: Vec<String>,
    pub branch_ids: Vec<String>,
}

pub const NAME: &str = "name";
pub const EMAIL: &str = "email";
pub const PASSWORD: &str = "password";
pub const STATUS: &str = "status";
pub const ID: &str = "id";
pub const COMPANY_ID: &str = "company_id";
pub const PERMS: &str = "perms";
pub const LICENSE_TYPES: &str = "license-types";
pub const BRANCH_IDS: &str = "branch_ids";

/// The free-text profile members, in the order the document lists them.
pub const PROFILE_FIELDS: [&str; 9] = [
    "employee_id",
    "contact_number",
    "license_number",
    "license_expiry_month",
    "license_expiry_year",
    "license_type",
    "license_country",
    "cost-centre_id",
    "activated-via-company-id",
];

/// Every member a client may send (CSV header names too). `id`, `status` and `company_id`
/// are accepted so that a hash read back can be written back.
pub const INPUT_FIELDS: [&str; 18] = [
    ID,
    NAME,
    EMAIL,
    STATUS,
    "employee_id",
    "contact_number",
    "license_number",
    "license_expiry_month",
    "license_expiry_year",
    "license_type",
    "license_country",
    "cost-centre_id",
    "activated-via-company-id",
    COMPANY_ID,
    PERMS,
    LICENSE_TYPES,
    BRANCH_IDS,
    PASSWORD,
];

/// A user hash as a client sent it. Outer `None`: the member was not sent; inner `None`: it
/// was sent as `null` (or an empty CSV cell).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserInput {
    pub name: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub password: Option<Option<String>>,
    pub status: Option<Option<String>>,
    pub company_id: Option<Option<String>>,
    /// In [`PROFILE_FIELDS`] order.
    pub profile: [Option<Option<String>>; 9],
    pub perms: Option<Vec<String>>,
    pub license_types: Option<Vec<String>>,
    pub branch_ids: Option<Vec<String>>,
}

/// A JSON scalar as keaz keeps it: strings as written, numbers as their text.
pub fn text(field: &str, value: &Value) -> Result<Option<String>, KeazError> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        Value::Number(n) => Ok(Some(n.to_string())),
        _ => Err(KeazError::invalid(field, "must be a string or a number")),
    }
}

/// A JSON list of names (strings or numbers); `null` is the empty list.
pub fn list(field: &str, value: &Value) -> Result<Vec<String>, KeazError> {
    match value {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .iter()
            .map(|v| match text(field, v)? {
                Some(s) => Ok(s),
                None => Err(KeazError::invalid(field, "must not contain null")),
            })
            .collect(),
        _ => Err(KeazError::invalid(field, "must be a list")),
    }
}

impl UserInput {
    /// From a JSON object. Members keaz does not know are ignored, as the legacy API did.
    pub fn from_json(map: &Map<String, Value>) -> Result<Self, KeazError> {
        let scalar = |f: &str| map.get(f).map(|v| text(f, v)).transpose();
        let names = |f: &str| map.get(f).map(|v| list(f, v)).transpose();
        let mut profile: [Option<Option<String>>; 9] = Default::default();
        for (slot, field) in profile.iter_mut().zip(PROFILE_FIELDS) {
            *slot = scalar(field)?;
        }
        Ok(Self {
            name: scalar(NAME)?,
            email: scalar(EMAIL)?,
            password: scalar(PASSWORD)?,
            status: scalar(STATUS)?,
            company_id: scalar(COMPANY_ID)?,
            profile,
            perms: names(PERMS)?,
            license_types: names(LICENSE_TYPES)?,
            branch_ids: names(BRANCH_IDS)?,
        })
    }

    /// From one CSV row: `cell(field)` is the cell under that header, if the column exists.
    /// Empty cells are absent values; list cells are `;`-separated.
    pub fn from_cells<'a>(cell: impl Fn(&str) -> Option<&'a str>) -> Self {
        let scalar = |f: &str| cell(f).map(|c| Some(c.to_owned()).filter(|c| !c.is_empty()));
        let names = |f: &str| {
            cell(f).map(|c| {
                c.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
        };
        let mut profile: [Option<Option<String>>; 9] = Default::default();
        for (slot, field) in profile.iter_mut().zip(PROFILE_FIELDS) {
            *slot = scalar(field);
        }
        Self {
            name: scalar(NAME),
            email: scalar(EMAIL),
            password: scalar(PASSWORD),
            status: scalar(STATUS),
            company_id: scalar(COMPANY_ID),
            profile,
            perms: names(PERMS),
            license_types: names(LICENSE_TYPES),
            branch_ids: names(BRANCH_IDS),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TokenHash {
    pub token: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TicketHash {
    pub ticket: &'static str,
}

/// A booking as keaz shows it; times in UTC, ISO 8601.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct BookingHash {
    pub id: i64,
    pub user_id: i64,
    pub asset: String,
    pub start: String,
    pub end: String,
}
