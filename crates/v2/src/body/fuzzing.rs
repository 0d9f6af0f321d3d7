//! The body and query parsers as the fuzz targets (fuzz/) drive them, with the refusal's
//! message in place of the error envelope. Built only with `fuzzing`.

pub use super::{member_in_body, parse, BodyFormat, Val};

/// A `User` body's members read as `POST /api/v2/user` reads them.
pub fn user_input(members: Vec<(String, Val)>) -> Result<(), String> {
    crate::inputs::user_input(members)
        .map(drop)
        .map_err(|e| e.message)
}

/// A search body's members read as `POST /api/v2/user/search` reads them.
pub fn search_input(members: Vec<(String, Val)>) -> Result<(), String> {
    crate::inputs::search_input(members)
        .map(drop)
        .map_err(|e| e.message)
}

/// A query string as every v2 call reads it: `None` when it is malformed, else what `name`
/// looks up (`get`) and whether it counts as given (`value`).
pub fn query(query: &str, name: &str) -> Option<(Option<String>, Option<String>)> {
    let params = crate::format::Params::parse(query)?;
    Some((params.get(name).map(str::to_owned), params.value(name)))
}
