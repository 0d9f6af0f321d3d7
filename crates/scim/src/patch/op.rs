//! The `PatchOp` request (RFC 7644 section 3.5.2) read from its JSON: operations with their
//! verb, parsed path and value.

use serde_json::{Map, Value};

use crate::json::get_ci;
use crate::path::{parse_path, PatchPath};
use crate::request_error::RequestError;
use crate::schema::urn;

/// An operation's verb, written in any letter case (Entra ID sends `Replace`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKind {
    Add,
    Replace,
    Remove,
}

impl OpKind {
    fn parse(text: &str) -> Option<Self> {
        [Self::Add, Self::Replace, Self::Remove]
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(text))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Replace => "replace",
            Self::Remove => "remove",
        }
    }
}

/// One element of `Operations`.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchOperation {
    pub op: OpKind,
    pub path: Option<PatchPath>,
    pub value: Option<Value>,
}

/// A `PatchOp` request body.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchOp {
    pub operations: Vec<PatchOperation>,
}

impl PatchOp {
    /// Reads a PatchOp body. `schemas`, when present, must list the PatchOp URN; the keys
    /// `Operations`, `op`, `path`, `value` are read in any letter case and other keys (Entra ID
    /// sends `"name": "addMember"`) are ignored. An empty `path` is no path.
    pub fn from_json(body: &Value) -> Result<Self, RequestError> {
        let syntax = |what: &str| RequestError::InvalidSyntax(format!("the PatchOp {what}"));
        let Some(obj) = body.as_object() else {
            return Err(syntax("must be a JSON object"));
        };
        if !lists_schema(obj, urn::PATCH_OP) {
            return Err(syntax(&format!("schemas must list {}", urn::PATCH_OP)));
        }
        let Some(Value::Array(ops)) = get_ci(obj, "Operations") else {
            return Err(syntax("needs an Operations array"));
        };
        if ops.is_empty() {
            return Err(syntax("has no operations"));
        }
        let operations = ops
            .iter()
            .enumerate()
            .map(|(i, op)| operation(i, op))
            .collect::<Result<_, _>>()?;
        Ok(Self { operations })
    }
}

fn operation(index: usize, op: &Value) -> Result<PatchOperation, RequestError> {
    let syntax =
        |what: &str| RequestError::InvalidSyntax(format!("the PatchOp operation {index} {what}"));
    let Some(obj) = op.as_object() else {
        return Err(syntax("must be a JSON object"));
    };
    let kind = match get_ci(obj, "op") {
        Some(Value::String(s)) => {
            OpKind::parse(s).ok_or_else(|| syntax("has an op other than add, replace or remove"))?
        }
        _ => return Err(syntax("needs an op (add, replace or remove)")),
    };
    let path = match get_ci(obj, "path") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => Some(parse_path(s.trim())?),
        Some(_) => return Err(syntax("has a path that is not a string")),
    };
    let value = get_ci(obj, "value").cloned();
    match (kind, &path, &value) {
        (OpKind::Remove, None, _) => {
            return Err(RequestError::NoTarget(format!(
                "the PatchOp operation {index} removes without a path"
            )))
        }
        (OpKind::Add | OpKind::Replace, _, None) => return Err(syntax("needs a value")),
        (OpKind::Add | OpKind::Replace, None, Some(v)) if !v.is_object() => {
            return Err(syntax("has no path, so its value must be an object"))
        }
        _ => {}
    }
    Ok(PatchOperation {
        op: kind,
        path,
        value,
    })
}

/// Whether `schemas` (if given) lists `expected`.
fn lists_schema(body: &Map<String, Value>, expected: &str) -> bool {
    match get_ci(body, "schemas") {
        None => true,
        Some(Value::Array(items)) => items
            .iter()
            .any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(expected))),
        Some(_) => false,
    }
}
