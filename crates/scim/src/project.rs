//! `attributes` and `excludedAttributes` (RFC 7644 sections 3.4.2.5 and 3.9) over a resource's
//! JSON. `returned` decides first: `never` is never in an answer, `always` always is (`id`;
//! `schemas` too), `request` only when `attributes` names it, `default` unless left out. Names
//! are case-insensitive, with or without their schema URN; a whole extension is named by its URN.
//! Names the schema does not have are ignored, as they select nothing.

use serde_json::{Map, Value};

use crate::request_error::RequestError;
use crate::schema::{split_path, Attribute, ResourceType, Returned};

/// What an answer holds, for one resource type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Projection {
    rt: &'static ResourceType,
    mode: Mode,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    Default,
    Only(Vec<Selector>),
    Except(Vec<Selector>),
}

/// One named attribute, resolved to the schema's spelling. `attr` None: a whole extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Selector {
    extension: Option<&'static str>,
    attr: Option<&'static str>,
    sub: Option<&'static str>,
}

/// How much of an attribute stays.
enum Keep {
    No,
    /// The attribute with its sub-attributes as `returned` says.
    All,
    /// Only the named sub-attributes (those returned `always` too).
    Only(Vec<&'static str>),
    /// All but the named sub-attributes.
    Except(Vec<&'static str>),
}

impl Projection {
    /// Neither parameter: what `returned` gives by default.
    pub fn default_for(rt: &'static ResourceType) -> Self {
        Self {
            rt,
            mode: Mode::Default,
        }
    }

    /// The query parameters, comma-separated, URL-decoded. When both are given (the RFC says a
    /// client should not), `attributes` wins.
    pub fn from_query(
        rt: &'static ResourceType,
        attributes: Option<&str>,
        excluded: Option<&str>,
    ) -> Result<Self, RequestError> {
        let split = |text: Option<&str>| -> Vec<String> {
            text.map(|t| t.split(',').map(|s| s.trim().to_owned()).collect())
                .unwrap_or_default()
        };
        Self::from_lists(rt, &split(attributes), &split(excluded))
    }

    /// A SearchRequest's `attributes` and `excludedAttributes` arrays.
    pub fn from_lists(
        rt: &'static ResourceType,
        attributes: &[String],
        excluded: &[String],
    ) -> Result<Self, RequestError> {
        let names = |list: &[String]| -> Vec<Selector> {
            list.iter()
                .filter(|s| !s.trim().is_empty())
                .filter_map(|s| selector(rt, s))
                .collect()
        };
        let given = |list: &[String]| list.iter().any(|s| !s.trim().is_empty());
        let mode = if given(attributes) {
            Mode::Only(names(attributes))
        } else if given(excluded) {
            Mode::Except(names(excluded))
        } else {
            Mode::Default
        };
        Ok(Self { rt, mode })
    }

    /// Whether the answer holds some of the top-level attribute `dotted` (e.g. `members`,
    /// `groups`), so that a dialect need not load what it would drop.
    pub fn wants(&self, dotted: &str) -> bool {
        let Some(found) = self.rt.resolve_str(dotted) else {
            return false;
        };
        !matches!(
            self.keep(found.extension.map(|s| s.id), found.attr),
            Keep::No
        )
    }

    /// The projected copy of `resource`.
    pub fn apply(&self, resource: &Value) -> Value {
        let Some(obj) = resource.as_object() else {
            return resource.clone();
        };
        let mut out = Map::new();
        for (key, value) in obj {
            if key.eq_ignore_ascii_case("schemas") {
                out.insert(key.clone(), value.clone());
            } else if let Some(ext) = self.rt.extension(key) {
                let Some(inner) = value.as_object() else {
                    continue;
                };
                let kept = self.object(Some(ext.id), |name| ext.attribute(name), inner);
                if !kept.is_empty() {
                    out.insert(key.clone(), Value::Object(kept));
                }
            } else {
                let one: Map<String, Value> = [(key.clone(), value.clone())].into_iter().collect();
                let kept = self.object(None, |name| self.core(name), &one);
                out.extend(kept);
            }
        }
        Value::Object(out)
    }

    fn core(&self, name: &str) -> Option<&'static Attribute> {
        let path = crate::filter::AttrPath::simple(name);
        self.rt
            .resolve(&path)
            .filter(|r| !r.is_extension())
            .map(|r| r.attr)
    }

    /// The attributes of `obj` (the resource's core, or an extension's object) that stay.
    fn object(
        &self,
        extension: Option<&'static str>,
        lookup: impl Fn(&str) -> Option<&'static Attribute>,
        obj: &Map<String, Value>,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        for (key, value) in obj {
            let Some(attr) = lookup(key) else {
                // Not in the schema: nothing can name it, so only a full answer has it.
                if !matches!(self.mode, Mode::Only(_)) {
                    out.insert(key.clone(), value.clone());
                }
                continue;
            };
            if let Some(v) = project_value(self.keep(extension, attr), attr, value) {
                out.insert(key.clone(), v);
            }
        }
        out
    }

    fn keep(&self, extension: Option<&'static str>, attr: &'static Attribute) -> Keep {
        match attr.returned {
            Returned::Never => return Keep::No,
            Returned::Always => return Keep::All,
            Returned::Default | Returned::Request => {}
        }
        let of_attr = |sels: &[Selector]| -> (bool, Vec<&'static str>) {
            let mut whole = false;
            let mut subs = Vec::new();
            for sel in sels.iter().filter(|s| s.extension == extension) {
                match (sel.attr, sel.sub) {
                    (None, _) => whole = true,
                    (Some(a), None) if a == attr.name => whole = true,
                    (Some(a), Some(sub)) if a == attr.name => subs.push(sub),
                    _ => {}
                }
            }
            (whole, subs)
        };
        match &self.mode {
            Mode::Default if attr.returned == Returned::Request => Keep::No,
            Mode::Default => Keep::All,
            Mode::Only(sels) => match of_attr(sels) {
                (true, _) => Keep::All,
                (false, subs) if !subs.is_empty() => Keep::Only(subs),
                _ => Keep::No,
            },
            Mode::Except(_) if attr.returned == Returned::Request => Keep::No,
            Mode::Except(sels) => match of_attr(sels) {
                (true, _) => Keep::No,
                (false, subs) if !subs.is_empty() => Keep::Except(subs),
                _ => Keep::All,
            },
        }
    }
}

/// `name`, `name.sub`, `urn:...:name.sub` or a bare extension URN, as a selector of `rt`.
fn selector(rt: &ResourceType, text: &str) -> Option<Selector> {
    let text = text.trim();
    if let Some(ext) = rt.extension(text) {
        return Some(Selector {
            extension: Some(ext.id),
            attr: None,
            sub: None,
        });
    }
    let found = rt.resolve(&split_path(text)?)?;
    Some(Selector {
        extension: found.extension.map(|s| s.id),
        attr: Some(found.attr.name),
        sub: found.sub.map(|s| s.name),
    })
}

/// What stays of `value`, an attribute's value, or `None` if nothing does.
fn project_value(keep: Keep, attr: &Attribute, value: &Value) -> Option<Value> {
    let sub_kept = |sub: &Attribute| -> bool {
        match (&keep, sub.returned) {
            (Keep::No, _) | (_, Returned::Never) => false,
            (_, Returned::Always) => true,
            (Keep::All, r) => r != Returned::Request,
            (Keep::Only(names), _) => names.contains(&sub.name),
            (Keep::Except(names), r) => r != Returned::Request && !names.contains(&sub.name),
        }
    };
    if matches!(keep, Keep::No) {
        return None;
    }
    if attr.sub_attributes.is_empty() {
        return Some(value.clone());
    }
    let element = |v: &Value| -> Option<Value> {
        let Some(obj) = v.as_object() else {
            return Some(v.clone());
        };
        let kept: Map<String, Value> = obj
            .iter()
            .filter(|(k, _)| {
                attr.sub(k)
                    .map_or(!matches!(keep, Keep::Only(_)), &sub_kept)
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        (!kept.is_empty()).then_some(Value::Object(kept))
    };
    match value {
        Value::Array(items) => {
            let kept: Vec<Value> = items.iter().filter_map(element).collect();
            (!kept.is_empty()).then_some(Value::Array(kept))
        }
        other => element(other),
    }
}
