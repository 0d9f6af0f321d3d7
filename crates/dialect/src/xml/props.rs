//! The text rule's promise (MAPPING.md), as properties: any string the core's rule accepts, of
//! either kind, is written by the XML writer (both escapings, as text and as an attribute) into
//! a document a strict parser accepts and that reads back as written, and by JSON likewise.
//! The strings are drawn from every code point, with the awkward ones (controls,
//! noncharacters, markup, line ends) made frequent.

use proptest::prelude::*;
use rosetta_core::text::{self, TextKind};
use rosetta_core::Field;

use super::{Escape, Writer};

/// Any character, with the ones the rule and the escaping are about drawn often.
fn any_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => any::<char>(),
        1 => prop::sample::select(vec![
            '\0', '\u{1}', '\u{b}', '\u{1b}', '\u{7f}', '\u{85}', '\u{fdd0}', '\u{fdef}',
            '\u{fffe}', '\u{ffff}', '\u{1fffe}', '\u{10ffff}',
        ]),
        3 => prop::sample::select(vec![
            '\t', '\n', '\r', '\u{fffd}', '<', '>', '&', '\'', '"', ']', ' ', '\u{a0}',
            '\u{2028}', ';', '#',
        ]),
        4 => prop::char::range('a', 'z'),
    ]
}

fn any_text() -> impl Strategy<Value = String> {
    prop::collection::vec(any_char(), 0..24).prop_map(|cs| cs.into_iter().collect())
}

fn any_kind() -> impl Strategy<Value = TextKind> {
    prop_oneof![Just(TextKind::Name), Just(TextKind::Free)]
}

/// `value` written as an element's text and as an attribute, parsed strictly, read back.
fn xml_round_trip(escape: Escape, value: &str) -> Result<(), TestCaseError> {
    let mut w = Writer::new(escape);
    w.start_with("R", &[("a", value)]);
    w.element("T", value);
    w.end("R");
    let doc = w.finish();
    let parsed = roxmltree::Document::parse(&doc)
        .map_err(|e| TestCaseError::fail(format!("ill-formed ({e}): {doc:?}")))?;
    let root = parsed.root_element();
    prop_assert_eq!(root.attribute("a"), Some(value), "attribute of {:?}", doc);
    let text = root
        .first_element_child()
        .map(|t| t.text().unwrap_or_default().to_owned());
    prop_assert_eq!(text.as_deref(), Some(value), "text of {:?}", doc);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn accepted_text_is_written_well_formed(kind in any_kind(), value in any_text()) {
        // What the rule refuses is never stored, so never written.
        if text::check(Field::FullName, kind, &value).is_err() {
            return Ok(());
        }
        xml_round_trip(Escape::Markup, &value)?;
        xml_round_trip(Escape::All, &value)?;
        let json = serde_json::to_string(&serde_json::json!({ "v": value }))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back: serde_json::Value = serde_json::from_str(&json)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back["v"].as_str(), Some(value.as_str()));
    }

    /// The rule is no stricter than it says: text without controls or noncharacters passes
    /// as a name, and tab, LF and CR pass as free text.
    #[test]
    fn the_rule_accepts_what_it_promises(value in any_text()) {
        let plain: String = value
            .chars()
            .filter(|c| !c.is_control() && !text::is_noncharacter(*c))
            .collect();
        prop_assert!(text::check(Field::FullName, TextKind::Name, &plain).is_ok());
        let free: String = value
            .chars()
            .filter(|c| matches!(c, '\t' | '\n' | '\r') || !c.is_control())
            .filter(|c| !text::is_noncharacter(*c))
            .collect();
        prop_assert!(text::check(Field::ContactNumber, TextKind::Free, &free).is_ok());
        prop_assert_eq!(
            text::check(Field::ContactNumber, TextKind::Name, &free).is_ok(),
            !free.contains(['\t', '\n', '\r'])
        );
    }

    /// What the rule refuses is exactly what one of XML 1.0, PostgreSQL or a one-line field
    /// cannot carry.
    #[test]
    fn the_rule_refuses_only_what_breaks(kind in any_kind(), value in any_text()) {
        let ok = text::check(Field::FullName, kind, &value).is_ok();
        let breaks = value.chars().any(|c| {
            text::is_noncharacter(c)
                || (c.is_control() && !(kind == TextKind::Free && matches!(c, '\t' | '\n' | '\r')))
        });
        prop_assert_eq!(ok, !breaks, "{:?}", value);
    }
}
