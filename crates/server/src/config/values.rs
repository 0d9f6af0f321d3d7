//! The values a configuration key takes, read leniently: a number or a string holding one
//! (environment variables are always strings), `true`/`yes`/`1`, and durations like `"72h"`.

use std::time::Duration;

use serde::{Deserialize, Deserializer};

#[derive(Deserialize)]
#[serde(untagged)]
enum NumOrStr {
    Num(i64),
    Str(String),
}

fn parse_num<T: TryFrom<i64> + std::str::FromStr>(v: NumOrStr) -> Result<T, String> {
    match v {
        NumOrStr::Num(n) => T::try_from(n).map_err(|_| format!("{n} is out of range")),
        NumOrStr::Str(s) => s
            .trim()
            .parse()
            .map_err(|_| format!("'{s}' is not a number")),
    }
}

pub(super) fn num<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64> + std::str::FromStr,
{
    parse_num(NumOrStr::deserialize(d)?).map_err(serde::de::Error::custom)
}

pub(super) fn opt_num<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64> + std::str::FromStr,
{
    parse_num(NumOrStr::deserialize(d)?)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

pub(super) fn bool_value<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(opt_bool(d)?.unwrap_or(false))
}

pub(super) fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum BoolOrStr {
        Bool(bool),
        Str(String),
    }
    match BoolOrStr::deserialize(d)? {
        BoolOrStr::Bool(b) => Ok(Some(b)),
        BoolOrStr::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Ok(Some(true)),
            "false" | "0" | "no" => Ok(Some(false)),
            _ => Err(serde::de::Error::custom(format!("'{s}' is not a boolean"))),
        },
    }
}

/// `"72h"`, `"60m"`, `"30s"`, `"500ms"`, or a number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("'{text}' is not a duration"))?;
    let secs = match unit.trim() {
        "" | "s" => return Ok(Duration::from_secs(n)),
        "ms" => return Ok(Duration::from_millis(n)),
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => return Err(format!("'{text}' has an unknown unit (ms, s, m, h, d)")),
    };
    Ok(Duration::from_secs(secs))
}

pub(super) fn duration<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    match NumOrStr::deserialize(d)? {
        NumOrStr::Num(n) => u64::try_from(n)
            .map(Duration::from_secs)
            .map_err(|_| serde::de::Error::custom("a duration cannot be negative")),
        NumOrStr::Str(s) => parse_duration(&s).map_err(serde::de::Error::custom),
    }
}
