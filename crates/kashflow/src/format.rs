//! JSON and XML on the wire: which one a caller asked for, reading either into one JSON object
//! (so every request type is parsed by one code path), and writing XML elements.

use actix_web::http::header;
use actix_web::HttpRequest;
use quick_xml::events::Event;
use quick_xml::Reader;
use serde_json::{Map, Value};

use crate::errors::KfError;

/// The format a response is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    /// `text`: the caller named `text/xml`, so the answer says the same.
    Xml {
        text: bool,
    },
}

impl Format {
    /// KashFlow answers JSON unless the caller's `Accept` names XML before (or without) JSON;
    /// quality values are not weighed, as the legacy service did not weigh them either.
    pub fn of(req: &HttpRequest) -> Self {
        let accept = req
            .headers()
            .get_all(header::ACCEPT)
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        for range in accept.split(',') {
            let mt = range
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            match mt.as_str() {
                "application/json" | "text/json" => return Self::Json,
                "application/xml" => return Self::Xml { text: false },
                "text/xml" => return Self::Xml { text: true },
                _ if mt.ends_with("+json") => return Self::Json,
                _ if mt.ends_with("+xml") => return Self::Xml { text: false },
                _ => {}
            }
        }
        Self::Json
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json; charset=utf-8",
            Self::Xml { text: false } => "application/xml; charset=utf-8",
            Self::Xml { text: true } => "text/xml; charset=utf-8",
        }
    }
}

/// What a request body is written in, from its `Content-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Xml,
}

impl BodyKind {
    /// A missing `Content-Type` is read as JSON (the default format); anything else that is
    /// neither JSON nor XML is refused with 415.
    pub fn of(req: &HttpRequest) -> Result<Self, KfError> {
        let mt = rosetta_dialect::media_type(req);
        match mt.as_str() {
            "" | "application/json" | "text/json" => Ok(Self::Json),
            "application/xml" | "text/xml" => Ok(Self::Xml),
            _ if mt.ends_with("+json") => Ok(Self::Json),
            _ if mt.ends_with("+xml") => Ok(Self::Xml),
            _ => Err(KfError::unsupported_media_type(&mt)),
        }
    }
}

/// Parses a body into a JSON object; XML becomes an object of its root's children.
pub fn parse_object(kind: BodyKind, bytes: &[u8]) -> Result<Map<String, Value>, KfError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value = match kind {
        BodyKind::Json => serde_json::from_slice::<Value>(bytes)
            .map_err(|_| KfError::validation("The request body is not valid JSON."))?,
        BodyKind::Xml => xml_to_value(bytes)?,
    };
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(KfError::validation(
            "The request body must be a single object.",
        )),
    }
}

/// Elements nested deeper than this are refused rather than followed.
const MAX_DEPTH: usize = 16;

struct Node {
    name: String,
    nil: bool,
    text: String,
    children: Vec<(String, Value)>,
}

impl Node {
    fn new(name: String, nil: bool) -> Self {
        Self {
            name,
            nil,
            text: String::new(),
            children: Vec::new(),
        }
    }

    /// A leaf is its text; `*List` and `ArrayOf*` elements are arrays of their children; any
    /// other element with children is an object (a member given twice is refused).
    fn into_value(self) -> Result<Value, KfError> {
        if self.nil {
            return Ok(Value::Null);
        }
        if self.children.is_empty() {
            return Ok(Value::String(self.text));
        }
        if self.name.ends_with("List") || self.name.starts_with("ArrayOf") {
            return Ok(Value::Array(
                self.children.into_iter().map(|(_, v)| v).collect(),
            ));
        }
        let mut map = Map::new();
        for (name, value) in self.children {
            if map.contains_key(&name) {
                return Err(KfError::validation(format!(
                    "The XML element {name} is given more than once."
                )));
            }
            map.insert(name, value);
        }
        Ok(Value::Object(map))
    }
}

fn malformed() -> KfError {
    KfError::validation("The request body is not well-formed XML.")
}

fn start_node(e: &quick_xml::events::BytesStart<'_>) -> Result<Node, KfError> {
    let name = String::from_utf8(e.local_name().as_ref().to_vec()).map_err(|_| malformed())?;
    let mut nil = false;
    for attr in e.attributes() {
        let attr = attr.map_err(|_| malformed())?;
        if attr.key.local_name().as_ref() == b"nil" {
            nil = attr.unescape_value().map_err(|_| malformed())?.trim() == "true";
        }
    }
    Ok(Node::new(name, nil))
}

/// Reads an XML document into JSON. A DOCTYPE is refused outright, so no entity can be
/// declared; references to undeclared entities fail to unescape and are refused too.
pub fn xml_to_value(bytes: &[u8]) -> Result<Value, KfError> {
    let text = std::str::from_utf8(bytes).map_err(|_| malformed())?;
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Value> = None;
    loop {
        let event = reader.read_event().map_err(|_| malformed())?;
        match event {
            Event::DocType(_) => {
                return Err(KfError::validation(
                    "XML bodies may not contain a DOCTYPE declaration.",
                ))
            }
            Event::Start(e) => {
                if root.is_some() || stack.len() >= MAX_DEPTH {
                    return Err(malformed());
                }
                stack.push(start_node(&e)?);
            }
            Event::Empty(e) => {
                if root.is_some() {
                    return Err(malformed());
                }
                let node = start_node(&e)?;
                let name = node.name.clone();
                let value = node.into_value()?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push((name, value)),
                    None => root = Some(value),
                }
            }
            Event::End(_) => {
                let node = stack.pop().ok_or_else(malformed)?;
                let name = node.name.clone();
                let value = node.into_value()?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push((name, value)),
                    None => root = Some(value),
                }
            }
            Event::Text(t) => {
                let t = t.unescape().map_err(|_| malformed())?;
                match stack.last_mut() {
                    Some(node) => node.text.push_str(&t),
                    None if t.trim().is_empty() => {}
                    None => return Err(malformed()),
                }
            }
            Event::CData(c) => {
                let c = std::str::from_utf8(&c).map_err(|_| malformed())?.to_owned();
                match stack.last_mut() {
                    Some(node) => node.text.push_str(&c),
                    None => return Err(malformed()),
                }
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(malformed());
    }
    root.ok_or_else(malformed)
}

/// Appends `<name>text</name>` with the text escaped.
pub fn element(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    out.push_str(&quick_xml::escape::escape(text));
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

pub const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn xml_becomes_json() {
        let v = xml_to_value(
            br#"<?xml version="1.0"?><User xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
                <FullName>Jo &amp; Co</FullName><Number>3</Number><Password i:nil="true"/>
                <Empty></Empty></User>"#,
        )
        .unwrap();
        assert_eq!(
            v,
            serde_json::json!({"FullName": "Jo & Co", "Number": "3", "Password": null, "Empty": ""})
        );
        let v = xml_to_value(
            b"<X><MemorableWordList><A><Position>1</Position></A><A><Position>2</Position></A></MemorableWordList></X>",
        )
        .unwrap();
        assert_eq!(
            v,
            serde_json::json!({"MemorableWordList": [{"Position": "1"}, {"Position": "2"}]})
        );
    }

    #[test]
    fn bad_xml_is_refused() {
        for bad in [
            &b"<User><FullName>x</User>"[..],
            b"<User>",
            b"<!DOCTYPE x [<!ENTITY e \"boom\">]><User><FullName>&e;</FullName></User>",
            b"<User><FullName>&e;</FullName></User>",
            b"<User><A>1</A><A>2</A></User>",
            b"<A/><B/>",
            b"",
        ] {
            assert!(
                xml_to_value(bad).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
