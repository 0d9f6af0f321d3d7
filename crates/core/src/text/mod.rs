//! The text rule of MAPPING.md, once: every text value any dialect writes is one that every
//! dialect can carry, in JSON and in XML 1.0, and that both databases can store.
//!
//! Rust strings are valid UTF-8 and cannot hold a lone surrogate, so what is left to refuse is
//! NUL (PostgreSQL's `text` cannot hold it), the other C0 controls and DEL..C1 (XML 1.0 forbids
//! C0 but tab, LF and CR; C1 and DEL are discouraged and no name needs them), and the
//! noncharacters XML 1.0 excludes: U+FFFE and U+FFFF of every plane and U+FDD0..U+FDEF.
//! Free text may hold tab, LF and CR; a name, email, username, id, tag or permission name may
//! hold no control character at all (one line, as every dialect shows them).

use crate::error::{CoreError, CoreResult, Field, Problem};

pub(crate) mod kind;

pub use kind::{is_noncharacter, TextKind, FREE_MAX, NAME_MAX};

/// Checks `value` for `field`: its characters first (a bad character is reported as such even
/// in a long value), then its length against the kind's bound.
pub fn check(field: Field, kind: TextKind, value: &str) -> CoreResult<()> {
    check_max(field, kind, kind.max(), value)
}

/// [`check`] with a bound of the field's own (one tighter, or wider, than the kind's).
pub fn check_max(field: Field, kind: TextKind, max: usize, value: &str) -> CoreResult<()> {
    if !kind.carries(value) {
        return Err(CoreError::invalid(field, Problem::NotText { kind }));
    }
    if value.chars().count() > max {
        return Err(CoreError::invalid(field, Problem::TooLong { max }));
    }
    Ok(())
}

/// [`check`] for an optional value.
pub fn check_opt(field: Field, kind: TextKind, value: Option<&str>) -> CoreResult<()> {
    value.map_or(Ok(()), |v| check(field, kind, v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters() {
        for c in ['\0', '\u{1}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}'] {
            assert!(
                !TextKind::Name.allows(c) && !TextKind::Free.allows(c),
                "{c:?}"
            );
        }
        for c in ['\t', '\n', '\r'] {
            assert!(
                !TextKind::Name.allows(c) && TextKind::Free.allows(c),
                "{c:?}"
            );
        }
        for c in [
            '\u{fffe}',
            '\u{ffff}',
            '\u{fdd0}',
            '\u{fdef}',
            '\u{1fffe}',
            '\u{10ffff}',
        ] {
            assert!(is_noncharacter(c) && !TextKind::Free.allows(c), "{c:?}");
        }
        for c in [
            'a',
            ' ',
            '\u{a0}',
            '\u{fdcf}',
            '\u{fdf0}',
            '\u{fffd}',
            '\u{1f600}',
            '\u{10fffd}',
        ] {
            assert!(TextKind::Name.allows(c), "{c:?}");
        }
    }

    #[test]
    fn lengths_and_problems() {
        assert!(check(Field::Email, TextKind::Name, &"a".repeat(254)).is_ok());
        assert!(matches!(
            check(Field::Email, TextKind::Name, &"a".repeat(255)),
            Err(CoreError::Validation {
                field: Field::Email,
                problem: Problem::TooLong { max: 254 }
            })
        ));
        assert!(check(Field::EmployeeId, TextKind::Free, &"é".repeat(1024)).is_ok());
        assert!(check(Field::EmployeeId, TextKind::Free, &"é".repeat(1025)).is_err());
        assert!(matches!(
            check(Field::FullName, TextKind::Name, "A \u{ffff}"),
            Err(CoreError::Validation {
                field: Field::FullName,
                problem: Problem::NotText {
                    kind: TextKind::Name
                }
            })
        ));
    }
}
