//! JSON answers in the style a request asked for ([`JsonStyle`]): member names re-cased as
//! ServiceStack re-cases them, dates as ISO 8601 or `\/Date(ms)\/`. The documents are written
//! by serde in the spec's member order; a restyled answer goes through [`Tree`], which keeps
//! that order (serde_json's `Value` would sort the members).

use std::fmt;

use chrono::DateTime;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::jsconfig::{Case, Dates, JsonStyle};

/// The members whose values are dates (as the wire types name them). Only these are rewritten
/// for `DateHandler:DCJSCompatible`: a FirstName that looks like a date stays text.
const DATE_MEMBERS: &[&str] = &[
    "CreatedDate",
    "LastUpdated",
    "LastActivity",
    "LastUsed",
    "DeletedDate",
];

/// A JSON value with its object members in document order.
#[derive(Debug, Clone, PartialEq)]
enum Tree {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    Text(String),
    List(Vec<Tree>),
    Object(Vec<(String, Tree)>),
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Tree;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<Tree, E> {
                Ok(Tree::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Tree, E> {
                Ok(Tree::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Tree, E> {
                Ok(Tree::Number(n.into()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Tree, E> {
                Ok(Tree::Number(n.into()))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Tree, E> {
                serde_json::Number::from_f64(n)
                    .map(Tree::Number)
                    .ok_or_else(|| E::custom("not a JSON number"))
            }
            fn visit_str<E>(self, s: &str) -> Result<Tree, E> {
                Ok(Tree::Text(s.to_owned()))
            }
            fn visit_string<E>(self, s: String) -> Result<Tree, E> {
                Ok(Tree::Text(s))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Tree::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry()? {
                    members.push(member);
                }
                Ok(Tree::Object(members))
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Tree {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Tree::Null => s.serialize_unit(),
            Tree::Bool(b) => s.serialize_bool(*b),
            Tree::Number(n) => n.serialize(s),
            Tree::Text(t) => s.serialize_str(t),
            Tree::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Tree::Object(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// ServiceStack's `ToCamelCase`: the leading run of capitals is lowered, except the last one
/// when a lower-case letter follows it (`FirstName` -> `firstName`, `OS` -> `os`).
pub fn camel(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len());
    let mut leading = true;
    for (i, c) in chars.iter().enumerate() {
        let next_upper = chars.get(i + 1).is_none_or(char::is_ascii_uppercase);
        if leading && c.is_ascii_uppercase() && (next_upper || i == 0) {
            out.push(c.to_ascii_lowercase());
        } else {
            leading = false;
            out.push(*c);
        }
    }
    out
}

/// ServiceStack's `ToLowercaseUnderscore`: camelCase, then `_` before every capital.
pub fn snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in camel(name).chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn recase(name: String, case: Case) -> String {
    match case {
        Case::Pascal => name,
        Case::Camel => camel(&name),
        Case::Snake => snake(&name),
    }
}

/// `\/Date(ms)\/` for an ISO date the wire types wrote (the slashes are escaped on output).
fn dcjs(t: Tree) -> Tree {
    match t {
        Tree::Text(s) => match DateTime::parse_from_rfc3339(&s) {
            Ok(d) => Tree::Text(format!("/Date({})/", d.timestamp_millis())),
            Err(_) => Tree::Text(s),
        },
        other => other,
    }
}

fn restyle(t: Tree, style: JsonStyle) -> Tree {
    match t {
        Tree::Object(members) => Tree::Object(
            members
                .into_iter()
                .map(|(k, v)| {
                    let v = if style.dates == Dates::Dcjs && DATE_MEMBERS.contains(&k.as_str()) {
                        dcjs(v)
                    } else {
                        restyle(v, style)
                    };
                    (recase(k, style.case), v)
                })
                .collect(),
        ),
        Tree::List(items) => Tree::List(items.into_iter().map(|i| restyle(i, style)).collect()),
        other => other,
    }
}

/// Escapes every `/` as `\/`, as DataContractJsonSerializer writes (and needs, for dates).
struct SlashEscaping;

impl serde_json::ser::Formatter for SlashEscaping {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut parts = fragment.split('/');
        if let Some(first) = parts.next() {
            writer.write_all(first.as_bytes())?;
        }
        for part in parts {
            writer.write_all(b"\\/")?;
            writer.write_all(part.as_bytes())?;
        }
        Ok(())
    }
}

/// A document as JSON in `style`.
pub fn to_json<T: Serialize>(document: &T, style: JsonStyle) -> Result<Vec<u8>, serde_json::Error> {
    let plain = serde_json::to_vec(document)?;
    if style == JsonStyle::default() {
        return Ok(plain);
    }
    let tree = restyle(serde_json::from_slice::<Tree>(&plain)?, style);
    match style.dates {
        Dates::Iso8601 => serde_json::to_vec(&tree),
        Dates::Dcjs => {
            let mut out = Vec::with_capacity(plain.len());
            tree.serialize(&mut serde_json::Serializer::with_formatter(
                &mut out,
                SlashEscaping,
            ))?;
            Ok(out)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn names_as_servicestack_cases_them() {
        for (pascal, c, s) in [
            ("FirstName", "firstName", "first_name"),
            ("OS", "os", "os"),
            ("Id", "id", "id"),
            ("ResponseStatus", "responseStatus", "response_status"),
            (
                "IncludeDeletedUserAudits",
                "includeDeletedUserAudits",
                "include_deleted_user_audits",
            ),
            ("URLPath", "urlPath", "url_path"),
        ] {
            assert_eq!(camel(pascal), c);
            assert_eq!(snake(pascal), s);
        }
    }

    #[test]
    fn order_kept_and_dates_rewritten() {
        let doc = serde_json::json!({"Zed": 1});
        let style = JsonStyle {
            case: Case::Camel,
            dates: Dates::Dcjs,
        };
        assert_eq!(to_json(&doc, style).unwrap(), br#"{"zed":1}"#);
        #[derive(serde::Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct D {
            last_used: &'static str,
            a_path: &'static str,
            first_name: &'static str,
        }
        let d = D {
            last_used: "2026-11-23T10:15:00Z",
            a_path: "a/b",
            first_name: "2026-11-23T10:15:00Z",
        };
        assert_eq!(
            String::from_utf8(to_json(&d, style).unwrap()).unwrap(),
            r#"{"lastUsed":"\/Date(1795428900000)\/","aPath":"a\/b","firstName":"2026-11-23T10:15:00Z"}"#
        );
    }
}
