//! The two resource types and the resolution of attribute paths against them: case-insensitive
//! names, with or without the schema URN prefix, common attributes included.

use super::common::COMMON;
use super::group::GROUP;
use super::model::{Attribute, Schema};
use super::user::{ENTERPRISE_USER, USER};
use crate::filter::AttrPath;

/// A resource type (RFC 7643 section 6).
#[derive(Debug, PartialEq, Eq)]
pub struct ResourceType {
    /// Also its `name`: `User`, `Group`.
    pub id: &'static str,
    /// `/Users`, `/Groups`.
    pub endpoint: &'static str,
    pub description: &'static str,
    pub schema: &'static Schema,
    /// Optional extensions (none is required by Rosetta).
    pub extensions: &'static [&'static Schema],
}

pub static USER_TYPE: ResourceType = ResourceType {
    id: "User",
    endpoint: "/Users",
    description: "User Account",
    schema: &USER,
    extensions: &[&ENTERPRISE_USER],
};

pub static GROUP_TYPE: ResourceType = ResourceType {
    id: "Group",
    endpoint: "/Groups",
    description: "Group",
    schema: &GROUP,
    extensions: &[],
};

pub static RESOURCE_TYPES: [&ResourceType; 2] = [&USER_TYPE, &GROUP_TYPE];

/// The resource type named `name`, in any letter case.
pub fn resource_type_named(name: &str) -> Option<&'static ResourceType> {
    RESOURCE_TYPES
        .into_iter()
        .find(|rt| rt.id.eq_ignore_ascii_case(name))
}

/// An attribute path resolved against a resource type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved {
    /// The schema the attribute belongs to (the core schema for `id`, `externalId`, `meta`).
    pub schema: &'static Schema,
    /// `Some` when the attribute is an extension's: its values live in the resource JSON under
    /// the extension's URN.
    pub extension: Option<&'static Schema>,
    pub attr: &'static Attribute,
    pub sub: Option<&'static Attribute>,
}

impl Resolved {
    /// The attribute the path ends at: the sub-attribute if any.
    pub fn target(&self) -> &'static Attribute {
        self.sub.unwrap_or(self.attr)
    }

    pub fn case_exact(&self) -> bool {
        self.target().case_exact
    }

    pub fn is_extension(&self) -> bool {
        self.extension.is_some()
    }
}

impl ResourceType {
    /// The schema URNs a resource of this type lists in `schemas` (core first).
    pub fn schema_urns(&self) -> Vec<&'static str> {
        std::iter::once(self.schema.id)
            .chain(self.extensions.iter().map(|s| s.id))
            .collect()
    }

    /// The extension whose URN is `urn`, in any letter case.
    pub fn extension(&self, urn: &str) -> Option<&'static Schema> {
        self.extensions
            .iter()
            .copied()
            .find(|s| s.id.eq_ignore_ascii_case(urn))
    }

    /// The top-level attribute `name` of the core schema or the common attributes.
    fn core_attribute(&self, name: &str) -> Option<&'static Attribute> {
        self.schema
            .attribute(name)
            .or_else(|| COMMON.iter().find(|a| a.name.eq_ignore_ascii_case(name)))
    }

    /// Resolves `path`. With a URN prefix it must be this type's core schema or one of its
    /// extensions; without one, the core schema and common attributes are tried first, then
    /// the extensions (clients write `employeeNumber` for the enterprise attribute).
    pub fn resolve(&self, path: &AttrPath) -> Option<Resolved> {
        let (schema, extension, attr) = match &path.urn {
            Some(urn) if urn.eq_ignore_ascii_case(self.schema.id) => {
                (self.schema, None, self.core_attribute(&path.name)?)
            }
            Some(urn) => {
                let ext = self.extension(urn)?;
                (ext, Some(ext), ext.attribute(&path.name)?)
            }
            None => match self.core_attribute(&path.name) {
                Some(attr) => (self.schema, None, attr),
                None => self
                    .extensions
                    .iter()
                    .find_map(|ext| ext.attribute(&path.name).map(|a| (*ext, Some(*ext), a)))?,
            },
        };
        let sub = match &path.sub {
            Some(sub) => Some(attr.sub(sub)?),
            None => None,
        };
        Some(Resolved {
            schema,
            extension,
            attr,
            sub,
        })
    }

    /// Resolves a dotted path given as text (`name.givenName`, `urn:...:User:employeeNumber`).
    /// Text that is not an attribute path resolves to nothing.
    pub fn resolve_str(&self, text: &str) -> Option<Resolved> {
        let path = split_path(text)?;
        self.resolve(&path)
    }
}

/// `[urn ":"] name ["." sub]` without the filter grammar's checks: the URN is everything up to
/// the last colon (attribute names hold no colon), the sub-attribute follows the first dot of
/// the name (URNs hold dots, names do not).
pub fn split_path(text: &str) -> Option<AttrPath> {
    let text = text.trim();
    let (urn, rest) = match text.rfind(':') {
        Some(i) => (Some(text[..i].to_owned()), &text[i + 1..]),
        None => (None, text),
    };
    let (name, sub) = match rest.split_once('.') {
        Some((name, sub)) => (name, Some(sub.to_owned())),
        None => (rest, None),
    };
    if name.is_empty() || sub.as_deref() == Some("") {
        return None;
    }
    Some(AttrPath {
        urn,
        name: name.to_owned(),
        sub,
    })
}
