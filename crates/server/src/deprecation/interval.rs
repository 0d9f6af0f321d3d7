//! The times of `[dialects.<name>.deprecation]`: RFC 3339 instants and ISO 8601 intervals
//! (`start/duration`, `start/end`, `duration/end`) with durations of weeks, days, hours,
//! minutes and seconds (years and months have no fixed length, so they are refused).

use chrono::{DateTime, Utc};
use rosetta_core::Timestamp;
use rosetta_dialect::deprecation::Window;

pub fn instant(text: &str) -> Result<Timestamp, String> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("\"{text}\" is not an RFC 3339 time such as 2027-06-01T00:00:00Z"))
}

pub fn interval(text: &str) -> Result<Window, String> {
    let bad = || {
        format!(
            "\"{}\" is not an ISO 8601 interval (start/PT1H or start/end)",
            text.trim()
        )
    };
    let (a, b) = text.trim().split_once('/').ok_or_else(bad)?;
    let (start, end) = if a.starts_with('P') {
        let end = instant(b).map_err(|_| bad())?;
        (
            end - duration(a).map_err(|e| format!("{}: {e}", bad()))?,
            end,
        )
    } else {
        let start = instant(a).map_err(|_| bad())?;
        if b.starts_with('P') {
            (
                start,
                start + duration(b).map_err(|e| format!("{}: {e}", bad()))?,
            )
        } else {
            (start, instant(b).map_err(|_| bad())?)
        }
    };
    if end <= start {
        return Err(format!("\"{}\" ends before it starts", text.trim()));
    }
    Ok(Window { start, end })
}

/// `P1W`, `P2D`, `PT1H30M`, `P1DT12H`, `PT45S`.
fn duration(text: &str) -> Result<chrono::Duration, String> {
    let rest = text.strip_prefix('P').ok_or("a duration starts with P")?;
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return Err("nothing after T".into()),
        None => (rest, None),
    };
    let mut seconds: i64 = 0;
    let mut parts = 0;
    for (part, units) in [(date, "date"), (time.unwrap_or(""), "time")] {
        let mut number = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let n: i64 = number
                .parse()
                .map_err(|_| format!("a number must come before {c}"))?;
            number.clear();
            let unit = match (units, c) {
                ("date", 'W') => 7 * 86_400,
                ("date", 'D') => 86_400,
                ("date", 'Y' | 'M') => {
                    return Err("years and months have no fixed length; use days".into())
                }
                ("time", 'H') => 3_600,
                ("time", 'M') => 60,
                ("time", 'S') => 1,
                _ => return Err(format!("unknown unit {c}")),
            };
            seconds = n
                .checked_mul(unit)
                .and_then(|s| seconds.checked_add(s))
                .ok_or("too long")?;
            parts += 1;
        }
        if !number.is_empty() {
            return Err(format!("{number} has no unit"));
        }
    }
    if parts == 0 {
        return Err("an empty duration".into());
    }
    chrono::Duration::try_seconds(seconds).ok_or_else(|| "too long".into())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn intervals_in_every_form() {
        let w = interval("2026-12-01T10:00:00Z/PT1H").unwrap();
        assert_eq!(w.start, instant("2026-12-01T10:00:00Z").unwrap());
        assert_eq!(w.end, instant("2026-12-01T11:00:00Z").unwrap());
        let w = interval("2026-12-01T10:00:00Z/2026-12-01T12:30:00Z").unwrap();
        assert_eq!(w.end, instant("2026-12-01T12:30:00Z").unwrap());
        let w = interval("PT4H/2027-01-15T14:00:00Z").unwrap();
        assert_eq!(w.start, instant("2027-01-15T10:00:00Z").unwrap());
        let w = interval("2027-01-15T10:00:00+01:00/P1DT2H30M15S").unwrap();
        assert_eq!(w.end - w.start, chrono::Duration::seconds(86_400 + 9_015));
        assert_eq!(
            interval("2027-01-01T00:00:00Z/P1W").unwrap().end,
            instant("2027-01-08T00:00:00Z").unwrap()
        );
    }

    #[test]
    fn bad_intervals_say_why() {
        for bad in [
            "2026-12-01T10:00:00Z",
            "tomorrow/PT1H",
            "2026-12-01T10:00:00Z/PT",
            "2026-12-01T10:00:00Z/P",
            "2026-12-01T10:00:00Z/PT1X",
            "2026-12-01T10:00:00Z/PT1",
            "2026-12-01T10:00:00Z/P1M",
            "2026-12-01T10:00:00Z/2026-12-01T09:00:00Z",
            "2026-12-01T10:00:00Z/PT0S",
        ] {
            assert!(interval(bad).is_err(), "{bad}");
        }
        assert!(interval("2026-12-01T10:00:00Z/P1M")
            .unwrap_err()
            .contains("use days"));
    }
}
