//! `/user/{id}/bookings` (add one) and `/user/{id}/bookings/YYYY[/MM[/DD[/HH]]]` (those that
//! overlap the period), all in UTC.

use actix_web::web::{Data, Payload};
use actix_web::HttpRequest;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use rosetta_core::{AddBookingRequest, Directory, Timestamp};
use rosetta_dialect::{Admin, JsonReply, Limits};

use crate::auth::KeazCaller;
use crate::convert::booking_hash;
use crate::errors::KeazError;
use crate::request::{json_body, member, object, segment, user_id};
use crate::wire::BookingHash;

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

pub async fn add_booking(
    Admin(KeazCaller(actor)): Admin<KeazCaller>,
    req: HttpRequest,
    dir: Data<Directory>,
    limits: Data<Limits>,
    payload: Payload,
) -> Result<JsonReply<BookingHash>, KeazError> {
    let id = user_id(&req)?;
    let map = object(json_body(&req, payload, limits.body_bytes).await?)?;
    let field = |name: &'static str| -> Result<String, KeazError> {
        member(&map, name)?.ok_or_else(|| KeazError::invalid(name, "is required"))
    };
    let asset = field("asset")?;
    let start = parse_time("start", &field("start")?)?;
    let end = parse_time("end", &field("end")?)?;
    let request = AddBookingRequest {
        user: id,
        asset,
        start,
        end,
    };
    let booking = dir.add_booking(&actor, request).await?;
    Ok(JsonReply::created(booking_hash(&booking)))
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

pub async fn bookings(
    KeazCaller(actor): KeazCaller,
    req: HttpRequest,
    dir: Data<Directory>,
) -> Result<JsonReply<Vec<BookingHash>>, KeazError> {
    let id = user_id(&req)?;
    let (from, to) = period(
        segment(&req, "year").unwrap_or(""),
        segment(&req, "month"),
        segment(&req, "day"),
        segment(&req, "hour"),
    )?;
    let found = dir.bookings_overlapping(&actor, id, from, to).await?;
    Ok(JsonReply::ok(found.iter().map(booking_hash).collect()))
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
