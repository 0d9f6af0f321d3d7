//! The member deltas of a Group PatchOp: which user ids it adds, removes, or sets as the whole
//! list, so that a dialect changes a group of a million members without loading them. The
//! operations that are not about members are handed back as a PatchOp of their own.

use serde_json::{Map, Value};

use super::op::{OpKind, PatchOp, PatchOperation};
use crate::filter::{AttrPath, CompareOp, Filter, Value as Literal};
use crate::json::{get_ci, key_ci};
use crate::path::PatchPath;
use crate::request_error::RequestError;
use crate::schema::urn;

/// The net change of a group's members, ids as the client sent them (the dialect checks them).
/// Folded in order: after `replace_all` is set, later adds and removes edit that list, so
/// `add` and `remove` are empty whenever `replace_all` is `Some`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberChanges {
    pub replace_all: Option<Vec<String>>,
    pub add: Vec<String>,
    pub remove: Vec<String>,
}

impl MemberChanges {
    /// Whether the patch leaves the members alone.
    pub fn is_empty(&self) -> bool {
        self.replace_all.is_none() && self.add.is_empty() && self.remove.is_empty()
    }

    fn add(&mut self, id: String) {
        match &mut self.replace_all {
            Some(all) if !all.contains(&id) => all.push(id),
            Some(_) => {}
            None => {
                self.remove.retain(|r| *r != id);
                if !self.add.contains(&id) {
                    self.add.push(id);
                }
            }
        }
    }

    fn remove(&mut self, id: String) {
        match &mut self.replace_all {
            Some(all) => all.retain(|r| *r != id),
            None => {
                self.add.retain(|a| *a != id);
                if !self.remove.contains(&id) {
                    self.remove.push(id);
                }
            }
        }
    }

    fn replace(&mut self, ids: Vec<String>) {
        self.add.clear();
        self.remove.clear();
        self.replace_all = Some(Vec::new());
        for id in ids {
            self.add(id);
        }
    }
}

/// The member deltas, and the rest of the patch.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberPlan {
    pub members: MemberChanges,
    /// The operations about other attributes, in order; possibly none.
    pub rest: Vec<PatchOperation>,
}

/// Splits a Group PatchOp into member deltas and the rest. `Ok(None)` when an operation on
/// members cannot be told by ids alone (a filter on `display`, a path to `members.value`):
/// then load the members and use `apply_patch`.
pub fn member_changes(patch: &PatchOp) -> Result<Option<MemberPlan>, RequestError> {
    let mut members = MemberChanges::default();
    let mut rest = Vec::new();
    for op in &patch.operations {
        let PatchOperation {
            op: kind,
            path,
            value,
        } = op;
        match path {
            None => {
                let Some(Value::Object(map)) = value else {
                    rest.push(op.clone());
                    continue;
                };
                let Some(key) = key_ci(map, "members") else {
                    rest.push(op.clone());
                    continue;
                };
                let ids = ids(map.get(key))?;
                if *kind == OpKind::Replace {
                    members.replace(ids);
                } else {
                    ids.into_iter().for_each(|id| members.add(id));
                }
                let others: Map<String, Value> = map
                    .iter()
                    .filter(|(k, _)| *k != key)
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                if !others.is_empty() {
                    rest.push(PatchOperation {
                        op: *kind,
                        path: None,
                        value: Some(Value::Object(others)),
                    });
                }
            }
            Some(PatchPath::Attr(attr)) if is_members(attr) => {
                if attr.sub.is_some() {
                    return Ok(None);
                }
                let given = ids(value.as_ref())?;
                match kind {
                    OpKind::Add => given.into_iter().for_each(|id| members.add(id)),
                    OpKind::Replace => members.replace(given),
                    // Without values `remove members` empties the group (RFC 7644 3.5.2.2);
                    // with them (Entra ID) it removes those.
                    OpKind::Remove if given.is_empty() => members.replace(Vec::new()),
                    OpKind::Remove => given.into_iter().for_each(|id| members.remove(id)),
                }
            }
            Some(PatchPath::Filtered { attr, filter, sub }) if is_members(attr) => {
                let (OpKind::Remove, None, Some(found)) = (kind, sub, filter_ids(filter)) else {
                    return Ok(None);
                };
                found.into_iter().for_each(|id| members.remove(id));
            }
            Some(_) => rest.push(op.clone()),
        }
    }
    Ok(Some(MemberPlan { members, rest }))
}

fn is_members(attr: &AttrPath) -> bool {
    attr.name.eq_ignore_ascii_case("members")
        && attr
            .urn
            .as_deref()
            .is_none_or(|u| u.eq_ignore_ascii_case(urn::GROUP))
}

/// The `value`s of a members value: a list of `{"value": id, ...}`, or one of them.
fn ids(value: Option<&Value>) -> Result<Vec<String>, RequestError> {
    let items: Vec<&Value> = match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().filter(|v| !v.is_null()).collect(),
        Some(one) => vec![one],
    };
    items
        .into_iter()
        .map(
            |item| match item.as_object().and_then(|o| get_ci(o, "value")) {
                Some(Value::String(id)) if !id.trim().is_empty() => Ok(id.trim().to_owned()),
                _ => Err(RequestError::InvalidValue(
                    "each member needs its value, the id of a user, as a string".to_owned(),
                )),
            },
        )
        .collect()
}

/// The ids of `value eq "id"`, or of an `or` of such terms; `None` for any other filter.
fn filter_ids(filter: &Filter) -> Option<Vec<String>> {
    let terms: Vec<&Filter> = match filter {
        Filter::Or(items) => items.iter().collect(),
        f => vec![f],
    };
    terms
        .into_iter()
        .map(|t| match t {
            Filter::Compare {
                attr,
                op: CompareOp::Eq,
                value: Literal::String(id),
            } if attr.urn.is_none()
                && attr.sub.is_none()
                && attr.name.eq_ignore_ascii_case("value") =>
            {
                Some(id.clone())
            }
            _ => None,
        })
        .collect()
}
