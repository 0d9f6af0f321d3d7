//! What applying a patch works on: the resource being changed and the attributes touched so far.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::schema::ResourceType;

/// An attribute a patch touched: its schema's URN and its name in the schema's spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AttrRef {
    pub schema: &'static str,
    pub name: &'static str,
}

pub(super) struct Run<'a> {
    pub rt: &'a ResourceType,
    pub root: &'a mut Map<String, Value>,
    pub touched: &'a mut BTreeSet<AttrRef>,
}
