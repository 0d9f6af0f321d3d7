//! Small helpers over `serde_json` objects whose keys are SCIM attribute names, which are
//! case-insensitive: a client may send `UserName` for `userName`.

use serde_json::{Map, Value};

/// The key of `obj` equal to `name` in any letter case, preferring an exact match.
pub fn key_ci<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    if let Some((k, _)) = obj.get_key_value(name) {
        return Some(k);
    }
    obj.keys()
        .find(|k| k.eq_ignore_ascii_case(name))
        .map(String::as_str)
}

/// The value under `name` in any letter case.
pub fn get_ci<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    key_ci(obj, name).and_then(|k| obj.get(k))
}

/// The value under `name` in any letter case, mutably.
pub fn get_ci_mut<'a>(obj: &'a mut Map<String, Value>, name: &str) -> Option<&'a mut Value> {
    let key = key_ci(obj, name)?.to_owned();
    obj.get_mut(&key)
}

/// Removes the value under `name` in any letter case (every spelling of it).
pub fn remove_ci(obj: &mut Map<String, Value>, name: &str) -> Option<Value> {
    let keys: Vec<String> = obj
        .keys()
        .filter(|k| k.eq_ignore_ascii_case(name))
        .cloned()
        .collect();
    let mut removed = None;
    for k in keys {
        removed = obj.remove(&k).or(removed);
    }
    removed
}

/// Sets `name` to `value`, replacing any spelling of it, under the schema's spelling.
pub fn set_ci(obj: &mut Map<String, Value>, name: &str, value: Value) {
    remove_ci(obj, name);
    obj.insert(name.to_owned(), value);
}

/// Whether a value counts as present (RFC 7644 section 3.4.2.2, `pr`): not null, not an empty
/// string, array or object.
pub fn is_present(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => a.iter().any(is_present),
        Value::Object(o) => o.values().any(is_present),
        Value::Bool(_) | Value::Number(_) => true,
    }
}
