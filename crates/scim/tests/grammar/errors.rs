//! Bad filters: an `invalidFilter` error at the right byte, and the limits.

use rosetta_scim::{parse_filter, parse_filter_with, FilterError, Limits, SyntaxError};

fn err(text: &str) -> FilterError {
    match parse_filter(text) {
        Ok(f) => panic!("{text:?} parsed as {f:?}"),
        Err(e) => e,
    }
}

#[test]
fn each_fault_at_its_position() {
    for (text, pos) in [
        ("", None),
        (" \t", None),
        ("userName", Some(8)),
        ("userName eq", Some(11)),
        (r#"userName xx "a""#, Some(9)),
        (r#"userName eq bjensen"#, Some(12)),
        (r#"userName eq "a" and"#, Some(19)),
        // The second "or" is an attribute named "or", so "b" is the unknown operator.
        (r#"userName eq "a" or or b pr"#, Some(22)),
        (r#"userName eq "a" nand b pr"#, Some(16)),
        (r#"userName eq "a" b pr"#, Some(16)),
        ("(a pr", Some(5)),
        ("a pr)", Some(4)),
        ("()", Some(1)),
        ("not a pr", Some(4)),
        ("not (a pr", Some(9)),
        ("a[b pr", Some(6)),
        ("a[b pr)", Some(6)),
        ("a[]", Some(2)),
        ("a[b[c pr]]", Some(3)),
        ("a.b[c pr]", Some(3)),
        (r#"emails[type eq "w"].value eq "x""#, Some(19)),
        ("a.b.c pr", Some(0)),
        ("a. pr", Some(0)),
        ("_a pr", Some(0)),
        ("a$ pr", Some(0)),
        ("x:a pr", Some(0)),
        ("urn: pr", Some(0)),
        ("urn:x: pr", Some(0)),
        ("a eq 01", Some(5)),
        ("a eq 1x", Some(5)),
        ("a eq 1e999", Some(5)),
        ("a eq 'x'", Some(5)),
        (r#"a eq "x"#, Some(5)),
        (r#"a eq "\q""#, Some(6)),
        ("a eq \"\u{7}\"", Some(6)),
        ("a eq \"x\" & b pr", Some(9)),
        (r#"a pr eq "x""#, Some(5)),
        ("a eq [", Some(5)),
        ("a eq true true", Some(10)),
    ] {
        let e = err(text);
        assert_eq!(e.scim_type(), "invalidFilter", "{text}");
        assert_eq!(e.position(), pos, "{text}: {e}");
    }
}

#[test]
fn messages_say_what_and_where() {
    assert_eq!(
        err(r#"userName xx "a""#).to_string(),
        r#"the filter has an unknown operator "xx" at byte 9 (expected pr, eq, ne, co, sw, ew, gt, ge, lt or le)"#
    );
    assert_eq!(
        err("(a pr").to_string(),
        r#"the filter has the end at byte 5 where ")" (or "and", "or") was expected"#
    );
    assert_eq!(
        err("not a pr").to_string(),
        r#"the filter has "a" at byte 4 where "(" after "not" was expected"#
    );
    assert_eq!(
        err("a[b[c pr]]").to_string(),
        "the filter nests a value filter inside another at byte 3"
    );
    assert_eq!(
        err("x:a pr").to_string(),
        r#"the filter has an invalid attribute path "x:a" at byte 0: only a schema URN (urn:...) may prefix an attribute"#
    );
}

#[test]
fn too_long_is_refused_before_it_is_read() {
    let limits = Limits::DEFAULT;
    let long = format!(r#"userName eq "{}""#, "x".repeat(limits.max_len));
    assert_eq!(
        parse_filter(&long).map_err(|e| e.0),
        Err(SyntaxError::TooLong {
            len: long.len(),
            max: 8192
        })
    );
    // Exactly at the limit is fine.
    let at = format!(r#"userName eq "{}""#, "x".repeat(limits.max_len - 14));
    assert_eq!(at.len(), limits.max_len);
    assert!(parse_filter(&at).is_ok());
}

#[test]
fn deep_nesting_is_refused_not_overflowing_the_stack() {
    let max = Limits::DEFAULT.max_depth;
    let nested = |n: usize, open: &str| format!("{}a pr{}", open.repeat(n), ")".repeat(n));
    assert!(parse_filter(&nested(max, "(")).is_ok());
    assert!(parse_filter(&nested(max, "not (")).is_ok());
    assert_eq!(
        parse_filter(&nested(max + 1, "(")).map_err(|e| e.0),
        Err(SyntaxError::TooDeep { pos: max, max })
    );
    // Far past the limit, and with the length limit lifted so depth alone must stop it.
    let huge = Limits {
        max_len: usize::MAX,
        max_depth: 32,
    };
    for open in ["(", "not (", "a["] {
        let text = nested(200_000, open);
        // "a[a[..." stops at the second "[" (value filters do not nest), the others at the limit.
        assert!(matches!(
            parse_filter_with(&text, huge).map_err(|e| e.0),
            Err(SyntaxError::TooDeep { .. } | SyntaxError::NestedValuePath { .. })
        ));
    }
    // Brackets count: a value filter holding 31 groups is at the limit.
    assert!(parse_filter(&format!(
        "a[{}b pr{}]",
        "(".repeat(max - 1),
        ")".repeat(max - 1)
    ))
    .is_ok());
    assert!(parse_filter(&format!("a[{}b pr{}]", "(".repeat(max), ")".repeat(max))).is_err());
}

#[test]
fn long_flat_chains_are_fine() {
    // 900 operands: flat nodes, no recursion per operand.
    let text = vec!["a pr"; 900].join(" and ");
    assert!(text.len() <= 8192);
    let Ok(rosetta_scim::Filter::And(items)) = parse_filter(&text) else {
        panic!()
    };
    assert_eq!(items.len(), 900);
}
