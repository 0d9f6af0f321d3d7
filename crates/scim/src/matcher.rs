//! Evaluates a filter against resource JSON: the value filters of PATCH paths
//! (`members[value eq "..."]`, `emails[type eq "work" and primary eq true]`) and, for tests, a
//! whole resource. Comparisons follow the attribute's definition: `caseExact`, and dateTime
//! attributes compared as instants. Never used to answer a list query: those go to the store.

use std::cmp::Ordering;

use chrono::{DateTime, FixedOffset};
use serde_json::Value as Json;

use crate::filter::{AttrPath, CompareOp, Filter, Value};
use crate::json::get_ci;
use crate::schema::{AttrType, Attribute, ResourceType};

/// Whether `value` matches `filter`. With `within` (a multi-valued complex attribute), `value`
/// is one of its elements and the filter's paths name its sub-attributes; without, `value` is a
/// resource of type `rt`.
pub fn matches(
    rt: &ResourceType,
    within: Option<&'static Attribute>,
    filter: &Filter,
    value: &Json,
) -> bool {
    Scope { rt, within }.eval(filter, value)
}

#[derive(Clone, Copy)]
struct Scope<'a> {
    rt: &'a ResourceType,
    within: Option<&'static Attribute>,
}

impl Scope<'_> {
    fn eval(self, filter: &Filter, value: &Json) -> bool {
        match filter {
            Filter::Present(attr) => {
                let (_, values) = self.values(attr, value, false);
                values.iter().any(|v| crate::json::is_present(v))
            }
            Filter::Compare {
                attr,
                op,
                value: wanted,
            } => {
                let (def, values) = self.values(attr, value, false);
                if values.is_empty() {
                    return *op == CompareOp::Ne && *wanted != Value::Null;
                }
                values.iter().any(|v| compare(def, v, *op, wanted))
            }
            Filter::ValuePath { attr, filter } => {
                let (def, values) = self.values(attr, value, true);
                let inner = Scope {
                    rt: self.rt,
                    within: def.filter(|d| d.ty == AttrType::Complex),
                };
                values.iter().any(|v| inner.eval(filter, v))
            }
            Filter::Not(inner) => !self.eval(inner, value),
            Filter::And(items) => items.iter().all(|f| self.eval(f, value)),
            Filter::Or(items) => items.iter().any(|f| self.eval(f, value)),
        }
    }

    /// The definition of `attr` (if the schema has it) and the JSON values it names in `value`,
    /// arrays flattened. A complex attribute compared as a whole (`emails co "@x"`) stands for
    /// its elements' `value`s, unless `elements` (a value path wants the elements).
    fn values<'v>(
        self,
        attr: &AttrPath,
        value: &'v Json,
        elements: bool,
    ) -> (Option<&'static Attribute>, Vec<&'v Json>) {
        let Some(obj) = value.as_object() else {
            return (None, Vec::new());
        };
        if let Some(parent) = self.within {
            let def = parent.sub(&attr.name);
            let found = get_ci(obj, &attr.name);
            return (def, flatten(found));
        }
        let resolved = self.rt.resolve(attr);
        let container = match resolved.and_then(|r| r.extension) {
            Some(ext) => get_ci(obj, ext.id).and_then(Json::as_object),
            None => Some(obj),
        };
        let Some(container) = container else {
            return (resolved.map(|r| r.target()), Vec::new());
        };
        let top = get_ci(container, &attr.name);
        match &attr.sub {
            Some(sub) => {
                let values = flatten(top)
                    .into_iter()
                    .filter_map(|v| v.as_object().and_then(|o| get_ci(o, sub)))
                    .flat_map(|v| flatten(Some(v)))
                    .collect();
                (resolved.map(|r| r.target()), values)
            }
            None => {
                let def = resolved.map(|r| r.attr);
                let values = flatten(top);
                if !elements && def.is_some_and(|d| d.ty == AttrType::Complex) {
                    let value_def = def.and_then(|d| d.sub("value"));
                    let inner = values
                        .into_iter()
                        .filter_map(|v| v.as_object().and_then(|o| get_ci(o, "value")))
                        .collect();
                    return (value_def, inner);
                }
                (def, values)
            }
        }
    }
}

fn flatten(value: Option<&Json>) -> Vec<&Json> {
    match value {
        None | Some(Json::Null) => Vec::new(),
        Some(Json::Array(items)) => items.iter().filter(|v| !v.is_null()).collect(),
        Some(v) => vec![v],
    }
}

/// One comparison of a JSON value with a filter literal.
fn compare(def: Option<&Attribute>, actual: &Json, op: CompareOp, wanted: &Value) -> bool {
    let ty = def.map(|d| d.ty);
    let ordering = match (actual, wanted) {
        (Json::Null, Value::Null) => Some(Ordering::Equal),
        (_, Value::Null) => None,
        (Json::Bool(a), Value::Bool(b)) => eq_only(a == b),
        (Json::String(a), Value::Bool(b)) if ty == Some(AttrType::Boolean) => {
            crate::input::bool_text(a)
                .map(|a| a == *b)
                .and_then(eq_only)
        }
        (Json::Number(a), Value::Number(b)) => a
            .as_f64()
            .zip(b.as_f64())
            .and_then(|(a, b)| a.partial_cmp(&b)),
        (Json::String(a), Value::String(b)) => {
            return compare_strings(def, a, op, b);
        }
        _ => None,
    };
    match ordering {
        None => op == CompareOp::Ne && *wanted != Value::Null,
        Some(ord) => ordered(op, ord),
    }
}

/// `Some(Equal)` or `Some(Greater)` (any inequality) for types with no order.
fn eq_only(equal: bool) -> Option<Ordering> {
    Some(if equal {
        Ordering::Equal
    } else {
        Ordering::Greater
    })
}

fn ordered(op: CompareOp, ord: Ordering) -> bool {
    match op {
        CompareOp::Eq => ord == Ordering::Equal,
        CompareOp::Ne => ord != Ordering::Equal,
        CompareOp::Gt => ord == Ordering::Greater,
        CompareOp::Ge => ord != Ordering::Less,
        CompareOp::Lt => ord == Ordering::Less,
        CompareOp::Le => ord != Ordering::Greater,
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => false,
    }
}

fn compare_strings(def: Option<&Attribute>, actual: &str, op: CompareOp, wanted: &str) -> bool {
    if def.is_some_and(|d| d.ty == AttrType::DateTime) {
        if let (Some(a), Some(b)) = (instant(actual), instant(wanted)) {
            if !matches!(op, CompareOp::Co | CompareOp::Sw | CompareOp::Ew) {
                return ordered(op, a.cmp(&b));
            }
        }
    }
    let exact = def.is_some_and(|d| d.case_exact);
    let (a, b) = if exact {
        (actual.to_owned(), wanted.to_owned())
    } else {
        (actual.to_lowercase(), wanted.to_lowercase())
    };
    match op {
        CompareOp::Co => a.contains(&b),
        CompareOp::Sw => a.starts_with(&b),
        CompareOp::Ew => a.ends_with(&b),
        _ => ordered(op, a.cmp(&b)),
    }
}

fn instant(text: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text).ok()
}
