//! Record numbers in paths.
//!
//! A handler parses its path number itself, after its caller extractor: actix polls all of a
//! handler's extractors together, so a `Path<i64>` that fails at once would be answered while
//! the caller's authentication still waits on the database, telling an anonymous caller that a
//! path is not a user before telling it that it is not logged in.

/// How a dialect reads a record number. Each legacy API had its own rule and clients may rely
/// on it (kashflow's `/users/%205` is user 5; usr's `/usr/+5` is no user), so the rule is the
/// dialect's to name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberRule {
    /// ASCII digits only: no sign, no spaces (usr).
    Digits,
    /// A decimal integer with an optional sign (keaz).
    Integer,
    /// A decimal integer with an optional sign, with any surrounding whitespace (kashflow).
    TrimmedInteger,
}

/// The number a path segment names under `rule`, or `None` (which names no record).
pub fn number(segment: &str, rule: NumberRule) -> Option<i64> {
    match rule {
        NumberRule::Digits => {
            if segment.is_empty() || !segment.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            segment.parse().ok()
        }
        NumberRule::Integer => segment.parse().ok(),
        NumberRule::TrimmedInteger => segment.trim().parse().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use NumberRule::*;

    #[test]
    fn each_rule() {
        for rule in [Digits, Integer, TrimmedInteger] {
            assert_eq!(number("42", rule), Some(42));
            assert_eq!(number("abc", rule), None);
            assert_eq!(number("", rule), None);
            assert_eq!(number("99999999999999999999", rule), None);
        }
        assert_eq!(number("+5", Digits), None);
        assert_eq!(number("+5", Integer), Some(5));
        assert_eq!(number(" 5", Integer), None);
        assert_eq!(number(" 5 ", TrimmedInteger), Some(5));
        assert_eq!(number("-5", TrimmedInteger), Some(-5));
    }
}
