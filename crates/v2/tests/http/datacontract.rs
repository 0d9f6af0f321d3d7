//! XML answers read into a tree, checked against the spec's DataContract rules.

use quick_xml::events::Event;
use quick_xml::Reader;
use serde_json::{json, Value};

pub const NS_I: &str = "http://www.w3.org/2001/XMLSchema-instance";
pub const NS_TYPES: &str = "http://schemas.servicestack.net/types";
pub const NS_ARRAYS: &str = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";

#[derive(Debug, Clone)]
pub struct Node {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
    pub text: String,
}

impl Node {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn child(&self, name: &str) -> &Node {
        self.children
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("{} has no {name}: {self:?}", self.name))
    }

    pub fn names(&self) -> Vec<&str> {
        self.children.iter().map(|c| c.name.as_str()).collect()
    }

    pub fn is_nil(&self) -> bool {
        self.attr("i:nil") == Some("true")
    }
}

/// Parses an answer with quick-xml (so it is well-formed) into a tree, and checks the
/// declaration the spec asks for.
pub fn parse_xml(body: &str) -> Node {
    assert!(
        body.starts_with(r#"<?xml version="1.0" encoding="utf-8"?>"#),
        "no XML declaration: {body}"
    );
    let mut reader = Reader::from_str(body);
    let mut stack: Vec<Node> = Vec::new();
    let mut root = None;
    let node = |e: &quick_xml::events::BytesStart<'_>| Node {
        name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                (
                    String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                    a.unescape_value().unwrap().into_owned(),
                )
            })
            .collect(),
        children: Vec::new(),
        text: String::new(),
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => stack.push(node(&e)),
            Event::Empty(e) => {
                let n = node(&e);
                match stack.last_mut() {
                    Some(p) => p.children.push(n),
                    None => root = Some(n),
                }
            }
            Event::Text(t) => {
                let t = t.unescape().unwrap();
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t);
                } else {
                    assert!(t.trim().is_empty(), "text outside the root");
                }
            }
            Event::End(_) => {
                let n = stack.pop().unwrap();
                match stack.last_mut() {
                    Some(p) => p.children.push(n),
                    None => root = Some(n),
                }
            }
            Event::Eof => break,
            Event::Decl(_) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(stack.is_empty());
    let root = root.expect("a root element");
    check_datacontract(&root);
    root
}

const LISTS: &[(&str, &str)] = &[
    ("Users", "User"),
    ("UserDevices", "UserDevice"),
    ("DeletedUsers", "DeletedUser"),
    ("Errors", "ResponseError"),
    ("Folders", "d3p1:guid"),
    ("Groups", "d3p1:guid"),
];

/// Types whose DataContract declares its own member order (v2.md); every other type is in
/// ordinal (alphabetical) order. DataContractSerializer drops an element met out of order.
const DECLARED: &[(&str, &[&str])] = &[
    (
        "ResponseStatus",
        &["ErrorCode", "Message", "StackTrace", "Errors", "Meta"],
    ),
    (
        "ResponseError",
        &["ErrorCode", "FieldName", "Message", "Meta"],
    ),
];

/// The spec's XML rules: root namespaces, members in ordinal (or declared) order, lists of
/// items named after their type, GUID lists in the Arrays namespace, nil only on empty
/// elements.
fn check_datacontract(root: &Node) {
    assert_eq!(
        root.attrs,
        vec![
            ("xmlns:i".to_owned(), NS_I.to_owned()),
            ("xmlns".to_owned(), NS_TYPES.to_owned())
        ],
        "root namespaces"
    );
    fn walk(n: &Node) {
        if n.is_nil() {
            assert!(n.children.is_empty() && n.text.is_empty(), "{n:?}");
            assert_eq!(n.attrs.len(), 1, "{n:?}");
        }
        if let Some((_, item)) = LISTS.iter().find(|(list, _)| *list == n.name) {
            if n.name == "Folders" || n.name == "Groups" {
                assert_eq!(n.attr("xmlns:d3p1"), Some(NS_ARRAYS), "{n:?}");
            }
            for c in &n.children {
                assert_eq!(c.name, *item, "items of {}", n.name);
            }
        } else if !n.children.is_empty() {
            let names = n.names();
            let mut sorted = names.clone();
            match DECLARED.iter().find(|(ty, _)| *ty == n.name) {
                Some((_, order)) => sorted.sort_by_key(|m| order.iter().position(|o| o == m)),
                None => sorted.sort_unstable(),
            }
            sorted.dedup();
            assert_eq!(names, sorted, "members of {} in their order", n.name);
        }
        for c in &n.children {
            walk(c);
        }
    }
    walk(root);
}

/// An unknown `DateTime` in XML (v2.md: never nil), which JSON omits.
pub const NO_DATE: &str = "0001-01-01T00:00:00";

/// A `<User>` element as the JSON object the same user is in JSON (nil members and unknown
/// dates omitted).
pub fn xml_user_as_json(u: &Node) -> Value {
    let mut map = serde_json::Map::new();
    for c in &u.children {
        if c.is_nil() || c.text == NO_DATE {
            continue;
        }
        let v = match c.name.as_str() {
            "CompanyId" => json!(c.text.parse::<i64>().unwrap()),
            "Folders" | "Groups" => Value::Array(
                c.children
                    .iter()
                    .map(|g| Value::String(g.text.clone()))
                    .collect(),
            ),
            "UserDevices" => Value::Array(
                c.children
                    .iter()
                    .map(|d| {
                        let mut m = serde_json::Map::new();
                        for f in &d.children {
                            if !f.is_nil() && f.text != NO_DATE {
                                m.insert(f.name.clone(), Value::String(f.text.clone()));
                            }
                        }
                        Value::Object(m)
                    })
                    .collect(),
            ),
            _ => Value::String(c.text.clone()),
        };
        map.insert(c.name.clone(), v);
    }
    Value::Object(map)
}
