//! The kashflow body parser (JSON or XML into one object): it never panics, refuses a
//! DOCTYPE, reads back what it would write (JSON and XML alike), and its members follow the
//! toolkit's rule: null is absent, a name given twice in any case is refused by every accessor.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rosetta_dialect::xml::{Escape, Writer};
use rosetta_kashflow::fuzzing::{parse, read};
use serde_json::{Map, Value};

/// Every member name the kashflow handlers read.
const NAMES: [&str; 13] = [
    "Number",
    "FullName",
    "RoleNumber",
    "Username",
    "UserName",
    "Email",
    "Password",
    "MemorableWord",
    "UserAccountDisabled",
    "TemporaryToken",
    "MemorableWordList",
    "Position",
    "Value",
];

fn write_member(w: &mut Writer, name: &str, value: &Value) {
    match value {
        Value::Null => w.empty_with(name, &[("i:nil", "true")]),
        Value::String(s) => w.element(name, s),
        Value::Object(map) => {
            w.start(name);
            for (k, v) in map {
                write_member(w, k, v);
            }
            w.end(name);
        }
        Value::Array(items) => {
            w.start(name);
            for item in items {
                // An item that is a list must keep a list's name to be read as one.
                let item_name = if item.is_array() { "ItemList" } else { "Item" };
                write_member(w, item_name, item);
            }
            w.end(name);
        }
        Value::Bool(_) | Value::Number(_) => unreachable!("XML gives only text: {value}"),
    }
}

fn as_xml(map: &Map<String, Value>) -> String {
    let mut w = Writer::new(Escape::Markup);
    w.start_with(
        "Root",
        &[("xmlns:i", "http://www.w3.org/2001/XMLSchema-instance")],
    );
    for (k, v) in map {
        write_member(&mut w, k, v);
    }
    w.end("Root");
    w.finish()
}

fn has_fraction(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.is_f64(),
        Value::Array(items) => items.iter().any(has_fraction),
        Value::Object(map) => map.values().any(has_fraction),
        _ => false,
    }
}

fn check_members(map: &Map<String, Value>) {
    for name in NAMES {
        let found: Vec<&Value> = map
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
            .collect();
        let r = read(map, name);
        match found.as_slice() {
            [_, _, ..] => assert!(
                r.text.is_err() && r.int.is_err() && r.boolean.is_err() && r.list.is_err(),
                "{name} is given twice but read as {r:?}"
            ),
            [] | [Value::Null] => {
                assert!(
                    matches!(
                        (&r.text, &r.int, &r.boolean, &r.list),
                        (Ok(None), Ok(None), Ok(None), Ok(0))
                    ),
                    "{name} is absent but read as {r:?}"
                );
            }
            [Value::String(s)] => assert_eq!(r.text.as_ref(), Ok(&Some(s.clone()))),
            [_] => assert!(r.text.is_err(), "{name} is no string but read as {r:?}"),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let xml = selector & 1 == 1;
    let parsed = parse(xml, body);

    if xml {
        let mut with_doctype = b"<!DOCTYPE r [<!ENTITY e \"boom\">]>".to_vec();
        with_doctype.extend_from_slice(rosetta_dialect::body::strip_bom(body));
        if std::str::from_utf8(&with_doctype).is_ok() {
            assert_eq!(
                parse(true, &with_doctype),
                Err("XML bodies may not contain a DOCTYPE declaration.".to_owned())
            );
        }
    }

    let Ok(map) = parsed else { return };
    check_members(&map);

    let json = serde_json::to_vec(&map).unwrap_or_default();
    let reread = parse(false, &json);
    // serde_json's default float parsing may be one ulp off the shortest form it writes; a
    // fraction is nothing kashflow reads (whole numbers and text), so only the rest must match.
    if has_fraction(&Value::Object(map.clone())) {
        assert!(reread.is_ok(), "{reread:?}");
    } else {
        assert_eq!(reread.as_ref(), Ok(&map), "re-read from JSON");
    }
    if xml {
        let out = as_xml(&map);
        assert_eq!(
            parse(true, out.as_bytes()).as_ref(),
            Ok(&map),
            "re-read from {out:?}"
        );
    }
});
