//! Request bodies: JSON or XML by `Content-Type`, read within the limit into one JSON object,
//! so every request type is read by one code path, whose members match in any letter case.

use actix_web::web::Payload;
use actix_web::HttpRequest;
use rosetta_dialect::body::{media_type, read_body, strip_bom};
use rosetta_dialect::xml::{self, Attributes, Element, Failure, XmlError};
use rosetta_dialect::Limits;
use serde_json::{Map, Value};

use crate::errors::KfError;

#[cfg(feature = "fuzzing")]
pub mod fuzzing;

/// What a request body is written in, from its `Content-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Json,
    Xml,
}

impl BodyKind {
    /// A missing `Content-Type` is read as JSON (the default format); anything else that is
    /// neither JSON nor XML is refused with 415.
    fn of(req: &HttpRequest) -> Result<Self, KfError> {
        let mt = media_type(req);
        match mt.as_str() {
            "" | "application/json" | "text/json" => Ok(Self::Json),
            "application/xml" | "text/xml" => Ok(Self::Xml),
            _ if mt.ends_with("+json") => Ok(Self::Json),
            _ if mt.ends_with("+xml") => Ok(Self::Xml),
            _ => Err(KfError::unsupported_media_type(&mt)),
        }
    }
}

/// Checks the body's type, reads it within the limit and parses it into members.
pub async fn read_members(
    req: &HttpRequest,
    payload: Payload,
    limits: &Limits,
) -> Result<Members, KfError> {
    let kind = BodyKind::of(req)?;
    let bytes = read_body(req, payload, limits.body_bytes).await?;
    parse_object(kind, &bytes).map(Members::new)
}

/// Parses a body into a JSON object; XML becomes an object of its root's children.
fn parse_object(kind: BodyKind, bytes: &[u8]) -> Result<Map<String, Value>, KfError> {
    let bytes = strip_bom(bytes);
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

/// `nil="true"` under any prefix; every attribute must be well-formed, and the last `nil`
/// counts.
fn nil(attributes: Attributes<'_>) -> Result<bool, XmlError> {
    let mut nil = false;
    for attribute in attributes {
        let attribute = attribute?;
        if attribute.local_name() == b"nil" {
            nil = attribute.value()?.trim() == "true";
        }
    }
    Ok(nil)
}

/// A leaf is its text; `*List` and `ArrayOf*` elements are arrays of their children; any other
/// element with children is an object (a member given twice is refused).
fn element_value(e: Element<Value>) -> Result<Value, KfError> {
    let Element {
        name,
        nil,
        text,
        children,
    } = e;
    if nil {
        return Ok(Value::Null);
    }
    if children.is_empty() {
        return Ok(Value::String(text));
    }
    if name.ends_with("List") || name.starts_with("ArrayOf") {
        return Ok(Value::Array(children.into_iter().map(|(_, v)| v).collect()));
    }
    let mut map = Map::new();
    for (name, value) in children {
        if map.contains_key(&name) {
            return Err(KfError::validation(format!(
                "The XML element {name} is given more than once."
            )));
        }
        map.insert(name, value);
    }
    Ok(Value::Object(map))
}

/// Reads an XML document into JSON with the toolkit's hardened reader.
fn xml_to_value(bytes: &[u8]) -> Result<Value, KfError> {
    xml::read(bytes, nil, element_value).map_err(|e| match e {
        Failure::Xml(XmlError::Doctype) => {
            KfError::validation("XML bodies may not contain a DOCTYPE declaration.")
        }
        Failure::Xml(XmlError::Malformed(_)) => {
            KfError::validation("The request body is not well-formed XML.")
        }
        Failure::Element(e) => e,
    })
}

/// A request object whose members are looked up in any letter case.
pub struct Members(rosetta_dialect::Members<Value>);

impl Members {
    pub fn new(map: Map<String, Value>) -> Self {
        Self(rosetta_dialect::Members::new(map.into_iter().collect()))
    }

    /// The member's value; `null` reads as absent. The same member twice in different cases
    /// is ambiguous and refused.
    fn get(&self, name: &'static str) -> Result<Option<&Value>, KfError> {
        match self.0.get(name) {
            Ok(found) => Ok(found.filter(|v| !v.is_null())),
            Err(_) => Err(KfError::validation(format!(
                "{name} is given more than once."
            ))),
        }
    }

    pub fn text(&self, name: &'static str) -> Result<Option<String>, KfError> {
        match self.get(name)? {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(KfError::validation(format!("{name} must be a string."))),
        }
    }

    /// A whole number; a numeric string is taken too (XML has nothing else).
    pub fn int(&self, name: &'static str) -> Result<Option<i64>, KfError> {
        let bad = || KfError::validation(format!("{name} must be a whole number."));
        match self.get(name)? {
            None => Ok(None),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(bad),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => s.trim().parse::<i64>().map(Some).map_err(|_| bad()),
            Some(_) => Err(bad()),
        }
    }

    pub fn boolean(&self, name: &'static str) -> Result<Option<bool>, KfError> {
        let bad = || KfError::validation(format!("{name} must be true or false."));
        match self.get(name)? {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "true" => Ok(Some(true)),
                "false" => Ok(Some(false)),
                _ => Err(bad()),
            },
            Some(_) => Err(bad()),
        }
    }

    pub fn list(&self, name: &'static str) -> Result<Vec<Members>, KfError> {
        match self.get(name)? {
            None => Ok(Vec::new()),
            // `<MemorableWordList/>` reads as an empty text.
            Some(Value::String(s)) if s.trim().is_empty() => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::Object(m) => Ok(Members::new(m.clone())),
                    _ => Err(KfError::validation(format!(
                        "Each item of {name} must be an object."
                    ))),
                })
                .collect(),
            Some(_) => Err(KfError::validation(format!("{name} must be a list."))),
        }
    }
}

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
        let doctype = xml_to_value(b"<!DOCTYPE x><User/>").unwrap_err();
        assert_eq!(
            doctype.message,
            "XML bodies may not contain a DOCTYPE declaration."
        );
        // `1` is not nil here (it is in v2).
        let v = xml_to_value(b"<U><P nil=\"1\"/></U>").unwrap();
        assert_eq!(v, serde_json::json!({"P": ""}));
    }
}
