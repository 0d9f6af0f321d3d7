use std::borrow::Cow;

use quick_xml::events::{attributes, BytesStart, Event};
use quick_xml::Reader;

use super::error::XmlError;
use super::name::is_qname;

/// Elements nested deeper than this are refused rather than followed: no dialect's document
/// comes near it, and it bounds the reader's work.
pub const MAX_DEPTH: usize = 16;

/// An element as the reader hands it to a dialect once its end tag is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element<V> {
    /// The local name, without any namespace prefix.
    pub name: String,
    /// What the dialect's `nil` rule said of the start tag's attributes.
    pub nil: bool,
    /// Text and CDATA directly inside the element, unescaped, in document order.
    pub text: String,
    /// The child elements, each already the dialect's value, with its local name.
    pub children: Vec<(String, V)>,
}

impl<V> Element<V> {
    fn new(name: String, nil: bool) -> Self {
        Self {
            name,
            nil,
            text: String::new(),
            children: Vec::new(),
        }
    }
}

/// The attributes of a start tag, in document order, for a dialect's `nil` rule.
pub struct Attributes<'a>(attributes::Attributes<'a>);

impl<'a> Iterator for Attributes<'a> {
    type Item = Result<Attribute<'a>, XmlError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|a| {
            a.map(Attribute)
                .map_err(|e| XmlError::malformed(e.to_string()))
        })
    }
}

pub struct Attribute<'a>(attributes::Attribute<'a>);

impl<'a> Attribute<'a> {
    /// The attribute's name without its prefix (`i:nil` is `nil`).
    pub fn local_name(&self) -> &[u8] {
        self.0.key.local_name().into_inner()
    }

    /// The value, unescaped.
    pub fn value(&self) -> Result<Cow<'a, str>, XmlError> {
        self.0
            .unescape_value()
            .map_err(|e| XmlError::malformed(e.to_string()))
    }
}

/// A document refused by the reader, or an element refused by the dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure<E> {
    Xml(XmlError),
    Element(E),
}

impl<E> From<XmlError> for Failure<E> {
    fn from(e: XmlError) -> Self {
        Self::Xml(e)
    }
}

/// The local name of a start tag whose name is a QName.
fn local(e: &BytesStart<'_>) -> Result<String, XmlError> {
    let name = std::str::from_utf8(e.name().into_inner())
        .map_err(|_| XmlError::malformed("an element name is not UTF-8"))?;
    if !is_qname(name) {
        return Err(XmlError::malformed("an element name is not an XML name"));
    }
    Ok(name.rsplit(':').next().unwrap_or(name).to_owned())
}

/// Hangs a closed element under its parent, or makes it the root.
fn attach<V>(stack: &mut [Element<V>], root: &mut Option<V>, name: String, value: V) {
    match stack.last_mut() {
        Some(parent) => parent.children.push((name, value)),
        None => *root = Some(value),
    }
}

/// Reads a document (UTF-8, any byte-order mark already taken off) into the value its root
/// element becomes. `nil` reads a start tag's attributes (the one thing dialects take from
/// them); `close` makes each closed element a value. Empty-element tags are closed at once.
pub fn read<V, E>(
    body: &[u8],
    nil: impl Fn(Attributes<'_>) -> Result<bool, XmlError>,
    mut close: impl FnMut(Element<V>) -> Result<V, E>,
) -> Result<V, Failure<E>> {
    let text = std::str::from_utf8(body).map_err(|_| XmlError::malformed("it is not UTF-8"))?;
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element<V>> = Vec::new();
    let mut root: Option<V> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| XmlError::malformed(e.to_string()))?;
        match event {
            Event::DocType(_) => return Err(XmlError::Doctype.into()),
            Event::Start(e) => {
                if root.is_some() {
                    return Err(XmlError::malformed("more than one root element").into());
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError::malformed("elements are nested too deeply").into());
                }
                let name = local(&e)?;
                let nil = nil(Attributes(e.attributes()))?;
                stack.push(Element::new(name, nil));
            }
            Event::Empty(e) => {
                // An empty-element tag is a level too: `<a/>` inside MAX_DEPTH others is one
                // deeper than the limit.
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError::malformed("elements are nested too deeply").into());
                }
                let nil = nil(Attributes(e.attributes()))?;
                let name = local(&e)?;
                if stack.is_empty() && root.is_some() {
                    return Err(XmlError::malformed("more than one root element").into());
                }
                let value = close(Element::new(name.clone(), nil)).map_err(Failure::Element)?;
                attach(&mut stack, &mut root, name, value);
            }
            Event::Text(t) => {
                let t = t
                    .unescape()
                    .map_err(|e| XmlError::malformed(e.to_string()))?;
                match stack.last_mut() {
                    Some(top) => top.text.push_str(&t),
                    None if t.trim().is_empty() => {}
                    None => return Err(XmlError::malformed("text outside the root element").into()),
                }
            }
            Event::CData(c) => {
                let t = std::str::from_utf8(&c)
                    .map_err(|_| XmlError::malformed("CDATA is not UTF-8"))?;
                match stack.last_mut() {
                    Some(top) => top.text.push_str(t),
                    None => {
                        return Err(XmlError::malformed("CDATA outside the root element").into())
                    }
                }
            }
            Event::End(_) => {
                let element = stack
                    .pop()
                    .ok_or_else(|| XmlError::malformed("an end tag without a start tag"))?;
                let name = element.name.clone();
                let value = close(element).map_err(Failure::Element)?;
                attach(&mut stack, &mut root, name, value);
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(XmlError::malformed("the document ends inside an element").into());
    }
    root.ok_or_else(|| XmlError::malformed("there is no root element").into())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A plain tree, with `nil="true"` under any prefix.
    #[derive(Debug, PartialEq, Eq)]
    enum Node {
        Nil,
        Leaf(String),
        Parent(Vec<(String, Node)>),
    }

    fn nil(attributes: Attributes<'_>) -> Result<bool, XmlError> {
        for a in attributes {
            let a = a?;
            if a.local_name() == b"nil" {
                return Ok(a.value()?.trim() == "true");
            }
        }
        Ok(false)
    }

    fn tree(body: &str) -> Result<Node, Failure<String>> {
        read(body.as_bytes(), nil, |e: Element<Node>| {
            if e.name == "Refused" {
                return Err("refused".to_owned());
            }
            Ok(match (e.nil, e.children.is_empty()) {
                (true, _) => Node::Nil,
                (false, true) => Node::Leaf(e.text),
                (false, false) => Node::Parent(e.children),
            })
        })
    }

    fn malformed(detail: &'static str) -> Result<Node, Failure<String>> {
        Err(Failure::Xml(XmlError::malformed(detail)))
    }

    #[test]
    fn prefixes_go_and_text_is_unescaped() {
        let t = tree(
            r#"<?xml version="1.0"?><!-- c --><a:User xmlns:a="u" xmlns:i="i">
                <a:Name>Jo &amp; <![CDATA[<Co>]]></a:Name><Gone i:nil="true"/><E/></a:User>"#,
        )
        .unwrap();
        assert_eq!(
            t,
            Node::Parent(vec![
                ("Name".into(), Node::Leaf("Jo & <Co>".into())),
                ("Gone".into(), Node::Nil),
                ("E".into(), Node::Leaf(String::new())),
            ])
        );
    }

    #[test]
    fn doctypes_and_entities_are_refused() {
        assert_eq!(
            tree(r#"<!DOCTYPE u [<!ENTITY x "boom">]><U>&x;</U>"#),
            Err(Failure::Xml(XmlError::Doctype))
        );
        assert!(matches!(
            tree("<U>&x;</U>"),
            Err(Failure::Xml(XmlError::Malformed(_)))
        ));
    }

    #[test]
    fn broken_documents_say_why() {
        assert_eq!(tree(""), malformed("there is no root element"));
        assert_eq!(tree("<A/><B/>"), malformed("more than one root element"));
        assert_eq!(tree("<A></A><B/>"), malformed("more than one root element"));
        assert_eq!(
            tree("<A>"),
            malformed("the document ends inside an element")
        );
        assert_eq!(tree("x<A/>"), malformed("text outside the root element"));
        assert_eq!(
            tree("<A/><![CDATA[ ]]>"),
            malformed("CDATA outside the root element")
        );
        assert_eq!(tree_bytes(b"<A>\xff</A>"), malformed("it is not UTF-8"));
        assert!(matches!(
            tree("<A><B></A>"),
            Err(Failure::Xml(XmlError::Malformed(_)))
        ));
    }

    fn tree_bytes(body: &[u8]) -> Result<Node, Failure<String>> {
        read(body, nil, |_: Element<Node>| Ok::<_, String>(Node::Nil))
    }

    #[test]
    fn element_names_are_qnames() {
        let bad = || malformed("an element name is not an XML name");
        assert_eq!(tree("<U><:Email>x</:Email></U>"), bad());
        assert_eq!(tree("<U><a:b:Email>x</a:b:Email></U>"), bad());
        assert_eq!(tree("<U><Email=\"x\"/></U>"), bad());
        assert_eq!(tree("<9U/>"), bad());
        assert_eq!(tree("<d3p1:guid/>"), Ok(Node::Leaf(String::new())));
    }

    #[test]
    fn depth_is_bounded() {
        let ok = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert!(tree(&ok).is_ok());
        let deep = format!(
            "{}{}",
            "<a>".repeat(MAX_DEPTH + 1),
            "</a>".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(tree(&deep), malformed("elements are nested too deeply"));
        let ok = format!(
            "{}<a/>{}",
            "<a>".repeat(MAX_DEPTH - 1),
            "</a>".repeat(MAX_DEPTH - 1)
        );
        assert!(tree(&ok).is_ok());
        let deep = format!(
            "{}<a/>{}",
            "<a>".repeat(MAX_DEPTH),
            "</a>".repeat(MAX_DEPTH)
        );
        assert_eq!(tree(&deep), malformed("elements are nested too deeply"));
    }

    #[test]
    fn the_dialect_refuses_where_the_element_closes() {
        // The refused element closes before the document breaks, so its refusal is the answer.
        assert_eq!(
            tree("<A><Refused/><B>"),
            Err(Failure::Element("refused".into()))
        );
        assert!(matches!(tree("<A><B></A><Refused/>"), Err(Failure::Xml(_))));
    }
}
