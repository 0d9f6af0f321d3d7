//! The `csv` format: keaz's CSV import columns first (its header names, lists joined by `;`),
//! then every other canonical field as an extra column. RFC 4180: a header row, CRLF, fields
//! quoted when they hold a comma, quote or line break. Cells are written as they are, with no
//! spreadsheet-formula escaping: this is a data file for a directory to read back, and a `'`
//! put in front of `=`, `+`, `-` or `@` would change the data (docs/migration.md says how to
//! open one in a spreadsheet safely).

use std::collections::HashMap;

use rosetta_core::{Device, Profile, Status};
use uuid::Uuid;

use super::line::{UserLine, SHAPE};
use super::report::LineError;

/// keaz's import columns, in its document's order; `--keaz-columns` writes only these, which
/// keaz's `POST /import/users` takes as they are.
pub const KEAZ_COLUMNS: [&str; 15] = [
    "name",
    "email",
    "status",
    "employee_id",
    "contact_number",
    "license_number",
    "license_expiry_month",
    "license_expiry_year",
    "license_type",
    "license_country",
    "cost-centre_id",
    "activated-via-company-id",
    "perms",
    "license-types",
    "branch_ids",
];

/// Everything else the canonical user holds, after keaz's columns.
pub const EXTRA_COLUMNS: [&str; 21] = [
    "shape",
    "id",
    "uuid",
    "tenant_id",
    "username",
    "first_name",
    "last_name",
    "role_number",
    "website_role",
    "default_account_id",
    "external_id",
    "groups",
    "folders",
    "devices",
    "last_login_at",
    "password_expired",
    "has_password",
    "has_memorable_word",
    "created_at",
    "updated_at",
    "version",
];

pub const PASSWORD_HASH: &str = "password_hash";

/// The header of an export.
pub fn header(keaz_only: bool, with_hashes: bool) -> Vec<&'static str> {
    let mut h = KEAZ_COLUMNS.to_vec();
    if !keaz_only {
        h.extend(EXTRA_COLUMNS);
    }
    if with_hashes {
        h.push(PASSWORD_HASH);
    }
    h
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn joined<T: ToString>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(";")
}

fn time(t: &Option<rosetta_core::Timestamp>) -> String {
    t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// One user's cells, in [`header`]'s order.
pub fn record(line: &UserLine, keaz_only: bool, with_hashes: bool) -> Vec<String> {
    let UserLine {
        shape,
        id,
        uuid,
        tenant_id,
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
        last_login_at,
        password_expired,
        has_password,
        has_memorable_word,
        created_at,
        updated_at,
        version,
        password_hash,
    } = line;
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
    let mut cells = vec![
        opt(full_name),
        email.clone(),
        status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        opt(employee_id),
        opt(contact_number),
        opt(license_number),
        opt(license_expiry_month),
        opt(license_expiry_year),
        opt(license_type),
        opt(license_country),
        opt(cost_centre_id),
        opt(activated_via_company_id),
        joined(perms),
        joined(license_types),
        joined(branch_ids),
    ];
    if !keaz_only {
        cells.extend([
            shape.clone(),
            opt(id),
            opt(uuid),
            opt(tenant_id),
            opt(username),
            opt(first_name),
            opt(last_name),
            opt(role_number),
            opt(website_role),
            opt(default_account_id),
            opt(external_id),
            joined(groups),
            joined(folders),
            serde_json::to_string(devices).unwrap_or_default(),
            time(last_login_at),
            password_expired.to_string(),
            has_password.to_string(),
            has_memorable_word.to_string(),
            time(created_at),
            time(updated_at),
            opt(version),
        ]);
    }
    if with_hashes {
        cells.push(password_hash.clone().unwrap_or_default());
    }
    cells
}

/// The columns of a file's header, by name; every problem of the header as line 1's.
pub struct Columns(HashMap<String, usize>);

impl Columns {
    pub fn read(header: &csv::StringRecord) -> Result<Self, Vec<LineError>> {
        let mut errors = Vec::new();
        let mut map = HashMap::new();
        for (i, h) in header.iter().enumerate() {
            let h = h.trim();
            let known = KEAZ_COLUMNS.contains(&h) || EXTRA_COLUMNS.contains(&h);
            if !known && h != PASSWORD_HASH {
                errors.push(LineError::new(1, h, "is not a column of this format"));
            } else if map.insert(h.to_owned(), i).is_some() {
                errors.push(LineError::new(1, h, "appears twice in the header"));
            }
        }
        if !map.contains_key("email") {
            errors.push(LineError::new(1, "email", "the header has no such column"));
        }
        if !["name", "first_name", "last_name"]
            .iter()
            .any(|c| map.contains_key(*c))
        {
            errors.push(LineError::new(1, "name", "the header has no such column"));
        }
        if errors.is_empty() {
            Ok(Self(map))
        } else {
            Err(errors)
        }
    }

    /// A record as the canonical line it stands for; `line` is where it starts.
    pub fn line(&self, rec: &csv::StringRecord, line: u64) -> Result<UserLine, Vec<LineError>> {
        let mut errors = Vec::new();
        let cell = |c: &str| {
            self.0
                .get(c)
                .and_then(|i| rec.get(*i))
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let list = |c: &str| -> Vec<String> {
            cell(c)
                .map(|v| {
                    v.split(';')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut parsed = |c: &str, what: &str, f: &dyn Fn(&str) -> Option<()>| match cell(c) {
            Some(v) if f(&v).is_none() => errors.push(LineError::new(line, c, what)),
            _ => {}
        };
        parsed("status", "must be pending, active or inactive", &|v| {
            Status::parse(v).map(|_| ())
        });
        parsed("role_number", "must be a whole number", &|v| {
            v.parse::<i32>().ok().map(|_| ())
        });
        parsed("default_account_id", "must be a whole number", &|v| {
            v.parse::<i64>().ok().map(|_| ())
        });
        parsed("password_expired", "must be true or false", &|v| {
            v.parse::<bool>().ok().map(|_| ())
        });
        parsed("devices", "must be a JSON array of devices", &|v| {
            serde_json::from_str::<Vec<Device>>(v).ok().map(|_| ())
        });
        let uuids = |c: &str, errors: &mut Vec<LineError>| -> Vec<Uuid> {
            let mut out = Vec::new();
            for item in list(c) {
                match Uuid::parse_str(&item) {
                    Ok(u) => out.push(u),
                    Err(_) => errors.push(LineError::new(line, c, "must be uuids joined by ;")),
                }
            }
            out
        };
        let groups = uuids("groups", &mut errors);
        let folders = uuids("folders", &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let profile = Profile {
            employee_id: cell("employee_id"),
            contact_number: cell("contact_number"),
            license_number: cell("license_number"),
            license_expiry_month: cell("license_expiry_month"),
            license_expiry_year: cell("license_expiry_year"),
            license_type: cell("license_type"),
            license_country: cell("license_country"),
            cost_centre_id: cell("cost-centre_id"),
            activated_via_company_id: cell("activated-via-company-id"),
        };
        Ok(UserLine {
            shape: cell("shape").unwrap_or_else(|| SHAPE.to_owned()),
            id: None,
            uuid: None,
            tenant_id: None,
            username: cell("username"),
            email: cell("email").unwrap_or_default(),
            full_name: cell("name"),
            first_name: cell("first_name"),
            last_name: cell("last_name"),
            status: cell("status").and_then(|v| Status::parse(&v)),
            role_number: cell("role_number").and_then(|v| v.parse().ok()),
            perms: list("perms"),
            website_role: cell("website_role"),
            default_account_id: cell("default_account_id").and_then(|v| v.parse().ok()),
            external_id: cell("external_id"),
            profile,
            license_types: list("license-types"),
            branch_ids: list("branch_ids"),
            groups,
            folders,
            devices: cell("devices")
                .and_then(|v| serde_json::from_str(&v).ok())
                .unwrap_or_default(),
            last_login_at: None,
            password_expired: cell("password_expired")
                .and_then(|v| v.parse().ok())
                .unwrap_or(false),
            has_password: false,
            has_memorable_word: false,
            created_at: None,
            updated_at: None,
            version: None,
            password_hash: cell(PASSWORD_HASH),
        })
    }
}
