//! A boolean as query strings and ServiceStack's `jsconfig` spell it: `true`/`false` in any
//! case, or `1`/`0`. A leaf module: the input readers and `jsconfig` both take it.

pub fn parse_bool(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}
