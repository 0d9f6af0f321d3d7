//! The `scim` format: one SCIM User resource per line, exactly as `GET /Users/{id}` writes it
//! (the scim crate's own converter), and read back as `POST /Users` reads a body. A password
//! hash travels in an extension of Rosetta's own (docs/migration.md maps it to what IdPs take):
//!
//! ```text
//! "urn:rosetta:params:scim:schemas:extension:export:1.0:User":
//!     {"passwordHash": {"algorithm": "BCRYPT", "value": "$2b$10$..."}}
//! ```

use rosetta_core::{BcryptHash, ImportedUser};
use rosetta_scim::transfer::{new_user_from, resource};
use serde_json::{json, Map, Value};

use super::report::LineError;

/// The extension's schema URN (not registered anywhere: Rosetta's own).
pub const EXTENSION: &str = "urn:rosetta:params:scim:schemas:extension:export:1.0:User";

/// `resource` with its hash in the extension (and the extension named in `schemas`).
pub fn with_hash(mut resource: Value, hash: Option<String>) -> Value {
    if let (Some(hash), Value::Object(map)) = (hash, &mut resource) {
        if let Some(Value::Array(schemas)) = map.get_mut("schemas") {
            schemas.push(Value::String(EXTENSION.into()));
        }
        map.insert(
            EXTENSION.into(),
            json!({"passwordHash": {"algorithm": "BCRYPT", "value": hash}}),
        );
    }
    resource
}

/// One line of a scim file as the user to create. A resource's read-only attributes (`id`,
/// `meta`, `groups`) are ignored as a `POST` ignores them; what SCIM does not carry (keaz's
/// profile beyond its two enterprise members, v2's devices, a pending status) is not there.
pub fn read(line: &[u8], n: u64) -> Result<ImportedUser, Vec<LineError>> {
    let mut map = resource(line).map_err(|e| vec![LineError::new(n, "resource", e.detail)])?;
    let hash = take_hash(&mut map).map_err(|e| vec![e.at(n)])?;
    let user = new_user_from(map).map_err(|e| vec![LineError::new(n, "resource", e.detail)])?;
    Ok(ImportedUser {
        user,
        password_hash: hash,
    })
}

struct Problem(&'static str);

impl Problem {
    fn at(self, line: u64) -> LineError {
        LineError::new(line, EXTENSION, self.0)
    }
}

fn take_hash(map: &mut Map<String, Value>) -> Result<Option<BcryptHash>, Problem> {
    if let Some(Value::Array(schemas)) = map.get_mut("schemas") {
        schemas.retain(|s| s.as_str() != Some(EXTENSION));
    }
    let Some(ext) = map.remove(EXTENSION) else {
        return Ok(None);
    };
    let hash = ext
        .get("passwordHash")
        .ok_or(Problem("has no passwordHash"))?;
    if hash.get("algorithm").and_then(Value::as_str) != Some("BCRYPT") {
        return Err(Problem("passwordHash.algorithm must be BCRYPT"));
    }
    let value = hash
        .get("value")
        .and_then(Value::as_str)
        .ok_or(Problem("passwordHash.value is required"))?;
    // The text is a secret even when malformed: it is never echoed.
    BcryptHash::parse(value)
        .map(Some)
        .ok_or(Problem("passwordHash.value is not a bcrypt hash"))
}
