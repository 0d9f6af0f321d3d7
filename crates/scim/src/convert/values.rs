//! Reading JSON values as SCIM types: objects with attribute names in any letter case,
//! strings, and booleans as Entra ID sends them (`"False"`).

use serde_json::{Map, Value};

use crate::errors::ScimError;

/// A request body that must be one JSON object.
pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, ScimError> {
    let bytes = rosetta_dialect::body::strip_bom(bytes);
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ScimError::invalid_syntax(
            "The request body must be a JSON object.",
        )),
        Err(_) => Err(ScimError::invalid_syntax(
            "The request body is not valid JSON.",
        )),
    }
}

/// `map` with each key that names one of `known` in another letter case renamed to the
/// RFC's spelling (RFC 7643 section 2.1: attribute names are case-insensitive). Keys that
/// name nothing known stay as they are (and are ignored by the reader).
pub fn canonical_keys(map: Map<String, Value>, known: &[&'static str]) -> Map<String, Value> {
    map.into_iter()
        .map(|(k, v)| {
            let key = known
                .iter()
                .find(|n| n.eq_ignore_ascii_case(&k))
                .map_or(k, |n| (*n).to_owned());
            (key, v)
        })
        .collect()
}

/// A sub-object (`name`, an email, the extension) with canonical keys; `null` is `None`.
pub fn object(
    attr: &str,
    value: Value,
    known: &[&'static str],
) -> Result<Option<Map<String, Value>>, ScimError> {
    match value {
        Value::Null => Ok(None),
        Value::Object(map) => Ok(Some(canonical_keys(map, known))),
        _ => Err(ScimError::invalid_value(format!(
            "{attr} must be a complex value (a JSON object)."
        ))),
    }
}

/// A multi-valued attribute: a JSON array (a single object is taken as one value, as some
/// clients send); `null` is empty.
pub fn list(attr: &str, value: Value) -> Result<Vec<Value>, ScimError> {
    match value {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => Ok(items),
        one @ Value::Object(_) => Ok(vec![one]),
        _ => Err(ScimError::invalid_value(format!(
            "{attr} must be a multi-valued attribute (a JSON array)."
        ))),
    }
}

/// A string, or `None` for `null`.
pub fn string(attr: &str, value: Value) -> Result<Option<String>, ScimError> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        _ => Err(ScimError::invalid_value(format!(
            "{attr} must be a string."
        ))),
    }
}

/// A boolean; also the strings `"true"`/`"false"` in any case (Entra ID sends
/// `"active": "False"`).
pub fn boolean(attr: &str, value: &Value) -> Result<Option<bool>, ScimError> {
    match value {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        Value::String(s) if s.trim().eq_ignore_ascii_case("true") => Ok(Some(true)),
        Value::String(s) if s.trim().eq_ignore_ascii_case("false") => Ok(Some(false)),
        _ => Err(ScimError::invalid_value(format!(
            "{attr} must be a boolean."
        ))),
    }
}

/// The value to keep of a multi-valued attribute that Rosetta stores once: the one marked
/// `primary`, else the first of type `prefer`, else the first.
pub fn pick(items: Vec<Map<String, Value>>, prefer: &str) -> Option<Map<String, Value>> {
    let primary = items.iter().position(|m| {
        m.get("primary")
            .is_some_and(|p| boolean("primary", p) == Ok(Some(true)))
    });
    let typed = || {
        items.iter().position(|m| {
            m.get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.eq_ignore_ascii_case(prefer))
        })
    };
    let at = primary.or_else(typed).unwrap_or(0);
    items.into_iter().nth(at)
}

/// Each item of a multi-valued attribute as an object with canonical keys.
pub fn items(
    attr: &str,
    value: Value,
    known: &[&'static str],
) -> Result<Vec<Map<String, Value>>, ScimError> {
    list(attr, value)?
        .into_iter()
        .filter_map(|v| object(attr, v, known).transpose())
        .collect()
}

/// An item's `value` as text: a string, or a number written as one (`roles` values).
pub fn item_value(attr: &str, item: &mut Map<String, Value>) -> Result<Option<String>, ScimError> {
    match item.remove("value") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(ScimError::invalid_value(format!(
            "{attr}.value must be a string."
        ))),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn booleans_as_entra_sends_them() {
        for (v, want) in [
            (json!(true), Some(true)),
            (json!("False"), Some(false)),
            (json!("TRUE"), Some(true)),
            (json!(null), None),
        ] {
            assert_eq!(boolean("active", &v).unwrap(), want);
        }
        assert!(boolean("active", &json!("yes")).is_err());
        assert!(boolean("active", &json!(1)).is_err());
    }

    #[test]
    fn keys_in_any_case() {
        let map = json!({"USERNAME": "a", "Other": 1})
            .as_object()
            .cloned()
            .unwrap();
        let map = canonical_keys(map, &["userName"]);
        assert_eq!(map.get("userName"), Some(&json!("a")));
        assert_eq!(map.get("Other"), Some(&json!(1)));
    }

    #[test]
    fn pick_prefers_primary_then_type() {
        let items = |v: Value| {
            v.as_array()
                .unwrap()
                .iter()
                .map(|i| i.as_object().cloned().unwrap())
                .collect::<Vec<_>>()
        };
        let got = pick(
            items(json!([{"value":"a","type":"home"},{"value":"b","primary":"True"}])),
            "work",
        );
        assert_eq!(got.unwrap()["value"], json!("b"));
        let got = pick(
            items(json!([{"value":"a"},{"value":"b","type":"Work"}])),
            "work",
        );
        assert_eq!(got.unwrap()["value"], json!("b"));
        assert!(pick(Vec::new(), "work").is_none());
    }
}
