//! A parsed filter checked against a resource type's schema before it is translated into a
//! store query: every attribute exists, value paths filter multi-valued complex attributes by
//! their sub-attributes, and each operator suits its attribute's type (RFC 7644 section
//! 3.4.2.2: `gt`/`ge`/`lt`/`le` on a boolean, or `co`/`sw`/`ew` on a non-string, is an error).
//! The filter grammar knows no schema; this is where `invalidFilter` learns of one.

use crate::filter::{AttrPath, CompareOp, Filter, Value};
use crate::request_error::RequestError;
use crate::schema::{AttrType, Attribute, ResourceType};

/// `Ok` when `filter` can be answered for resources of type `rt`.
pub fn check_filter(rt: &ResourceType, filter: &Filter) -> Result<(), RequestError> {
    check(rt, None, filter)
}

fn check(
    rt: &ResourceType,
    within: Option<&'static Attribute>,
    filter: &Filter,
) -> Result<(), RequestError> {
    match filter {
        Filter::Present(attr) => resolve(rt, within, attr).map(|_| ()),
        Filter::Compare { attr, op, value } => {
            let def = resolve(rt, within, attr)?;
            compatible(attr, def, *op, value)
        }
        Filter::ValuePath { attr, filter } => {
            let def = resolve(rt, within, attr)?;
            if def.ty != AttrType::Complex {
                return Err(invalid(format!(
                    "{attr} has no sub-attributes to filter by"
                )));
            }
            check(rt, Some(def), filter)
        }
        Filter::Not(inner) => check(rt, within, inner),
        Filter::And(items) | Filter::Or(items) => {
            items.iter().try_for_each(|f| check(rt, within, f))
        }
    }
}

fn invalid(detail: String) -> RequestError {
    RequestError::InvalidFilter(format!("the filter {detail}"))
}

/// The attribute a filter path ends at: inside a value path, a sub-attribute of the outer one.
fn resolve(
    rt: &ResourceType,
    within: Option<&'static Attribute>,
    attr: &AttrPath,
) -> Result<&'static Attribute, RequestError> {
    let found = match within {
        Some(parent) if attr.urn.is_none() && attr.sub.is_none() => parent.sub(&attr.name),
        Some(_) => None,
        None => rt.resolve(attr).map(|r| r.target()),
    };
    found.ok_or_else(|| {
        invalid(format!(
            "names {attr}, which is not an attribute of a {}",
            rt.id
        ))
    })
}

fn compatible(
    attr: &AttrPath,
    def: &Attribute,
    op: CompareOp,
    value: &Value,
) -> Result<(), RequestError> {
    // A complex attribute compared as a whole compares its `value` sub-attribute.
    let ty = match def.ty {
        AttrType::Complex => def.sub("value").map_or(AttrType::Complex, |v| v.ty),
        ty => ty,
    };
    let substring = matches!(op, CompareOp::Co | CompareOp::Sw | CompareOp::Ew);
    let ordering = matches!(
        op,
        CompareOp::Gt | CompareOp::Ge | CompareOp::Lt | CompareOp::Le
    );
    let fits = match (ty, value) {
        (_, Value::Null) => matches!(op, CompareOp::Eq | CompareOp::Ne),
        (AttrType::Complex, _) => false,
        (AttrType::Boolean, Value::Bool(_)) => !substring && !ordering,
        (AttrType::Boolean, _) => false,
        (AttrType::Integer | AttrType::Decimal, Value::Number(_)) => !substring,
        (AttrType::Integer | AttrType::Decimal, _) => false,
        (AttrType::DateTime, Value::String(s)) => {
            substring || chrono::DateTime::parse_from_rfc3339(s).is_ok()
        }
        (AttrType::String | AttrType::Reference | AttrType::Binary, Value::String(_)) => true,
        (_, _) => false,
    };
    if fits {
        Ok(())
    } else {
        Err(invalid(format!(
            "compares {attr} ({}) with {op} {}",
            ty.as_str(),
            match value {
                Value::Null => "null",
                Value::Bool(_) => "a boolean",
                Value::Number(_) => "a number",
                Value::String(_) => "a string",
            }
        )))
    }
}
