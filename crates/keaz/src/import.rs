//! `POST /import/users`: a CSV file of user hashes, checked whole before anything is written,
//! then written in one all-or-nothing transaction.

use std::collections::{HashMap, HashSet};

use actix_web::web::{Data, Payload};
use actix_web::HttpRequest;
use rosetta_core::{CreateUsersRequest, Directory, NewUser, Onboarding, TenantId, UserFilter};
use rosetta_dialect::body::media_type;
use rosetta_dialect::{Admin, JsonReply, Limits};

use crate::auth::KeazCaller;
use crate::convert::{self, user_hash};
use crate::errors::{KeazError, RowError};
use crate::request::body;
use crate::wire::{UserHash, UserInput, EMAIL, INPUT_FIELDS, NAME, PASSWORD};

#[cfg(feature = "fuzzing")]
pub mod fuzzing;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The header is row 1; the first user is row 2.
const FIRST_DATA_ROW: u64 = 2;

/// The parsed users with their row numbers, or every problem found.
pub struct Parsed {
    pub users: Vec<NewUser>,
    pub rows: Vec<u64>,
}

fn row_error(row: u64, field: &str, message: impl Into<String>) -> RowError {
    RowError {
        row,
        field: field.to_owned(),
        message: message.into(),
    }
}

/// Parses and checks the whole file. `taken` answers whether an email (lower case) already
/// belongs to the company.
pub fn parse(
    body: &[u8],
    tenant: TenantId,
    taken: impl Fn(&str) -> bool,
) -> Result<Parsed, Vec<RowError>> {
    let body = body.strip_prefix(BOM).unwrap_or(body);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(body);
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_owned()).collect(),
        Err(e) => return Err(vec![row_error(1, "header", csv_message(&e))]),
    };
    check_headers(&headers)?;

    let mut errors = Vec::new();
    let mut users = Vec::new();
    let mut rows = Vec::new();
    // Lower-cased email -> the first row that has it.
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let row = FIRST_DATA_ROW + i as u64;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(row_error(row, "row", csv_message(&e)));
                continue;
            }
        };
        if record.len() > headers.len() {
            errors.push(row_error(
                row,
                "row",
                format!(
                    "has {} fields but the header has {}",
                    record.len(),
                    headers.len()
                ),
            ));
            continue;
        }
        let cell = |field: &str| {
            headers
                .iter()
                .position(|h| h == field)
                .map(|i| record.get(i).unwrap_or(""))
        };
        let input = UserInput::from_cells(cell);
        let email_key = input
            .email
            .clone()
            .flatten()
            .map(|e| e.trim().to_lowercase());
        match convert::new_user(input, tenant) {
            Ok(user) => {
                users.push(user);
                rows.push(row);
            }
            Err(problems) => {
                for (field, message) in problems {
                    errors.push(row_error(row, &field, message));
                }
            }
        }
        if let Some(key) = email_key.filter(|k| !k.is_empty()) {
            if let Some(first) = seen.get(&key) {
                errors.push(row_error(
                    row,
                    EMAIL,
                    format!("duplicates the email of row {first}"),
                ));
            } else {
                if taken(&key) {
                    errors.push(row_error(row, EMAIL, "is already taken in this company"));
                }
                seen.insert(key, row);
            }
        }
    }
    if errors.is_empty() {
        Ok(Parsed { users, rows })
    } else {
        Err(errors)
    }
}

fn check_headers(headers: &[String]) -> Result<(), Vec<RowError>> {
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for h in headers {
        if h == PASSWORD {
            errors.push(row_error(
                1,
                h,
                "cannot be imported: users choose their password when they activate",
            ));
        } else if !INPUT_FIELDS.contains(&h.as_str()) {
            errors.push(row_error(1, h, "is not a user field"));
        } else if !seen.insert(h.as_str()) {
            errors.push(row_error(1, h, "appears twice in the header"));
        }
    }
    for required in [NAME, EMAIL] {
        if !headers.iter().any(|h| h == required) {
            errors.push(row_error(1, required, "the header has no such column"));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".into(),
        _ => "is not valid CSV".into(),
    }
}

pub async fn import_users(
    Admin(KeazCaller(actor)): Admin<KeazCaller>,
    req: HttpRequest,
    dir: Data<Directory>,
    limits: Data<Limits>,
    payload: Payload,
) -> Result<JsonReply<Vec<UserHash>>, KeazError> {
    if !matches!(media_type(&req).as_str(), "text/csv" | "application/csv") {
        return Err(KeazError::unsupported("CSV (text/csv)"));
    }
    let bytes = body(&req, payload, limits.import_bytes).await?;
    let mut existing = dir.all_users(&actor, &UserFilter::all()).await?;
    let mut taken: HashSet<String> = HashSet::new();
    while let Some(page) = existing.next_page().await {
        taken.extend(page?.iter().flat_map(|u| [u.email.key(), u.username.key()]));
    }
    // On the blocking pool: 100,000 rows take long enough to stall every other request on
    // this worker (issue 17).
    let tenant = actor.tenant;
    let parsed = actix_web::web::block(move || parse(&bytes, tenant, |k| taken.contains(k)))
        .await
        .map_err(|_| KeazError::internal("the CSV parse did not finish"))?
        .map_err(KeazError::bad_rows)?;
    let rows = parsed.rows;
    let request = CreateUsersRequest {
        users: parsed.users,
        onboarding: Onboarding::Activation { email: true },
    };
    let users = dir
        .create_users(&actor, request)
        .await
        .map_err(|(index, e)| KeazError::from_core(e, index.and_then(|i| rows.get(i).copied())))?;
    Ok(JsonReply::created(users.iter().map(user_hash).collect()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn bom_crlf_and_quotes() {
        let file = b"\xEF\xBB\xBFname,email,perms,contact_number\r\n\
                     \"Smith, Jo\",jo@x.io,fleet;view,\"1,234\"\r\n\
                     Al,al@x.io,,\r\n";
        // "Smith, Jo" breaks the name pattern (a comma); the quoting itself must parse.
        let err = parse(file, TenantId(1), |_| false).err().unwrap();
        assert_eq!(err.len(), 1);
        assert_eq!((err[0].row, err[0].field.as_str()), (2, "name"));

        let file = b"\xEF\xBB\xBFname,email,perms,contact_number\r\n\
                     Jo Smith,jo@x.io,fleet;view,\"1,234\"\r\n";
        let ok = parse(file, TenantId(1), |_| false).ok().unwrap();
        assert_eq!(ok.users[0].perms, ["fleet", "view"]);
        assert_eq!(ok.users[0].profile.contact_number.as_deref(), Some("1,234"));
    }

    #[test]
    fn duplicates_in_file_and_company() {
        let file = b"name,email\nA,a@x.io\nB,A@X.io\nC,c@x.io\n";
        let err = parse(file, TenantId(1), |k| k == "c@x.io").err().unwrap();
        let rows: Vec<u64> = err.iter().map(|e| e.row).collect();
        assert_eq!(rows, [3, 4]);
    }

    #[test]
    fn unknown_and_password_headers() {
        let err = parse(b"name,email,password,colour\n", TenantId(1), |_| false)
            .err()
            .unwrap();
        let fields: Vec<&str> = err.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["password", "colour"]);
    }
}
