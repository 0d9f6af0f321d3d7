//! Values a client writes (a POST or PUT body, a PATCH value) checked against the schema and
//! brought to one shape: attribute names in the schema's spelling, booleans sent as text
//! (Entra ID's `"active": "False"`) as booleans, a lone object for a multi-valued attribute as a
//! one-element list. readOnly attributes are dropped (RFC 7643 section 2.2: ignored on input) and
//! so are attributes Rosetta does not keep (identity providers send many; refusing them would
//! stop provisioning). A value of the wrong type is `invalidValue`; the detail names the
//! attribute, never the value.

use serde_json::{Map, Value};

use crate::json::{get_ci, key_ci};
use crate::request_error::RequestError;
use crate::schema::{AttrType, Attribute, Mutability, ResourceType, Schema};

/// `true`/`false` in any letter case, as Entra ID sends booleans.
pub fn bool_text(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Checks and normalises a POST (`current` None) or PUT (`current` the resource as it is) body
/// in place. Required attributes must be there (`invalidValue`); on PUT an immutable attribute
/// that already has a value must keep it (`mutability`).
pub fn check_input(
    rt: &ResourceType,
    body: &mut Value,
    current: Option<&Value>,
) -> Result<(), RequestError> {
    let Some(obj) = body.as_object() else {
        return Err(RequestError::InvalidSyntax(format!(
            "a {} must be a JSON object",
            rt.id
        )));
    };
    let mut out = Map::new();
    if let Some(schemas) = get_ci(obj, "schemas") {
        out.insert("schemas".to_owned(), schemas.clone());
    }
    for (key, value) in obj {
        if let Some(ext) = rt.extension(key) {
            if !value.is_null() {
                let checked = check_sub_object(ext.attributes, value, ext.id)?;
                out.insert(ext.id.to_owned(), checked);
            }
            continue;
        }
        let Some(found) = rt
            .resolve_str(key)
            .filter(|r| r.sub.is_none() && !r.is_extension())
        else {
            continue;
        };
        if !found.attr.writable() {
            continue;
        }
        out.insert(
            found.attr.name.to_owned(),
            coerce(found.attr, value.clone(), found.attr.name)?,
        );
    }
    check_present(rt.schema, &out, |a| a.required && !a.defaulted)?;
    if let Some(current) = current.and_then(Value::as_object) {
        check_immutable(rt.schema.attributes, current, &out)?;
    }
    *body = Value::Object(out);
    Ok(())
}

/// The attributes of `schema` that must be present: `invalidValue` naming the first missing.
pub(crate) fn check_required(
    schema: &Schema,
    obj: &Map<String, Value>,
) -> Result<(), RequestError> {
    check_present(schema, obj, |a| a.required)
}

/// Every attribute `wanted` picks is present in `obj`.
fn check_present(
    schema: &Schema,
    obj: &Map<String, Value>,
    wanted: impl Fn(&Attribute) -> bool,
) -> Result<(), RequestError> {
    for attr in schema.attributes.iter().filter(|a| wanted(a)) {
        if !get_ci(obj, attr.name).is_some_and(crate::json::is_present) {
            return Err(RequestError::InvalidValue(format!(
                "the attribute {} is required",
                attr.name
            )));
        }
    }
    Ok(())
}

fn check_immutable(
    attrs: &[Attribute],
    current: &Map<String, Value>,
    new: &Map<String, Value>,
) -> Result<(), RequestError> {
    for attr in attrs
        .iter()
        .filter(|a| a.mutability == Mutability::Immutable)
    {
        let old = get_ci(current, attr.name).filter(|v| crate::json::is_present(v));
        if let Some(old) = old {
            if get_ci(new, attr.name) != Some(old) {
                return Err(RequestError::Mutability(format!(
                    "the attribute {} is immutable",
                    attr.name
                )));
            }
        }
    }
    Ok(())
}

/// `value` as a value of `attr` (`label` names it in errors). `null` stays `null`: clearing.
pub(crate) fn coerce(attr: &Attribute, value: Value, label: &str) -> Result<Value, RequestError> {
    if value.is_null() {
        return Ok(Value::Null);
    }
    if !attr.multi_valued {
        return coerce_one(attr, value, label);
    }
    let items = match value {
        Value::Array(items) => items,
        one => vec![one],
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if !item.is_null() {
            out.push(coerce_one(attr, item, label)?);
        }
    }
    Ok(Value::Array(out))
}

/// One value (an element, for a multi-valued attribute).
pub(crate) fn coerce_one(
    attr: &Attribute,
    value: Value,
    label: &str,
) -> Result<Value, RequestError> {
    let wrong = || {
        RequestError::InvalidValue(format!(
            "the attribute {label} must be {}",
            match attr.ty {
                AttrType::String | AttrType::Reference | AttrType::Binary => "a string",
                AttrType::Boolean => "a boolean",
                AttrType::Decimal | AttrType::Integer => "a number",
                AttrType::DateTime => "a date and time (RFC 3339)",
                AttrType::Complex => "an object",
            }
        ))
    };
    match (attr.ty, value) {
        (_, Value::Null) => Ok(Value::Null),
        (AttrType::Complex, v @ Value::Object(_)) => check_object_attrs(attr, &v, label),
        (AttrType::Boolean, Value::Bool(b)) => Ok(Value::Bool(b)),
        (AttrType::Boolean, Value::String(s)) => bool_text(&s).map(Value::Bool).ok_or_else(wrong),
        (AttrType::String | AttrType::Reference | AttrType::Binary, v @ Value::String(_)) => Ok(v),
        (AttrType::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(Value::Number(n)),
        (AttrType::Decimal, v @ Value::Number(_)) => Ok(v),
        (AttrType::DateTime, Value::String(s)) => chrono::DateTime::parse_from_rfc3339(&s)
            .map(|_| Value::String(s))
            .map_err(|_| wrong()),
        _ => Err(wrong()),
    }
}

fn check_object_attrs(attr: &Attribute, value: &Value, label: &str) -> Result<Value, RequestError> {
    let checked = check_sub_object(attr.sub_attributes, value, label)?;
    if let Some(obj) = checked.as_object() {
        for sub in attr.sub_attributes.iter().filter(|s| s.required) {
            if !get_ci(obj, sub.name).is_some_and(crate::json::is_present) {
                return Err(RequestError::InvalidValue(format!(
                    "every element of {label} needs a {}",
                    sub.name
                )));
            }
        }
    }
    Ok(checked)
}

/// An object of `attrs`: each checked, readOnly and unknown ones dropped.
fn check_sub_object(
    attrs: &[Attribute],
    value: &Value,
    label: &str,
) -> Result<Value, RequestError> {
    let Some(obj) = value.as_object() else {
        return Err(RequestError::InvalidValue(format!(
            "the attribute {label} must be an object"
        )));
    };
    let mut out = Map::new();
    for attr in attrs.iter().filter(|a| a.writable()) {
        if let Some(key) = key_ci(obj, attr.name) {
            let sub_label = format!("{label}.{}", attr.name);
            let v = coerce(attr, obj[key].clone(), &sub_label)?;
            out.insert(attr.name.to_owned(), v);
        }
    }
    Ok(Value::Object(out))
}
