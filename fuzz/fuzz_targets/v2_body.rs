//! The v2 request parsers: bodies (JSON and XML into one tree) and the query string. They never
//! panic, XML refuses a DOCTYPE, what a body parses to is written back in its own format and
//! reads back the same, and the readers of `User` and search bodies take whatever parses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rosetta_dialect::xml::{Escape, Writer};
use rosetta_v2::fuzzing::{
    member_in_body, parse, query, search_input, user_input, BodyFormat, Val,
};

/// Names the query string and the authentication read.
const NAMES: [&str; 6] = [
    "format",
    "IntegrationKey",
    "CompanyId",
    "Name",
    "PageNo",
    "Email",
];

fn xml_member(w: &mut Writer, name: &str, value: &Val) {
    match value {
        Val::Null => w.empty_with(name, &[("i:nil", "true")]),
        Val::Text(t) => w.element(name, t),
        Val::Obj(members) => {
            w.start(name);
            for (n, v) in members {
                xml_member(w, n, v);
            }
            w.end(name);
        }
    }
}

fn as_xml(members: &[(String, Val)]) -> Vec<u8> {
    let mut w = Writer::new(Escape::Markup);
    w.start_with(
        "User",
        &[("xmlns:i", "http://www.w3.org/2001/XMLSchema-instance")],
    );
    for (n, v) in members {
        xml_member(&mut w, n, v);
    }
    w.end("User");
    w.finish().into_bytes()
}

/// JSON arrays are read as members without names, so a tree whose members all lack one was
/// an array.
fn json_value(value: &Val) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        Val::Null => J::Null,
        Val::Text(t) => J::String(t.clone()),
        Val::Obj(members) if !members.is_empty() && members.iter().all(|(n, _)| n.is_empty()) => {
            J::Array(members.iter().map(|(_, v)| json_value(v)).collect())
        }
        Val::Obj(members) => J::Object(
            members
                .iter()
                .map(|(n, v)| (n.clone(), json_value(v)))
                .collect(),
        ),
    }
}

fn body(format: BodyFormat, body: &[u8]) {
    let parsed = parse(body, format);
    if format == BodyFormat::Xml {
        let mut with_doctype = b"<!DOCTYPE r [<!ENTITY e \"boom\">]>".to_vec();
        with_doctype.extend_from_slice(rosetta_dialect::body::strip_bom(body));
        if std::str::from_utf8(&with_doctype).is_ok() {
            let refused = parse(&with_doctype, format).map_err(|e| e.message);
            assert_eq!(
                refused,
                Err("DOCTYPE and entity declarations are not accepted".to_owned())
            );
        }
    }
    let Ok(members) = parsed else {
        for name in NAMES {
            assert_eq!(member_in_body(body, format, name), None);
        }
        return;
    };
    let _ = user_input(members.clone());
    let _ = search_input(members.clone());

    let again = match format {
        BodyFormat::Xml => as_xml(&members),
        BodyFormat::Json => {
            // The root is an object even when its members have no names (`{"":1}`).
            let root: serde_json::Map<String, serde_json::Value> = members
                .iter()
                .map(|(n, v)| (n.clone(), json_value(v)))
                .collect();
            serde_json::to_vec(&root).unwrap_or_default()
        }
    };
    let reread = parse(&again, format).map_err(|e| e.message);
    if let (BodyFormat::Json, Ok(reread)) = (format, &reread) {
        // The JSON reader keeps the members in the order they came (v2 reads them by name),
        // and serde_json's map writes them back sorted: the same members, compared by name.
        let by_name = |m: &[(String, _)]| -> serde_json::Map<String, serde_json::Value> {
            m.iter().map(|(n, v)| (n.clone(), json_value(v))).collect()
        };
        assert_eq!(
            by_name(reread),
            by_name(&members),
            "written back as {:?}",
            String::from_utf8_lossy(&again)
        );
        return;
    }
    assert_eq!(
        reread.as_ref(),
        Ok(&members),
        "written back as {:?}",
        String::from_utf8_lossy(&again)
    );
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    match selector % 3 {
        0 => body(BodyFormat::Json, rest),
        1 => body(BodyFormat::Xml, rest),
        _ => {
            let Ok(q) = std::str::from_utf8(rest) else {
                return;
            };
            for name in NAMES {
                if let Some((got, value)) = query(q, name) {
                    // A value counts as given exactly when it is not blank.
                    let blank = got.as_deref().is_none_or(|g| g.trim().is_empty());
                    assert_eq!(value.is_none(), blank);
                    assert_eq!(value.as_deref(), got.as_deref().filter(|_| !blank));
                }
            }
        }
    }
});
