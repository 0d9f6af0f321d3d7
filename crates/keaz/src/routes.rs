//! The keaz handlers. Each one finds its caller from the `token` (header or query), lets the
//! directory decide, and answers in keaz's shapes.

use std::collections::HashSet;

use actix_web::http::StatusCode;
use actix_web::web::{self, Payload};
use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use rosetta_core::{
    ActivateRequest, Actor, AddBookingRequest, CoreError, CreateUserRequest, CreateUsersRequest,
    Directory, LoginCheck, Onboarding, PutAssetRequest, RedeemOutcome, SessionKind,
    StartSessionRequest, Status, Timestamp, UpdateUserRequest, UserFilter, UserId, UserKey,
    UserPatch,
};
use rosetta_dialect::{label_credential, media_type, read_body, wording, BodyError, Limits};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::convert::{self, booking_hash, user_hash};
use crate::errors::{keaz_field, KeazError, RowError};
use crate::import;
use crate::wire::{self, TicketHash, TokenHash, UserInput, EMAIL, LICENSE_TYPES, PASSWORD, PERMS};

pub const DIALECT_NAME: &str = "keaz";

type Dir = web::Data<Directory>;
type Lim = web::Data<Limits>;
type Answer = Result<HttpResponse, KeazError>;

fn json<T: Serialize>(status: StatusCode, value: &T) -> HttpResponse {
    HttpResponse::build(status).json(value)
}

/// JSON text already checked (a stored asset) sent as it is.
fn raw_json(status: StatusCode, text: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("application/json")
        .body(text)
}

fn query_pairs(req: &HttpRequest) -> Vec<(String, String)> {
    web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default()
}

fn query_value(req: &HttpRequest, name: &str) -> Option<String> {
    query_pairs(req)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn token(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get("token")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .or_else(|| query_value(req, "token").filter(|v| !v.is_empty()))
}

/// The logged-in user and what they may do. Only active users have live sessions.
async fn caller(req: &HttpRequest, dir: &Directory) -> Result<Actor, KeazError> {
    let Some(token) = token(req) else {
        return Err(KeazError::unauthorized(
            "a token is required: send ?token= or a token header (POST /login gives one)",
        ));
    };
    let Some(auth) = dir
        .find_session(DIALECT_NAME, SessionKind::Session, &token)
        .await?
    else {
        return Err(KeazError::unauthorized(
            "the token is unknown or has expired; log in again",
        ));
    };
    label_credential(req, auth.actor.label());
    Ok(auth.actor)
}

fn require_admin(actor: &Actor) -> Result<(), KeazError> {
    if actor.admin {
        Ok(())
    } else {
        Err(KeazError::forbidden(
            "only an administrator may change users",
        ))
    }
}

/// Ids that are not numbers name no user: 404 like any unknown id.
fn path_user(req: &HttpRequest) -> Result<UserId, KeazError> {
    req.match_info()
        .get("id")
        .and_then(|s| s.parse::<i64>().ok())
        .map(UserId)
        .ok_or_else(KeazError::not_found)
}

async fn body(req: &HttpRequest, payload: Payload, limit: usize) -> Result<Vec<u8>, KeazError> {
    match read_body(req, payload, limit).await {
        Ok(b) => Ok(b.to_vec()),
        Err(BodyError::TooLarge) => Err(KeazError::too_large(limit)),
        Err(BodyError::Broken) => Err(KeazError::invalid("body", "could not be read")),
    }
}

fn is_json(media: &str) -> bool {
    media.is_empty() || media == "application/json" || media.ends_with("+json")
}

/// A JSON body (`None` when empty). A type other than JSON is 415.
async fn json_body(
    req: &HttpRequest,
    payload: Payload,
    limits: &Limits,
) -> Result<Option<Value>, KeazError> {
    if !is_json(&media_type(req)) {
        return Err(KeazError::unsupported("JSON (application/json)"));
    }
    let bytes = body(req, payload, limits.body_bytes).await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|_| KeazError::invalid("body", "is not valid JSON"))
}

fn object(value: Option<Value>) -> Result<Map<String, Value>, KeazError> {
    match value {
        Some(Value::Object(map)) => Ok(map),
        _ => Err(KeazError::invalid("body", "must be a JSON object")),
    }
}

// ----- login --------------------------------------------------------------------------------

pub async fn login_post(req: HttpRequest, dir: Dir, limits: Lim, payload: Payload) -> Answer {
    let media = media_type(&req);
    let (email, password) = if media == "application/x-www-form-urlencoded" {
        let bytes = body(&req, payload, limits.body_bytes).await?;
        let text = String::from_utf8(bytes)
            .map_err(|_| KeazError::invalid("body", "is not valid UTF-8"))?;
        let pairs = web::Query::<Vec<(String, String)>>::from_query(&text)
            .map_err(|_| KeazError::invalid("body", "is not a valid form"))?
            .into_inner();
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        (get(EMAIL), get(PASSWORD))
    } else {
        let map = object(json_body(&req, payload, &limits).await?)?;
        (
            map.get(EMAIL)
                .map(|v| wire::text(EMAIL, v))
                .transpose()?
                .flatten(),
            map.get(PASSWORD)
                .map(|v| wire::text(PASSWORD, v))
                .transpose()?
                .flatten(),
        )
    };
    login(&req, &dir, email, password).await
}

pub async fn login_get(req: HttpRequest, dir: Dir) -> Answer {
    let email = query_value(&req, EMAIL);
    let password = query_value(&req, PASSWORD);
    login(&req, &dir, email, password).await
}

async fn login(
    req: &HttpRequest,
    dir: &Directory,
    email: Option<String>,
    password: Option<String>,
) -> Answer {
    let email = email
        .filter(|e| !e.trim().is_empty())
        .ok_or_else(|| KeazError::invalid(EMAIL, "is required"))?;
    let password = password
        .filter(|p| !p.is_empty())
        .ok_or_else(|| KeazError::invalid(PASSWORD, "is required"))?;
    match dir
        .check_login(UserKey::Email(email.trim().to_owned()), &password)
        .await?
    {
        LoginCheck::Ok(user, _) => {
            dir.login_succeeded(user.id).await?;
            let (_, token) = dir
                .start_session(StartSessionRequest {
                    user: &user,
                    dialect: DIALECT_NAME,
                    kind: SessionKind::Session,
                    data: None,
                })
                .await?;
            label_credential(req, format!("user:{}", user.id));
            Ok(json(StatusCode::OK, &TokenHash { token }))
        }
        LoginCheck::Rejected => Err(KeazError::unauthorized(
            "the email or password is wrong, or the account is not active",
        )),
        LoginCheck::Locked => Err(CoreError::Locked.into()),
    }
}

// ----- users --------------------------------------------------------------------------------

pub async fn list_users(req: HttpRequest, dir: Dir) -> Answer {
    let actor = caller(&req, &dir).await?;
    // Any `inactive` switches the list, except an explicit false.
    let inactive = query_pairs(&req).iter().any(|(k, v)| {
        k == "inactive" && !matches!(v.to_ascii_lowercase().as_str(), "0" | "false" | "no")
    });
    let mut filter = UserFilter::all();
    filter.statuses = if inactive {
        vec![Status::Inactive]
    } else {
        vec![Status::Active, Status::Pending]
    };
    let users = dir.all_users(&actor, &filter).await?;
    let hashes: Vec<_> = users.iter().map(user_hash).collect();
    Ok(json(StatusCode::OK, &hashes))
}

pub async fn get_user(req: HttpRequest, dir: Dir) -> Answer {
    let actor = caller(&req, &dir).await?;
    let id = path_user(&req)?;
    let user = dir.get_user(&actor, UserKey::Id(id)).await?;
    Ok(json(StatusCode::OK, &user_hash(&user)))
}

pub async fn user_by_email(req: HttpRequest, dir: Dir) -> Answer {
    let actor = caller(&req, &dir).await?;
    let email = query_value(&req, EMAIL)
        .map(|e| e.trim().to_owned())
        .filter(|e| !e.is_empty())
        .ok_or_else(|| KeazError::invalid(EMAIL, "is required (?email=)"))?;
    let user = dir.get_user(&actor, UserKey::Email(email)).await?;
    Ok(json(StatusCode::OK, &user_hash(&user)))
}

pub async fn create_user(req: HttpRequest, dir: Dir, limits: Lim, payload: Payload) -> Answer {
    let actor = caller(&req, &dir).await?;
    require_admin(&actor)?;
    let map = object(json_body(&req, payload, &limits).await?)?;
    let input = UserInput::from_json(&map)?;
    let new = convert::new_user(input, actor.tenant).map_err(convert::first_error)?;
    let request = CreateUserRequest {
        user: new,
        onboarding: Onboarding::Activation { email: true },
    };
    let user = dir.create_user(&actor, request).await?;
    Ok(json(StatusCode::CREATED, &user_hash(&user)))
}

pub async fn update_user(req: HttpRequest, dir: Dir, limits: Lim, payload: Payload) -> Answer {
    let actor = caller(&req, &dir).await?;
    require_admin(&actor)?;
    let id = path_user(&req)?;
    let map = object(json_body(&req, payload, &limits).await?)?;
    let input = UserInput::from_json(&map)?;
    let current = dir.get_user(&actor, UserKey::Id(id)).await?;
    let patch = convert::patch(input, actor.tenant, &current)?;
    let request = UpdateUserRequest {
        id,
        patch,
        expected_version: None,
    };
    let user = dir.update_user(&actor, request).await?;
    Ok(json(StatusCode::OK, &user_hash(&user)))
}

pub async fn delete_user(req: HttpRequest, dir: Dir) -> Answer {
    let actor = caller(&req, &dir).await?;
    require_admin(&actor)?;
    let id = path_user(&req)?;
    dir.delete_user(&actor, id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A list body: a JSON array, or an object holding the list under `field`.
fn list_body(field: &str, value: Option<Value>) -> Result<Vec<String>, KeazError> {
    match value {
        Some(Value::Array(items)) => wire::list(field, &Value::Array(items)),
        Some(Value::Object(map)) => match map.get(field) {
            Some(v) => wire::list(field, v),
            None => Err(KeazError::invalid(field, "is required")),
        },
        _ => Err(KeazError::invalid(
            field,
            "must be sent as a JSON list of names",
        )),
    }
}

pub async fn get_perms(req: HttpRequest, dir: Dir) -> Answer {
    let actor = caller(&req, &dir).await?;
    let user = dir.get_user(&actor, UserKey::Id(path_user(&req)?)).await?;
    Ok(json(StatusCode::OK, &user.perms))
}

pub async fn put_perms(req: HttpRequest, dir: Dir, limits: Lim, payload: Payload) -> Answer {
    let actor = caller(&req, &dir).await?;
    require_admin(&actor)?;
    let id = path_user(&req)?;
    let perms = list_body(PERMS, json_body(&req, payload, &limits).await?)?;
    for p in &perms {
        convert::check_perm(p).map_err(|m| KeazError::invalid(PERMS, m))?;
    }
    let patch = UserPatch {
        perms: Some(perms),
        ..UserPatch::default()
    };
    let request = UpdateUserRequest {
        id,
        patch,
        expected_version: None,
    };
    let user = dir.update_user(&actor, request).await?;
    Ok(json(StatusCode::OK, &user.perms))
}

pub async fn get_license_types(req: HttpRequest, dir: Dir) -> Answer {
    let actor = caller(&req, &dir).await?;
    let user = dir.get_user(&actor, UserKey::Id(path_user(&req)?)).await?;
    Ok(json(StatusCode::OK, &user.license_types))
}

pub async fn put_license_types(
    req: HttpRequest,
    dir: Dir,
    limits: Lim,
    payload: Payload,
) -> Answer {
    let actor = caller(&req, &dir).await?;
    require_admin(&actor)?;
    let id = path_user(&req)?;
    let types = list_body(LICENSE_TYPES, json_body(&req, payload, &limits).await?)?;
    if types.iter().any(|t| t.chars().count() > 255) {
        return Err(KeazError::invalid(
            LICENSE_TYPES,
            "items must be at most 255 characters",
        ));
    }
    let patch = UserPatch {
        license_types: Some(types),
        ..UserPatch::default()
    };
    let request = UpdateUserRequest {
        id,
        patch,
        expected_version: None,
    };
    let user = dir.update_user(&actor, request).await?;
    Ok(json(StatusCode::OK, &user.license_types))
}

pub async fn resend(req: HttpRequest, dir: Dir) -> Answer {
    let actor = caller(&req, &dir).await?;
    require_admin(&actor)?;
    let id = path_user(&req)?;
    dir.resend_activation(&actor, id).await?;
    let user = dir.get_user(&actor, UserKey::Id(id)).await?;
    Ok(json(StatusCode::OK, &user_hash(&user)))
}

// ----- activation ---------------------------------------------------------------------------

fn path_ticket(req: &HttpRequest) -> Result<String, KeazError> {
    req.match_info()
        .get("ticket")
        .filter(|t| !t.is_empty() && t.len() <= 256)
        .map(str::to_owned)
        .ok_or_else(KeazError::not_found)
}

pub async fn ticket_status(req: HttpRequest, dir: Dir) -> Answer {
    let ticket = path_ticket(&req)?;
    if dir.ticket_valid(&ticket).await? {
        Ok(json(StatusCode::OK, &TicketHash { ticket: "valid" }))
    } else {
        Err(KeazError::not_found())
    }
}

pub async fn activate(req: HttpRequest, dir: Dir, limits: Lim, payload: Payload) -> Answer {
    let ticket = path_ticket(&req)?;
    let password = match json_body(&req, payload, &limits).await? {
        None => None,
        Some(Value::Object(map)) => map
            .get(PASSWORD)
            .map(|v| wire::text(PASSWORD, v))
            .transpose()?
            .flatten(),
        Some(_) => return Err(KeazError::invalid("body", "must be a JSON object")),
    };
    let request = ActivateRequest {
        dialect: DIALECT_NAME,
        ticket: &ticket,
        password,
    };
    match dir.activate(request).await? {
        RedeemOutcome::Activated(user) => {
            label_credential(&req, format!("user:{}", user.id));
            Ok(json(StatusCode::OK, &user_hash(&user)))
        }
        RedeemOutcome::NoSuchTicket => Err(KeazError::not_found()),
        RedeemOutcome::PasswordRequired => Err(KeazError::invalid(
            PASSWORD,
            "is required: this user has no password yet",
        )),
    }
}

// ----- CSV import ---------------------------------------------------------------------------

pub async fn import_users(req: HttpRequest, dir: Dir, limits: Lim, payload: Payload) -> Answer {
    let actor = caller(&req, &dir).await?;
    require_admin(&actor)?;
    if !matches!(media_type(&req).as_str(), "text/csv" | "application/csv") {
        return Err(KeazError::unsupported("CSV (text/csv)"));
    }
    let bytes = body(&req, payload, limits.import_bytes).await?;
    let existing = dir.all_users(&actor, &UserFilter::all()).await?;
    let taken: HashSet<String> = existing
        .iter()
        .flat_map(|u| [u.email.key(), u.username.key()])
        .collect();
    let parsed =
        import::parse(&bytes, actor.tenant, |k| taken.contains(k)).map_err(KeazError::bad_rows)?;
    let rows = parsed.rows;
    let request = CreateUsersRequest {
        users: parsed.users,
        onboarding: Onboarding::Activation { email: true },
    };
    let users = dir
        .create_users(&actor, request)
        .await
        .map_err(|(index, e)| match (index.and_then(|i| rows.get(i)), e) {
            (Some(&row), CoreError::Validation { field, problem }) => {
                KeazError::bad_rows(vec![RowError {
                    row,
                    field: keaz_field(field.as_str()).to_owned(),
                    message: wording::problem(&problem),
                }])
            }
            (_, e) => e.into(),
        })?;
    let hashes: Vec<_> = users.iter().map(user_hash).collect();
    Ok(json(StatusCode::CREATED, &hashes))
}

// ----- assets -------------------------------------------------------------------------------

fn path_tag(req: &HttpRequest) -> Result<String, KeazError> {
    req.match_info()
        .get("tag")
        .map(str::to_owned)
        .ok_or_else(KeazError::not_found)
}

pub async fn list_assets(req: HttpRequest, dir: Dir) -> Answer {
    let actor = caller(&req, &dir).await?;
    let assets = dir.user_assets(&actor, path_user(&req)?).await?;
    // An object keyed by tag, each value the JSON exactly as it was stored.
    let mut out = String::from("{");
    for (i, a) in assets.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let key = serde_json::to_string(&a.tag).map_err(|e| CoreError::Internal(e.to_string()))?;
        out.push_str(&key);
        out.push(':');
        out.push_str(&a.data);
    }
    out.push('}');
    Ok(raw_json(StatusCode::OK, out))
}

pub async fn get_asset(req: HttpRequest, dir: Dir) -> Answer {
    let actor = caller(&req, &dir).await?;
    let asset = dir
        .user_asset(&actor, path_user(&req)?, &path_tag(&req)?)
        .await?;
    Ok(raw_json(StatusCode::OK, asset.data))
}

pub async fn put_asset(req: HttpRequest, dir: Dir, limits: Lim, payload: Payload) -> Answer {
    let actor = caller(&req, &dir).await?;
    require_admin(&actor)?;
    let id = path_user(&req)?;
    let tag = path_tag(&req)?;
    if !is_json(&media_type(&req)) {
        return Err(KeazError::unsupported("JSON (application/json)"));
    }
    let bytes = body(&req, payload, limits.body_bytes).await?;
    let text =
        String::from_utf8(bytes).map_err(|_| KeazError::invalid("body", "is not valid UTF-8"))?;
    let text = text.trim();
    if text.is_empty() || serde_json::from_str::<serde::de::IgnoredAny>(text).is_err() {
        return Err(KeazError::invalid("body", "must be a JSON document"));
    }
    let request = PutAssetRequest {
        user: id,
        tag: &tag,
        data: text,
    };
    let (asset, created) = dir.put_user_asset(&actor, request).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(raw_json(status, asset.data))
}

// ----- bookings -----------------------------------------------------------------------------

/// ISO 8601: with an offset (converted to UTC), or without one (taken as UTC), or a date.
pub fn parse_time(field: &str, raw: &str) -> Result<Timestamp, KeazError> {
    let raw = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M%z"] {
        if let Ok(t) = DateTime::parse_from_str(raw, f) {
            return Ok(t.with_timezone(&Utc));
        }
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(raw, f) {
            return Ok(Utc.from_utc_datetime(&t));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        if let Some(t) = d.and_hms_opt(0, 0, 0) {
            return Ok(Utc.from_utc_datetime(&t));
        }
    }
    Err(KeazError::invalid(
        field,
        "must be an ISO 8601 date and time, e.g. 2026-01-05T09:00:00Z",
    ))
}

pub async fn add_booking(req: HttpRequest, dir: Dir, limits: Lim, payload: Payload) -> Answer {
    let actor = caller(&req, &dir).await?;
    require_admin(&actor)?;
    let id = path_user(&req)?;
    let map = object(json_body(&req, payload, &limits).await?)?;
    let field = |name: &'static str| -> Result<String, KeazError> {
        map.get(name)
            .map(|v| wire::text(name, v))
            .transpose()?
            .flatten()
            .ok_or_else(|| KeazError::invalid(name, "is required"))
    };
    let asset = field("asset")?;
    let start = parse_time("start", &field("start")?)?;
    let end = parse_time("end", &field("end")?)?;
    let booking = dir
        .add_booking(
            &actor,
            AddBookingRequest {
                user: id,
                asset,
                start,
                end,
            },
        )
        .await?;
    Ok(json(StatusCode::CREATED, &booking_hash(&booking)))
}

/// The UTC period a `YYYY[/MM[/DD[/HH]]]` path names, as `[from, to)`.
pub fn period(
    year: &str,
    month: Option<&str>,
    day: Option<&str>,
    hour: Option<&str>,
) -> Result<(Timestamp, Timestamp), KeazError> {
    let bad = || {
        KeazError::invalid(
            "datetimepath",
            "must be YYYY, YYYY/MM, YYYY/MM/DD or YYYY/MM/DD/HH (UTC)",
        )
    };
    let num = |s: &str, len: std::ops::RangeInclusive<usize>| -> Result<u32, KeazError> {
        if len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let y = i32::try_from(num(year, 4..=4)?).map_err(|_| bad())?;
    let m = month.map(|m| num(m, 1..=2)).transpose()?;
    let d = day.map(|d| num(d, 1..=2)).transpose()?;
    let h = hour.map(|h| num(h, 1..=2)).transpose()?;
    let date = NaiveDate::from_ymd_opt(y, m.unwrap_or(1), d.unwrap_or(1)).ok_or_else(bad)?;
    let start = date.and_hms_opt(h.unwrap_or(0), 0, 0).ok_or_else(bad)?;
    let end = match (m, d, h) {
        (None, _, _) => NaiveDate::from_ymd_opt(y + 1, 1, 1).and_then(|n| n.and_hms_opt(0, 0, 0)),
        (Some(m), None, _) => {
            let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|n| n.and_hms_opt(0, 0, 0))
        }
        (Some(_), Some(_), None) => start.checked_add_signed(Duration::days(1)),
        (Some(_), Some(_), Some(_)) => start.checked_add_signed(Duration::hours(1)),
    }
    .ok_or_else(bad)?;
    Ok((Utc.from_utc_datetime(&start), Utc.from_utc_datetime(&end)))
}

pub async fn bookings(req: HttpRequest, dir: Dir) -> Answer {
    let actor = caller(&req, &dir).await?;
    let id = path_user(&req)?;
    let info = req.match_info();
    let (from, to) = period(
        info.get("year").unwrap_or(""),
        info.get("month"),
        info.get("day"),
        info.get("hour"),
    )?;
    let found = dir.bookings_overlapping(&actor, id, from, to).await?;
    let hashes: Vec<_> = found.iter().map(booking_hash).collect();
    Ok(json(StatusCode::OK, &hashes))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn periods() {
        let (a, b) = period("2026", None, None, None).unwrap();
        assert_eq!(a.to_rfc3339(), "2026-01-01T00:00:00+00:00");
        assert_eq!(b.to_rfc3339(), "2027-01-01T00:00:00+00:00");
        let (a, b) = period("2026", Some("12"), None, None).unwrap();
        assert_eq!(
            (a.to_rfc3339(), b.to_rfc3339()),
            (
                "2026-12-01T00:00:00+00:00".into(),
                "2027-01-01T00:00:00+00:00".into()
            )
        );
        let (a, b) = period("2024", Some("02"), Some("29"), Some("23")).unwrap();
        assert_eq!(
            (a.to_rfc3339(), b.to_rfc3339()),
            (
                "2024-02-29T23:00:00+00:00".into(),
                "2024-03-01T00:00:00+00:00".into()
            )
        );
        assert!(period("2026", Some("13"), None, None).is_err());
        assert!(period("2025", Some("02"), Some("29"), None).is_err());
        assert!(period("26", None, None, None).is_err());
        assert!(period("2026", Some("01"), Some("01"), Some("24")).is_err());
    }

    #[test]
    fn times() {
        let t = parse_time("start", "2026-01-05T10:00:00+01:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-01-05T09:00:00+00:00");
        assert!(parse_time("start", "2026-01-05T09:00").is_ok());
        assert!(parse_time("start", "2026-01-05").is_ok());
        assert!(parse_time("start", "tomorrow").is_err());
    }
}
