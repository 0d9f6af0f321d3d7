//! How the console writes times and days (always UTC, to the minute).

use rosetta_core::Timestamp;

pub fn minute(t: Timestamp) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

pub fn day(t: Timestamp) -> String {
    t.format("%Y-%m-%d").to_string()
}

/// The machine-readable form for `<time datetime>`.
pub fn iso(t: Timestamp) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
