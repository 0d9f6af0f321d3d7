//! Applying a PatchOp to a resource's JSON: operations in order, on a copy, so that a failing
//! operation leaves the resource as it was (a PATCH is all or nothing).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::op::{OpKind, PatchOp, PatchOperation};
use super::run::{AttrRef, Run};
use super::target::{at, filtered};
use crate::filter::AttrPath;
use crate::path::PatchPath;
use crate::request_error::RequestError;
use crate::schema::{Resolved, ResourceType};

/// What a patch did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchOutcome {
    /// Every attribute an operation aimed at, changed or not.
    pub touched: BTreeSet<AttrRef>,
    /// Whether the resource is different afterwards.
    pub changed: bool,
}

/// Applies `patch` to `resource` (the SCIM JSON of a resource of type `rt`, every attribute
/// present). On error `resource` is left unchanged.
pub fn apply_patch(
    rt: &ResourceType,
    resource: &mut Value,
    patch: &PatchOp,
) -> Result<PatchOutcome, RequestError> {
    let Some(before) = resource.as_object() else {
        return Err(RequestError::InvalidSyntax(format!(
            "a {} must be a JSON object",
            rt.id
        )));
    };
    let mut work = before.clone();
    let mut touched = BTreeSet::new();
    for op in &patch.operations {
        let mut run = Run {
            rt,
            root: &mut work,
            touched: &mut touched,
        };
        run.operation(op)?;
    }
    tidy(rt, &mut work);
    crate::input::check_required(rt.schema, &work)
        .map_err(|e| RequestError::Mutability(format!("{} and cannot be removed", e.detail())))?;
    // Compared tidied, so that an empty list the dialect rendered is no change.
    let mut tidied = before.clone();
    tidy(rt, &mut tidied);
    let changed = tidied != work;
    *resource = Value::Object(work);
    Ok(PatchOutcome { touched, changed })
}

impl Run<'_> {
    fn operation(&mut self, op: &PatchOperation) -> Result<(), RequestError> {
        let PatchOperation {
            op: kind,
            path,
            value,
        } = op;
        match path {
            None => self.no_path(*kind, value.as_ref()),
            Some(PatchPath::Attr(attr)) => {
                if let Some(ext) = self.rt.extension(&attr.qualified()) {
                    return self.whole_extension(*kind, ext, value.as_ref());
                }
                if self.rt.resolve(attr).is_none() && self.rt.is_unkept(attr) {
                    return Ok(());
                }
                let found = self.resolve(&attr.qualified(), self.rt.resolve(attr))?;
                at(self, found, *kind, value.clone())
            }
            Some(PatchPath::Filtered { attr, filter, sub }) => {
                let unkept = AttrPath {
                    urn: attr.urn.clone(),
                    name: attr.name.clone(),
                    sub: sub.clone(),
                };
                if self.rt.is_unkept(attr) || self.rt.is_unkept(&unkept) {
                    return Ok(());
                }
                let found = self.resolve(&attr.qualified(), self.rt.resolve(attr))?;
                if !found.attr.multi_valued || found.attr.sub_attributes.is_empty() {
                    return Err(RequestError::InvalidPath(format!(
                        "the path filters {}, which is not a multi-valued complex attribute",
                        found.attr.name
                    )));
                }
                let sub = match sub {
                    Some(name) => Some(found.attr.sub(name).ok_or_else(|| {
                        RequestError::InvalidPath(format!(
                            "the path names {}.{name}, which is not an attribute of a {}",
                            found.attr.name, self.rt.id
                        ))
                    })?),
                    None => None,
                };
                filtered(self, found, filter, sub, *kind, value.clone())
            }
        }
    }

    fn resolve(&self, text: &str, found: Option<Resolved>) -> Result<Resolved, RequestError> {
        found.ok_or_else(|| {
            RequestError::InvalidPath(format!(
                "the path {text} names no attribute of a {}",
                self.rt.id
            ))
        })
    }

    /// No path: the value's keys name the attributes (`{"active": false}`), also dotted
    /// (`name.givenName`), URN-qualified, or an extension's URN holding its attributes.
    fn no_path(&mut self, kind: OpKind, value: Option<&Value>) -> Result<(), RequestError> {
        let Some(Value::Object(map)) = value else {
            return Err(RequestError::InvalidSyntax(
                "an operation without path needs an object value".to_owned(),
            ));
        };
        for (key, v) in map {
            if key.eq_ignore_ascii_case("schemas") {
                continue;
            }
            if let Some(ext) = self.rt.extension(key) {
                self.whole_extension(kind, ext, Some(v))?;
                continue;
            }
            // Attributes Rosetta does not keep are ignored, as on POST and PUT.
            if let Some(found) = self.rt.resolve_str(key) {
                at(self, found, kind, Some(v.clone()))?;
            }
        }
        Ok(())
    }

    /// A path or key that is an extension's URN: its value holds the extension's attributes.
    fn whole_extension(
        &mut self,
        kind: OpKind,
        ext: &'static crate::schema::Schema,
        value: Option<&Value>,
    ) -> Result<(), RequestError> {
        if kind == OpKind::Remove || value.is_some_and(Value::is_null) {
            for attr in ext.attributes {
                let found = Resolved {
                    schema: ext,
                    extension: Some(ext),
                    attr,
                    sub: None,
                };
                at(self, found, OpKind::Remove, None)?;
            }
            return Ok(());
        }
        let Some(Value::Object(map)) = value else {
            return Err(RequestError::InvalidValue(format!(
                "the value of {} must be an object",
                ext.id
            )));
        };
        for (key, v) in map {
            if let Some(attr) = ext.attribute(key) {
                let found = Resolved {
                    schema: ext,
                    extension: Some(ext),
                    attr,
                    sub: None,
                };
                at(self, found, kind, Some(v.clone()))?;
            }
        }
        Ok(())
    }
}

/// Drops what holds nothing (nulls, empty lists and objects, an emptied extension), so the
/// result reads as a resource the dialect renders.
fn tidy(rt: &ResourceType, root: &mut Map<String, Value>) {
    for ext in rt.extensions {
        if let Some(Value::Object(inner)) = crate::json::get_ci_mut(root, ext.id) {
            tidy_object(inner);
        }
    }
    tidy_object(root);
}

fn tidy_object(obj: &mut Map<String, Value>) {
    for value in obj.values_mut() {
        match value {
            Value::Object(inner) => tidy_object(inner),
            Value::Array(items) => {
                for item in items.iter_mut() {
                    if let Value::Object(inner) = item {
                        tidy_object(inner);
                    }
                }
                items.retain(crate::json::is_present);
            }
            _ => {}
        }
    }
    obj.retain(|_, v| crate::json::is_present(v));
}
