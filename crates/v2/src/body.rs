//! Request bodies. JSON and XML are both read into one small tree ([`Val`]) first, so the
//! rules for members (any order, any letter case, null = absent) are written once for both
//! (`inputs.rs`). XML is read leniently: namespaces and prefixes are ignored, members may come
//! in any order, but a DOCTYPE (and so any entity declaration) is refused.

use actix_web::web::{Bytes, Payload};
use actix_web::HttpRequest;
use rosetta_dialect::body::{charset, media_type, read_body, strip_bom, utf8_body};
use rosetta_dialect::xml::{self, Attributes, Element, Failure, XmlError};
use rosetta_dialect::Limits;

use crate::errors::V2Error;

#[cfg(feature = "fuzzing")]
pub mod fuzzing;

/// A request value: XML elements and JSON values alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    Null,
    Text(String),
    /// Members in document order. JSON arrays use empty names; XML list items keep their
    /// element names (`d3p1:guid`, `UserDevice`), which nothing needs to look at.
    Obj(Vec<(String, Val)>),
}

/// The format of a request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    Json,
    Xml,
}

/// Chooses the body format from the media type: ServiceStack clients send `application/xml`
/// or `text/xml` for XML and `application/json` or `text/json` for JSON; no Content-Type at all
/// means XML (the spec).
pub fn body_format(media_type: &str) -> Result<BodyFormat, V2Error> {
    match media_type {
        "" => Ok(BodyFormat::Xml),
        m if m == "application/json" || m == "text/json" || m.ends_with("+json") => {
            Ok(BodyFormat::Json)
        }
        m if m == "application/xml" || m == "text/xml" || m.ends_with("+xml") => {
            Ok(BodyFormat::Xml)
        }
        other => Err(V2Error::unsupported_media_type(other)),
    }
}

/// Parses a body into its root members.
pub fn parse(body: &[u8], format: BodyFormat) -> Result<Vec<(String, Val)>, V2Error> {
    let root = match format {
        BodyFormat::Json => parse_json(body)?,
        BodyFormat::Xml => parse_xml(strip_bom(body))?,
    };
    match root {
        Val::Obj(members) => Ok(members),
        // `<User/>` or `{}`-like: no members at all.
        Val::Text(t) if t.trim().is_empty() => Ok(Vec::new()),
        Val::Null => Ok(Vec::new()),
        Val::Text(_) => Err(V2Error::bad_request(
            "SerializationException",
            "the body must be an object with members",
        )),
    }
}

fn parse_json(body: &[u8]) -> Result<Val, V2Error> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        V2Error::bad_request(
            "SerializationException",
            format!("the JSON body could not be read: {e}"),
        )
    })?;
    if !value.is_object() {
        return Err(V2Error::bad_request(
            "SerializationException",
            "the JSON body must be an object",
        ));
    }
    Ok(from_json(value))
}

fn from_json(value: serde_json::Value) -> Val {
    use serde_json::Value as J;
    match value {
        J::Null => Val::Null,
        J::Bool(b) => Val::Text(b.to_string()),
        J::Number(n) => Val::Text(n.to_string()),
        J::String(s) => Val::Text(s),
        J::Array(items) => Val::Obj(
            items
                .into_iter()
                .map(|v| (String::new(), from_json(v)))
                .collect(),
        ),
        // Member names in any of the casings answers are written in (v2.md): `first_name`
        // is `FirstName` once its underscores go (names are matched in any letter case).
        J::Object(map) => Val::Obj(
            map.into_iter()
                .map(|(k, v)| (k.replace('_', ""), from_json(v)))
                .collect(),
        ),
    }
}

/// Checks the body's type, then reads it within the limit, as UTF-8 (a .NET client posting an
/// `Encoding.Unicode` string sends UTF-16, with or without a byte-order mark).
pub async fn read(
    req: &HttpRequest,
    payload: Payload,
    limits: &Limits,
) -> Result<(Bytes, BodyFormat), V2Error> {
    let format = body_format(&media_type(req))?;
    let bytes = read_body(req, payload, limits.body_bytes).await?;
    let text = match utf8_body(&bytes, charset(req).as_deref()) {
        None => {
            return Err(V2Error::bad_request(
                "SerializationException",
                "the body is not valid UTF-16",
            ))
        }
        Some(std::borrow::Cow::Borrowed(t)) if t.len() == bytes.len() => bytes.clone(),
        Some(t) => Bytes::from(t.into_owned()),
    };
    Ok((text, format))
}

fn malformed(detail: impl std::fmt::Display) -> V2Error {
    V2Error::bad_request(
        "SerializationException",
        format!("the XML body could not be read: {detail}"),
    )
}

/// `nil="true"` (or `"1"`) under any prefix; the first `nil` attribute decides.
fn nil(attributes: Attributes<'_>) -> Result<bool, XmlError> {
    for attribute in attributes {
        let attribute = attribute?;
        if attribute.local_name() == b"nil" {
            let v = attribute.value()?;
            return Ok(v.trim() == "true" || v.trim() == "1");
        }
    }
    Ok(false)
}

/// A leaf is its text, an element with children an object of them; both at once is refused.
fn element_value(e: Element<Val>) -> Result<Val, V2Error> {
    let Element {
        name,
        nil,
        text,
        children,
    } = e;
    if nil {
        Ok(Val::Null)
    } else if children.is_empty() {
        Ok(Val::Text(text))
    } else if text.trim().is_empty() {
        Ok(Val::Obj(children))
    } else {
        Err(malformed(format!("{name} mixes text and elements")))
    }
}

/// Reads a request document into its root value with the toolkit's hardened reader.
fn parse_xml(body: &[u8]) -> Result<Val, V2Error> {
    xml::read(body, nil, element_value).map_err(|e| match e {
        Failure::Xml(XmlError::Doctype) => V2Error::bad_request(
            "SerializationException",
            "DOCTYPE and entity declarations are not accepted",
        ),
        Failure::Xml(e) => malformed(e),
        Failure::Element(e) => e,
    })
}

/// A text member of a body (`IntegrationKey`, `CompanyId`), if one can be found; used only to
/// authenticate a caller whose query string lacks it, before the body is read for real (so
/// an unauthenticated caller learns nothing about why a body is wrong).
pub fn member_in_body(body: &[u8], format: BodyFormat, name: &str) -> Option<String> {
    let members = parse(body, format).ok()?;
    members.into_iter().find_map(|(n, v)| match v {
        Val::Text(t) if n.eq_ignore_ascii_case(name) && !t.trim().is_empty() => Some(t),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn parse(body: &[u8]) -> Result<Val, V2Error> {
        parse_xml(strip_bom(body))
    }

    #[test]
    fn reads_with_and_without_namespaces() {
        let a = parse(br#"<?xml version="1.0"?><User xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.servicestack.net/types"><LastName>B &amp; C</LastName><ExternalId i:nil="true"/><Folders xmlns:d3p1="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><d3p1:guid>6f9619ff-8b86-d011-b42d-00c04fc964ff</d3p1:guid></Folders></User>"#).unwrap();
        let b = parse(br#"<User><LastName>B &amp; C</LastName><ExternalId nil="true"/><Folders><guid>6f9619ff-8b86-d011-b42d-00c04fc964ff</guid></Folders></User>"#).unwrap();
        assert_eq!(a, b);
        let Val::Obj(members) = a else { panic!() };
        assert_eq!(members[0], ("LastName".into(), Val::Text("B & C".into())));
        assert_eq!(members[1], ("ExternalId".into(), Val::Null));
    }

    #[test]
    fn refuses_doctype_and_broken_documents() {
        let e = parse(br#"<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x "y">]><User><FirstName>&x;</FirstName></User>"#).unwrap_err();
        assert!(e.message.contains("DOCTYPE"), "{e:?}");
        assert!(parse(b"<User><FirstName>&x;</FirstName></User>").is_err());
        assert!(parse(b"<User><FirstName>Jo</User>").is_err());
        assert!(parse(b"<User><FirstName>Jo</FirstName>").is_err());
        assert!(parse(b"<User/><User/>").is_err());
        assert!(parse(b"").is_err());
        assert!(parse(b"{\"FirstName\":\"Jo\"}").is_err());
    }

    #[test]
    fn media_types() {
        assert_eq!(body_format("").unwrap(), BodyFormat::Xml);
        assert_eq!(body_format("text/xml").unwrap(), BodyFormat::Xml);
        assert_eq!(body_format("application/json").unwrap(), BodyFormat::Json);
        assert!(body_format("text/plain").is_err());
    }
}
