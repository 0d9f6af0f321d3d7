//! The filter and PATCH path grammars through the crate's public API: every operator, the
//! precedence, each example of RFC 7644, what Entra ID and Okta send, the errors, and
//! properties over generated trees and arbitrary text.

mod errors;
mod filters;
mod paths;
mod props;
mod rfc_examples;

use rosetta_scim::{parse_filter, AttrPath, CompareOp, Filter, Value};

/// `name` or `name.sub`, no URN.
pub fn path(dotted: &str) -> AttrPath {
    let (name, sub) = match dotted.split_once('.') {
        Some((n, s)) => (n, Some(s.to_owned())),
        None => (dotted, None),
    };
    AttrPath {
        urn: None,
        name: name.to_owned(),
        sub,
    }
}

pub fn cmp(dotted: &str, op: CompareOp, value: Value) -> Filter {
    Filter::Compare {
        attr: path(dotted),
        op,
        value,
    }
}

pub fn s(text: &str) -> Value {
    Value::String(text.to_owned())
}

pub fn eq(dotted: &str, text: &str) -> Filter {
    cmp(dotted, CompareOp::Eq, s(text))
}

pub fn pr(dotted: &str) -> Filter {
    Filter::Present(path(dotted))
}

pub fn parse(text: &str) -> Filter {
    match parse_filter(text) {
        Ok(f) => f,
        Err(e) => panic!("{text:?} did not parse: {e}"),
    }
}

/// Parses, and checks that printing the tree and parsing again gives the same tree.
pub fn parse_roundtrip(text: &str) -> Filter {
    let f = parse(text);
    let printed = f.to_string();
    assert_eq!(parse(&printed), f, "{text:?} printed as {printed:?}");
    f
}
