//! Properties: printing any tree and parsing it again gives the same tree; any text, however
//! hostile, gives a tree or an error (never a panic), within the limits.

use proptest::prelude::*;
use rosetta_scim::{
    parse_filter, parse_filter_with, parse_path, parse_path_with, AttrPath, CompareOp, Filter,
    Limits, PatchPath, SyntaxError, Value,
};
use serde_json::Number;

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        9 => "[a-zA-Z][a-zA-Z0-9_-]{0,6}",
        1 => Just("$ref".to_owned()),
        // Words that are keywords elsewhere are still names here.
        1 => prop::sample::select(vec!["and", "or", "not", "pr", "eq", "true", "null"]).prop_map(str::to_owned),
    ]
}

fn urn() -> impl Strategy<Value = String> {
    "(urn|URN):[a-z][a-z0-9-]{0,5}(:[a-zA-Z0-9.]{1,5}){0,4}"
}

fn attr(with_sub: bool) -> impl Strategy<Value = AttrPath> {
    let sub = if with_sub {
        prop::option::of(name()).boxed()
    } else {
        Just(None).boxed()
    };
    (prop::option::of(urn()), name(), sub).prop_map(|(urn, name, sub)| AttrPath { urn, name, sub })
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(Number::from(n))),
        any::<u64>().prop_map(|n| Value::Number(Number::from(n))),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        any::<String>().prop_map(Value::String),
    ]
}

fn leaf() -> impl Strategy<Value = Filter> {
    prop_oneof![
        attr(true).prop_map(Filter::Present),
        (
            attr(true),
            prop::sample::select(CompareOp::ALL.to_vec()),
            value()
        )
            .prop_map(|(attr, op, value)| Filter::Compare { attr, op, value }),
    ]
}

/// Trees of `and`, `or`, `not` over `leaves`.
fn logic(leaves: BoxedStrategy<Filter>) -> impl Strategy<Value = Filter> {
    leaves.prop_recursive(4, 48, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|f| Filter::Not(Box::new(f))),
            prop::collection::vec(inner.clone(), 2..4).prop_map(Filter::And),
            prop::collection::vec(inner, 2..4).prop_map(Filter::Or),
        ]
    })
}

fn filter() -> impl Strategy<Value = Filter> {
    let value_path = (attr(false), logic(leaf().boxed())).prop_map(|(attr, f)| Filter::ValuePath {
        attr,
        filter: Box::new(f),
    });
    logic(prop_oneof![3 => leaf(), 1 => value_path].boxed())
}

fn patch_path() -> impl Strategy<Value = PatchPath> {
    prop_oneof![
        attr(true).prop_map(PatchPath::Attr),
        (attr(false), logic(leaf().boxed()), prop::option::of(name()))
            .prop_map(|(attr, filter, sub)| PatchPath::Filtered { attr, filter, sub }),
    ]
}

/// Text made of the grammar's own pieces, so that the parser gets deep, not just a lexer error.
fn soup() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "(",
        ")",
        "[",
        "]",
        "not",
        "NOT",
        "and",
        "or",
        "pr",
        "eq",
        "Co",
        "gt",
        "a",
        "b.c",
        "emails",
        "urn:ietf:params:scim:schemas:core:2.0:User:userName",
        ".value",
        "\"s\"",
        "\"\\u00e9\"",
        "\"\\ud83d\"",
        "\"",
        "\\",
        "1",
        "-2.5e3",
        "01",
        "true",
        "null",
        " ",
        " ",
        ":",
        ".",
        "$ref",
        "é",
        "\u{0}",
    ]);
    prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

/// A lower bound of the nesting the text of `f` had: each `not`, value path and group of a
/// same-or-looser operator needed a "(" or "[".
fn depth(f: &Filter) -> usize {
    let grouped = |parent_and: bool, c: &Filter| match c {
        Filter::Or(_) => 1,
        Filter::And(_) if parent_and => 1,
        _ => 0,
    };
    match f {
        Filter::Present(_) | Filter::Compare { .. } => 0,
        Filter::Not(inner) | Filter::ValuePath { filter: inner, .. } => 1 + depth(inner),
        Filter::And(items) => items
            .iter()
            .map(|c| grouped(true, c) + depth(c))
            .max()
            .unwrap_or(0),
        Filter::Or(items) => items
            .iter()
            .map(|c| grouped(false, c) + depth(c))
            .max()
            .unwrap_or(0),
    }
}

fn check_any_text(text: &str, limits: Limits) {
    match parse_filter_with(text, limits) {
        Ok(f) => {
            assert!(text.len() <= limits.max_len);
            assert!(
                depth(&f) <= limits.max_depth,
                "{text:?} gave depth {}",
                depth(&f)
            );
            assert_eq!(
                parse_filter_with(&f.to_string(), Limits::DEFAULT).ok(),
                Some(f)
            );
        }
        Err(e) => {
            assert_eq!(e.scim_type(), "invalidFilter");
            if text.len() > limits.max_len {
                assert!(matches!(e.0, SyntaxError::TooLong { .. }));
            }
            if let Some(pos) = e.position() {
                assert!(pos <= text.len());
            }
        }
    }
    match parse_path_with(text, limits) {
        Ok(p) => assert_eq!(parse_path(&p.to_string()).ok(), Some(p)),
        Err(e) => {
            assert_eq!(e.scim_type(), "invalidPath");
            if let Some(pos) = e.position() {
                assert!(pos <= text.len());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn a_printed_filter_parses_back_to_itself(f in filter()) {
        let printed = f.to_string();
        prop_assert_eq!(parse_filter(&printed).ok(), Some(f), "printed: {}", printed);
    }

    #[test]
    fn a_printed_path_parses_back_to_itself(p in patch_path()) {
        let printed = p.to_string();
        prop_assert_eq!(parse_path(&printed).ok(), Some(p), "printed: {}", printed);
    }

    #[test]
    fn grammar_soup_never_panics(text in soup()) {
        check_any_text(&text, Limits::DEFAULT);
        check_any_text(&text, Limits { max_len: 40, max_depth: 2 });
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        check_any_text(&text, Limits::DEFAULT);
        check_any_text(&text, Limits { max_len: 16, max_depth: 1 });
    }

    #[test]
    fn printed_filters_with_noise_never_panic(f in filter(), at in any::<prop::sample::Index>(), junk in soup()) {
        let mut text = f.to_string();
        let mut i = at.index(text.len() + 1);
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        text.insert_str(i, &junk);
        check_any_text(&text, Limits::DEFAULT);
    }
}
