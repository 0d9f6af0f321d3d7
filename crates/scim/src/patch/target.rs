//! One operation at one resolved attribute: with a plain path (`displayName`, `name.givenName`,
//! `emails`, `urn:...:User:employeeNumber`) or a value-filter path (`emails[type eq "work"].value`,
//! `members[value eq "..."]`). Mutability is checked here, values coerced by the schema.

use serde_json::{Map, Value};

use super::op::OpKind;
use super::run::{AttrRef, Run};
use crate::filter::{CompareOp, Filter, Value as Literal};
use crate::input::{coerce, coerce_one};
use crate::json::{get_ci, get_ci_mut, remove_ci, set_ci};
use crate::request_error::RequestError;
use crate::schema::{Attribute, Mutability, Resolved};

/// The object holding `found`'s attribute: the resource, or its extension's object (created
/// when `create`).
fn container<'m>(
    root: &'m mut Map<String, Value>,
    found: &Resolved,
    create: bool,
) -> Option<&'m mut Map<String, Value>> {
    let Some(ext) = found.extension else {
        return Some(root);
    };
    if create && !get_ci(root, ext.id).is_some_and(Value::is_object) {
        set_ci(root, ext.id, Value::Object(Map::new()));
    }
    get_ci_mut(root, ext.id).and_then(Value::as_object_mut)
}

fn label(found: &Resolved) -> String {
    match found.sub {
        Some(sub) => format!("{}.{}", found.attr.name, sub.name),
        None => found.attr.name.to_owned(),
    }
}

fn mutability(what: &str, why: &str) -> RequestError {
    RequestError::Mutability(format!("the attribute {what} is {why}"))
}

/// An operation at `found` without value filter. A `null` value is a removal.
pub(super) fn at(
    run: &mut Run<'_>,
    found: Resolved,
    kind: OpKind,
    value: Option<Value>,
) -> Result<(), RequestError> {
    run.touched.insert(AttrRef {
        schema: found.schema.id,
        name: found.attr.name,
    });
    let name = label(&found);
    let remove = kind == OpKind::Remove || value.as_ref().is_some_and(Value::is_null);
    let coerced = match (&value, remove) {
        (Some(v), false) => Some(match found.sub {
            Some(sub) => coerce(sub, v.clone(), &name)?,
            None => coerce(found.attr, v.clone(), &name)?,
        }),
        _ => None,
    };
    let Some(obj) = container(run.root, &found, !remove) else {
        return Ok(());
    };
    let current = get_ci(obj, found.attr.name).cloned();
    check_mutability(&found, &name, remove, current.as_ref(), coerced.as_ref())?;
    let attr = found.attr;
    match (found.sub, coerced) {
        (None, None) => {
            if let (true, Some(Value::Array(given))) = (attr.multi_valued, &value) {
                // Entra ID removes members with `path: members` and the values to remove.
                let given = coerce(attr, Value::Array(given.clone()), &name)?;
                if let (Some(Value::Array(mut items)), Value::Array(gone)) = (current, given) {
                    items.retain(|item| !gone.iter().any(|g| same_element(item, g)));
                    set_ci(obj, attr.name, Value::Array(items));
                }
            } else {
                remove_ci(obj, attr.name);
            }
        }
        (None, Some(new)) => set_ci(obj, attr.name, merged(attr, kind, current, new)),
        (Some(sub), new) => {
            let new = new.unwrap_or(Value::Null);
            let mut holder = current.unwrap_or(Value::Null);
            match &mut holder {
                Value::Array(items) if items.is_empty() && !new.is_null() => {
                    // A new element of only this sub-attribute: it must make a whole element
                    // (`emails.type` alone is an address without value).
                    let element = Value::Object(Map::from_iter([(sub.name.to_owned(), new)]));
                    items.push(coerce_one(attr, element, attr.name)?);
                }
                Value::Array(items) => {
                    for item in items.iter_mut().filter_map(Value::as_object_mut) {
                        set_ci(item, sub.name, new.clone());
                    }
                }
                Value::Object(inner) => set_ci(inner, sub.name, new),
                _ if new.is_null() => {}
                _ => {
                    let inner = Value::Object(Map::from_iter([(sub.name.to_owned(), new)]));
                    let inner = coerce_one(attr, inner, attr.name)?;
                    holder = if attr.multi_valued {
                        Value::Array(vec![inner])
                    } else {
                        inner
                    };
                }
            }
            set_ci(obj, attr.name, holder);
        }
    }
    Ok(())
}

/// readOnly attributes change never (writing the value they hold is allowed: Okta sends the
/// `id` back); immutable ones only from nothing; required ones are not removed.
fn check_mutability(
    found: &Resolved,
    name: &str,
    remove: bool,
    current: Option<&Value>,
    new: Option<&Value>,
) -> Result<(), RequestError> {
    let target = found.target();
    let current_target = match (found.sub, current) {
        (Some(sub), Some(Value::Object(o))) => get_ci(o, sub.name),
        (Some(_), _) => None,
        (None, c) => c,
    };
    let set = current_target.is_some_and(crate::json::is_present);
    let same = current_target == new;
    for def in [found.attr, target] {
        match def.mutability {
            Mutability::ReadOnly if !same => return Err(mutability(name, "readOnly")),
            Mutability::Immutable if set && !same && (remove || def.sub_attributes.is_empty()) => {
                return Err(mutability(name, "immutable"))
            }
            _ => {}
        }
    }
    if remove && target.required && (found.sub.is_some() || found.attr.required) {
        return Err(mutability(name, "required"));
    }
    Ok(())
}

/// The attribute's new value: add appends to a list (no duplicates) and merges into a complex
/// value; replace sets a list whole and merges a complex value (RFC 7644 section 3.5.2.3).
fn merged(attr: &Attribute, kind: OpKind, current: Option<Value>, new: Value) -> Value {
    match (current, new) {
        (Some(Value::Array(mut items)), Value::Array(added)) if kind == OpKind::Add => {
            if added.iter().any(is_primary) {
                items.iter_mut().for_each(clear_primary);
            }
            for item in added {
                if !items.iter().any(|i| same_element(i, &item)) {
                    items.push(item);
                }
            }
            Value::Array(items)
        }
        (Some(Value::Object(mut inner)), Value::Object(given)) if !attr.multi_valued => {
            for (k, v) in given {
                set_ci(&mut inner, &k, v);
            }
            Value::Object(inner)
        }
        (_, new) => new,
    }
}

fn is_primary(v: &Value) -> bool {
    v.get("primary") == Some(&Value::Bool(true))
}

fn clear_primary(v: &mut Value) {
    if let Some(obj) = v.as_object_mut() {
        obj.remove("primary");
    }
}

/// Two elements of a multi-valued attribute are the same when their `value`s are (a member
/// added twice, with or without `display`), or, without `value`, when they are equal.
fn same_element(a: &Value, b: &Value) -> bool {
    let value = |v: &Value| v.as_object().and_then(|o| get_ci(o, "value")).cloned();
    match (value(a), value(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// An operation on the elements of multi-valued `found` that match `filter`.
pub(super) fn filtered(
    run: &mut Run<'_>,
    found: Resolved,
    filter: &Filter,
    sub: Option<&'static Attribute>,
    kind: OpKind,
    value: Option<Value>,
) -> Result<(), RequestError> {
    run.touched.insert(AttrRef {
        schema: found.schema.id,
        name: found.attr.name,
    });
    let attr = found.attr;
    let rt = run.rt;
    let name = match sub {
        Some(s) => format!("{}[{filter}].{}", attr.name, s.name),
        None => format!("{}[{filter}]", attr.name),
    };
    let Some(obj) = container(run.root, &found, kind != OpKind::Remove) else {
        return Err(RequestError::NoTarget(format!(
            "no value of {name} matched"
        )));
    };
    let mut items = match get_ci(obj, attr.name) {
        Some(Value::Array(items)) => items.clone(),
        _ => Vec::new(),
    };
    let hits: Vec<usize> = (0..items.len())
        .filter(|&i| crate::matcher::matches(rt, Some(attr), filter, &items[i]))
        .collect();
    if kind == OpKind::Remove {
        if hits.is_empty() {
            return Err(RequestError::NoTarget(format!(
                "no value of {name} matched"
            )));
        }
        match sub {
            Some(s) if s.required => {
                return Err(mutability(&name, "required"))
            }
            Some(s) if s.mutability != Mutability::ReadWrite => {
                return Err(mutability(&name, s.mutability.as_str()))
            }
            Some(s) => hits.iter().for_each(|&i| {
                if let Some(o) = items[i].as_object_mut() {
                    remove_ci(o, s.name);
                }
            }),
            None => {
                let mut i = 0;
                items.retain(|_| {
                    i += 1;
                    !hits.contains(&(i - 1))
                });
            }
        }
        set_ci(obj, attr.name, Value::Array(items));
        return Ok(());
    }
    let Some(value) = value else {
        return Err(RequestError::InvalidSyntax(format!(
            "{} needs a value",
            kind.as_str()
        )));
    };
    if let Some(s) = sub.filter(|s| s.mutability != Mutability::ReadWrite) {
        // Writing the value each matched element already has changes nothing (a client that
        // sends `emails[type eq "work"].primary` true); anything else is refused.
        let given = coerce(s, value.clone(), &name)?;
        let same = !hits.is_empty()
            && hits
                .iter()
                .all(|&i| items[i].as_object().and_then(|o| get_ci(o, s.name)) == Some(&given));
        if same {
            return Ok(());
        }
        return Err(mutability(&name, s.mutability.as_str()));
    }
    if hits.is_empty() {
        // RFC 7644 3.5.2.3: a target that does not exist is added. The filter's `eq` terms say
        // what the new element is (`phoneNumbers[type eq "work"].value` on a user with none).
        let Some(mut element) = element_from(filter) else {
            return Err(RequestError::NoTarget(format!(
                "no value of {name} matched"
            )));
        };
        match (sub, value) {
            (Some(s), v) => {
                element.insert(s.name.to_owned(), v);
            }
            (None, Value::Object(given)) => element.extend(given),
            (None, _) => {
                return Err(RequestError::InvalidValue(format!(
                    "{name} needs an object"
                )))
            }
        }
        items.push(coerce_one(attr, Value::Object(element), &name)?);
    } else {
        for &i in &hits {
            let new = match sub {
                Some(s) => {
                    let v = coerce(s, value.clone(), &name)?;
                    let mut o = items[i].as_object().cloned().unwrap_or_default();
                    set_ci(&mut o, s.name, v);
                    Value::Object(o)
                }
                None => {
                    let v = coerce_one(attr, single(&value), &name)?;
                    match (kind, &items[i], v) {
                        (OpKind::Add, Value::Object(o), Value::Object(given)) => {
                            let mut o = o.clone();
                            o.extend(given);
                            Value::Object(o)
                        }
                        (_, _, v) => v,
                    }
                }
            };
            items[i] = new;
        }
    }
    if items.iter().filter(|v| is_primary(v)).count() > 1 {
        return Err(RequestError::InvalidValue(format!(
            "{name}: only one value may be primary"
        )));
    }
    set_ci(obj, attr.name, Value::Array(items));
    Ok(())
}

/// A value given as a one-element list stands for that element.
fn single(value: &Value) -> Value {
    match value {
        Value::Array(items) if items.len() == 1 => items[0].clone(),
        v => v.clone(),
    }
}

/// The element an `eq` filter (or an `and` of them) describes, if that is what it is.
fn element_from(filter: &Filter) -> Option<Map<String, Value>> {
    let mut out = Map::new();
    let terms: Vec<&Filter> = match filter {
        Filter::And(items) => items.iter().collect(),
        f => vec![f],
    };
    for term in terms {
        let Filter::Compare {
            attr,
            op: CompareOp::Eq,
            value,
        } = term
        else {
            return None;
        };
        let v = match value {
            Literal::Null => return None,
            Literal::Bool(b) => Value::Bool(*b),
            Literal::Number(n) => Value::Number(n.clone()),
            Literal::String(s) => Value::String(s.clone()),
        };
        if attr.sub.is_some() {
            return None;
        }
        out.insert(attr.name.clone(), v);
    }
    Some(out)
}
