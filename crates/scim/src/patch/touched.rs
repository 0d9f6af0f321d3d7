//! The attributes a PatchOp aims at, read from its paths and values without applying it, so a
//! dialect knows before loading a resource what it must load (a user's groups, a group's
//! members) and what it will write.

use std::collections::BTreeSet;

use serde_json::Value;

use super::op::{OpKind, PatchOp, PatchOperation};
use super::run::AttrRef;
use crate::path::PatchPath;
use crate::schema::{Resolved, ResourceType, Schema};

impl PatchOp {
    /// The attributes the operations name, for resources of type `rt`; names the schema does
    /// not have are left out (applying ignores them, or refuses them as `invalidPath`).
    pub fn touched(&self, rt: &ResourceType) -> BTreeSet<AttrRef> {
        let mut out = BTreeSet::new();
        let mut add = |r: Resolved| {
            out.insert(AttrRef {
                schema: r.schema.id,
                name: r.attr.name,
            });
        };
        for PatchOperation { op, path, value } in &self.operations {
            let in_extension = |ext: &Schema, keys: Vec<&str>| -> Vec<Resolved> {
                keys.into_iter()
                    .filter_map(|k| rt.resolve_str(&format!("{}:{k}", ext.id)))
                    .collect()
            };
            let found: Vec<Resolved> = match path {
                Some(PatchPath::Attr(attr)) => match rt.extension(&attr.qualified()) {
                    // A whole extension: removed whole, or written by the keys of its value.
                    Some(ext) => match (op, value) {
                        (OpKind::Add | OpKind::Replace, Some(Value::Object(map))) => {
                            in_extension(ext, map.keys().map(String::as_str).collect())
                        }
                        (OpKind::Add | OpKind::Replace, Some(v)) if !v.is_null() => Vec::new(),
                        _ => in_extension(ext, ext.attributes.iter().map(|a| a.name).collect()),
                    },
                    None => rt.resolve(attr).into_iter().collect(),
                },
                Some(PatchPath::Filtered { attr, .. }) => rt.resolve(attr).into_iter().collect(),
                None => {
                    let Some(Value::Object(map)) = value else {
                        continue;
                    };
                    let mut found = Vec::new();
                    for (key, v) in map {
                        match (rt.extension(key), v) {
                            (Some(ext), Value::Object(inner)) => found.extend(in_extension(
                                ext,
                                inner.keys().map(String::as_str).collect(),
                            )),
                            (Some(ext), Value::Null) => found.extend(in_extension(
                                ext,
                                ext.attributes.iter().map(|a| a.name).collect(),
                            )),
                            (Some(_), _) => {}
                            (None, _) => found.extend(rt.resolve_str(key)),
                        }
                    }
                    found
                }
            };
            found.into_iter().for_each(&mut add);
        }
        out
    }
}
