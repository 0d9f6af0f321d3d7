//! The body parser as the fuzz targets (fuzz/) drive it: what a handler parses and reads,
//! with the refusal's message in place of the error envelope. Built only with `fuzzing`.

use serde_json::{Map, Value};

use super::{parse_object, BodyKind, Members};

/// A body parsed as a handler parses it (BOM, JSON or XML, a single object).
pub fn parse(xml: bool, body: &[u8]) -> Result<Map<String, Value>, String> {
    let kind = if xml { BodyKind::Xml } else { BodyKind::Json };
    parse_object(kind, body).map_err(|e| e.message)
}

/// What each accessor answers for one member name.
#[derive(Debug)]
pub struct Read {
    pub text: Result<Option<String>, String>,
    pub int: Result<Option<i64>, String>,
    pub boolean: Result<Option<bool>, String>,
    /// The number of items.
    pub list: Result<usize, String>,
}

/// Reads `name` from a parsed body with every accessor the handlers use.
pub fn read(map: &Map<String, Value>, name: &'static str) -> Read {
    let members = Members::new(map.clone());
    let message = |e: crate::errors::KfError| e.message;
    Read {
        text: members.text(name).map_err(message),
        int: members.int(name).map_err(message),
        boolean: members.boolean(name).map_err(message),
        list: members.list(name).map(|l| l.len()).map_err(message),
    }
}
