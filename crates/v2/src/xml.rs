//! DataContract-style XML, as .NET's DataContractSerializer (and so ServiceStack) writes it:
//! members of each type in alphabetical (ordinal) order, every member present, null as
//! `i:nil="true"`, GUID lists in the Arrays namespace, object lists as repeated elements named
//! after the item type. Reading is lenient the other way: namespaces and prefixes are ignored,
//! members may come in any order, but a DOCTYPE (and so any entity declaration) is refused.

use std::io;

use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

use crate::body::Val;
use crate::errors::V2Error;
use crate::wire::{
    DeletedUser, ResponseStatus, User, UserDevice, UserResponse, UserSearchResponse,
};

pub const NS_INSTANCE: &str = "http://www.w3.org/2001/XMLSchema-instance";
pub const NS_TYPES: &str = "http://schemas.servicestack.net/types";
pub const NS_ARRAYS: &str = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";

/// Nesting deeper than this is no v2 document; refusing it bounds the reader's work.
const MAX_DEPTH: usize = 16;

struct Out {
    w: Writer<Vec<u8>>,
}

impl Out {
    fn new() -> io::Result<Self> {
        let mut w = Writer::new(Vec::new());
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        Ok(Self { w })
    }

    fn root(&mut self, name: &str) -> io::Result<()> {
        self.w.write_event(Event::Start(
            BytesStart::new(name).with_attributes([("xmlns:i", NS_INSTANCE), ("xmlns", NS_TYPES)]),
        ))
    }

    fn start(&mut self, name: &str) -> io::Result<()> {
        self.w.write_event(Event::Start(BytesStart::new(name)))
    }

    fn end(&mut self, name: &str) -> io::Result<()> {
        self.w.write_event(Event::End(BytesEnd::new(name)))
    }

    fn empty(&mut self, name: &str) -> io::Result<()> {
        self.w.write_event(Event::Empty(BytesStart::new(name)))
    }

    fn nil(&mut self, name: &str) -> io::Result<()> {
        self.w.write_event(Event::Empty(
            BytesStart::new(name).with_attributes([("i:nil", "true")]),
        ))
    }

    /// A text member; `None` is written as nil, an empty text as an empty element.
    fn text(&mut self, name: &str, value: Option<&str>) -> io::Result<()> {
        match value {
            None => self.nil(name),
            Some("") => self.empty(name),
            Some(v) => {
                self.start(name)?;
                // Only `<`, `>` and `&` are escaped in text, as .NET's XmlWriter does.
                self.w
                    .write_event(Event::Text(BytesText::from_escaped(partial_escape(v))))?;
                self.end(name)
            }
        }
    }

    fn guids(&mut self, name: &str, items: &[uuid::Uuid]) -> io::Result<()> {
        let start = BytesStart::new(name).with_attributes([("xmlns:d3p1", NS_ARRAYS)]);
        if items.is_empty() {
            return self.w.write_event(Event::Empty(start));
        }
        self.w.write_event(Event::Start(start))?;
        for g in items {
            self.text("d3p1:guid", Some(&g.to_string()))?;
        }
        self.end(name)
    }

    fn finish(self) -> Vec<u8> {
        self.w.into_inner()
    }
}

fn user(o: &mut Out, u: &User) -> io::Result<()> {
    let User {
        id,
        company_id,
        external_id,
        first_name,
        last_name,
        email,
        status,
        last_activity,
        folders,
        groups,
        website_role,
        user_devices,
        created_date,
        last_updated,
    } = u;
    o.start("User")?;
    o.text("CompanyId", Some(&company_id.to_string()))?;
    o.text("CreatedDate", Some(created_date))?;
    o.text("Email", Some(email))?;
    o.text("ExternalId", external_id.as_deref())?;
    o.text("FirstName", Some(first_name))?;
    o.guids("Folders", folders)?;
    o.guids("Groups", groups)?;
    o.text("Id", Some(&id.to_string()))?;
    o.text("LastActivity", last_activity.as_deref())?;
    o.text("LastName", Some(last_name))?;
    o.text("LastUpdated", Some(last_updated))?;
    o.text("Status", Some(status))?;
    if user_devices.is_empty() {
        o.empty("UserDevices")?;
    } else {
        o.start("UserDevices")?;
        for d in user_devices {
            device(o, d)?;
        }
        o.end("UserDevices")?;
    }
    o.text("WebsiteRole", website_role.as_deref())?;
    o.end("User")
}

fn device(o: &mut Out, d: &UserDevice) -> io::Result<()> {
    let UserDevice {
        id,
        name,
        os,
        app_version,
        last_used,
    } = d;
    o.start("UserDevice")?;
    o.text("AppVersion", app_version.as_deref())?;
    o.text("Id", Some(id))?;
    o.text("LastUsed", last_used.as_deref())?;
    o.text("Name", name.as_deref())?;
    o.text("OS", os.as_deref())?;
    o.end("UserDevice")
}

fn deleted(o: &mut Out, d: &DeletedUser) -> io::Result<()> {
    let DeletedUser {
        id,
        email,
        deleted_by,
        deleted_date,
    } = d;
    o.start("DeletedUser")?;
    o.text("DeletedBy", Some(deleted_by))?;
    o.text("DeletedDate", Some(deleted_date))?;
    o.text("Email", Some(email))?;
    o.text("Id", Some(&id.to_string()))?;
    o.end("DeletedUser")
}

/// Success is an empty `<ResponseStatus/>` (the spec); an error has no `StackTrace` member at
/// all, so none can ever be filled in.
fn response_status(o: &mut Out, s: Option<&ResponseStatus>) -> io::Result<()> {
    let Some(ResponseStatus {
        error_code,
        message,
        errors,
    }) = s
    else {
        return o.empty("ResponseStatus");
    };
    o.start("ResponseStatus")?;
    o.text("ErrorCode", Some(error_code))?;
    if errors.is_empty() {
        o.empty("Errors")?;
    } else {
        o.start("Errors")?;
        for e in errors {
            o.start("ResponseError")?;
            o.text("ErrorCode", Some(&e.error_code))?;
            o.text("FieldName", Some(&e.field_name))?;
            o.text("Message", Some(&e.message))?;
            o.end("ResponseError")?;
        }
        o.end("Errors")?;
    }
    o.text("Message", Some(message))?;
    o.end("ResponseStatus")
}

pub fn user_response(r: &UserResponse) -> io::Result<Vec<u8>> {
    let UserResponse {
        user: u,
        response_status: status,
    } = r;
    let mut o = Out::new()?;
    o.root("UserResponse")?;
    response_status(&mut o, status.as_ref())?;
    match u {
        Some(u) => user(&mut o, u)?,
        None => o.nil("User")?,
    }
    o.end("UserResponse")?;
    Ok(o.finish())
}

pub fn search_response(r: &UserSearchResponse) -> io::Result<Vec<u8>> {
    let UserSearchResponse {
        users,
        total_rows,
        page_no,
        page_size,
        response_status: status,
        deleted_users,
    } = r;
    let mut o = Out::new()?;
    o.root("UserSearchResponse")?;
    match deleted_users {
        None => o.nil("DeletedUsers")?,
        Some(list) if list.is_empty() => o.empty("DeletedUsers")?,
        Some(list) => {
            o.start("DeletedUsers")?;
            for d in list {
                deleted(&mut o, d)?;
            }
            o.end("DeletedUsers")?;
        }
    }
    o.text("PageNo", Some(&page_no.to_string()))?;
    o.text("PageSize", Some(&page_size.to_string()))?;
    response_status(&mut o, status.as_ref())?;
    o.text("TotalRows", Some(&total_rows.to_string()))?;
    match users {
        None => o.nil("Users")?,
        Some(list) if list.is_empty() => o.empty("Users")?,
        Some(list) => {
            o.start("Users")?;
            for u in list {
                user(&mut o, u)?;
            }
            o.end("Users")?;
        }
    }
    o.end("UserSearchResponse")?;
    Ok(o.finish())
}

// ----- reading ------------------------------------------------------------------------------

fn malformed(detail: impl std::fmt::Display) -> V2Error {
    V2Error::bad_request(
        "SerializationException",
        format!("the XML body could not be read: {detail}"),
    )
}

struct Frame {
    name: String,
    nil: bool,
    text: String,
    children: Vec<(String, Val)>,
}

/// Reads a request document into its root value. Element names lose their prefixes; `i:nil`
/// is honoured under any prefix; comments and processing instructions are skipped.
pub fn parse(body: &[u8]) -> Result<Val, V2Error> {
    let text = std::str::from_utf8(body).map_err(|_| malformed("it is not UTF-8"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Val> = None;
    loop {
        let event = reader.read_event().map_err(malformed)?;
        match event {
            Event::DocType(_) => {
                return Err(V2Error::bad_request(
                    "SerializationException",
                    "DOCTYPE and entity declarations are not accepted",
                ))
            }
            Event::Start(e) => {
                if root.is_some() {
                    return Err(malformed("more than one root element"));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(malformed("elements are nested too deeply"));
                }
                stack.push(Frame {
                    name: local(&e)?,
                    nil: is_nil(&e)?,
                    text: String::new(),
                    children: Vec::new(),
                });
            }
            Event::Empty(e) => {
                let value = if is_nil(&e)? {
                    Val::Null
                } else {
                    Val::Text(String::new())
                };
                let name = local(&e)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push((name, value)),
                    None if root.is_none() => root = Some(value),
                    None => return Err(malformed("more than one root element")),
                }
            }
            Event::Text(t) => {
                let t = t.unescape().map_err(malformed)?;
                match stack.last_mut() {
                    Some(top) => top.text.push_str(&t),
                    None if t.trim().is_empty() => {}
                    None => return Err(malformed("text outside the root element")),
                }
            }
            Event::CData(c) => {
                let t = std::str::from_utf8(&c).map_err(|_| malformed("CDATA is not UTF-8"))?;
                match stack.last_mut() {
                    Some(top) => top.text.push_str(t),
                    None => return Err(malformed("CDATA outside the root element")),
                }
            }
            Event::End(_) => {
                let Some(frame) = stack.pop() else {
                    return Err(malformed("an end tag without a start tag"));
                };
                let value = if frame.nil {
                    Val::Null
                } else if frame.children.is_empty() {
                    Val::Text(frame.text)
                } else if frame.text.trim().is_empty() {
                    Val::Obj(frame.children)
                } else {
                    return Err(malformed(format!("{} mixes text and elements", frame.name)));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push((frame.name, value)),
                    None => root = Some(value),
                }
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(malformed("the document ends inside an element"));
    }
    root.ok_or_else(|| malformed("there is no root element"))
}

fn local(e: &BytesStart<'_>) -> Result<String, V2Error> {
    std::str::from_utf8(e.local_name().as_ref())
        .map(str::to_owned)
        .map_err(|_| malformed("an element name is not UTF-8"))
}

fn is_nil(e: &BytesStart<'_>) -> Result<bool, V2Error> {
    for attr in e.attributes() {
        let attr = attr.map_err(malformed)?;
        if attr.key.local_name().as_ref() == b"nil" {
            let v = attr.unescape_value().map_err(malformed)?;
            return Ok(v.trim() == "true" || v.trim() == "1");
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

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
}
