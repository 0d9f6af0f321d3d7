//! The one place text search patterns are made: the v2 name search and the query model's
//! substrings of names both go through here (issue 18 adds trigram indexes behind it).

/// `v` with LIKE's wildcards and the escape character escaped (by `\`).
pub(crate) fn like_escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Which part of `users.name_key` ("full\nfirst\nlast" in lower case) a name search reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NamePart {
    /// Full, first or last name (the v2 search).
    Any,
    Full,
    First,
    Last,
}

/// How a part is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Match {
    Equals,
    Contains,
    Starts,
    Ends,
}

/// The LIKE pattern over `name_key` for `term` (folded here) in `part`. A name holds no line
/// feed (the text rule), so the line feeds delimit the parts exactly: a pattern that needs a
/// line feed before the term and one after it matches within the first name only.
pub(crate) fn name_key_pattern(part: NamePart, how: Match, term: &str) -> String {
    let t = like_escape(&term.to_lowercase());
    let (before, after) = match part {
        NamePart::Any => ("", ""),
        NamePart::Full => ("", "\n%\n"),
        NamePart::First => ("\n", "\n"),
        NamePart::Last => ("\n%\n", ""),
    };
    let any = part == NamePart::Any;
    // Where the part starts and ends, unless the match leaves that side open.
    let open_start = matches!(how, Match::Contains | Match::Ends);
    let open_end = matches!(how, Match::Contains | Match::Starts);
    let lead = match (part, open_start) {
        (NamePart::Full, false) => String::new(),
        (NamePart::Any, _) | (_, true) => format!("%{before}%"),
        (_, false) => format!("%{before}"),
    };
    let trail = match (part, open_end) {
        (NamePart::Last, false) => String::new(),
        (NamePart::Any, _) | (_, true) => format!("%{after}%"),
        (_, false) => format!("{after}%"),
    };
    let lead = if any { "%".to_owned() } else { lead };
    let trail = if any { "%".to_owned() } else { trail };
    format!("{lead}{t}{trail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The patterns, checked against a LIKE written here (the backends' LIKE is the same for
    /// these: `%` any run, no `_` left unescaped).
    fn like(pattern: &str, text: &str) -> bool {
        fn go(p: &[char], t: &[char]) -> bool {
            match p.split_first() {
                None => t.is_empty(),
                Some(('%', rest)) => (0..=t.len()).any(|i| go(rest, &t[i..])),
                Some(('\\', rest)) => match (rest.split_first(), t.split_first()) {
                    (Some((c, rest)), Some((d, t))) => c == d && go(rest, t),
                    _ => false,
                },
                Some((c, rest)) => t.split_first().is_some_and(|(d, t)| c == d && go(rest, t)),
            }
        }
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
        go(&p, &t)
    }

    #[test]
    fn name_parts_match_only_their_part() {
        let key = "ada king lovelace\nada\nking lovelace";
        let cases = [
            (NamePart::Full, Match::Equals, "Ada King Lovelace", true),
            (NamePart::Full, Match::Equals, "ada", false),
            (NamePart::Full, Match::Starts, "ada k", true),
            (NamePart::Full, Match::Ends, "lovelace", true),
            (NamePart::Full, Match::Contains, "g l", true),
            (NamePart::First, Match::Equals, "ADA", true),
            (NamePart::First, Match::Equals, "ad", false),
            (NamePart::First, Match::Contains, "king", false),
            (NamePart::First, Match::Starts, "a", true),
            (NamePart::First, Match::Ends, "da", true),
            (NamePart::Last, Match::Equals, "king lovelace", true),
            (NamePart::Last, Match::Equals, "lovelace", false),
            (NamePart::Last, Match::Starts, "king", true),
            (NamePart::Last, Match::Starts, "ada", false),
            (NamePart::Last, Match::Ends, "lace", true),
            (NamePart::Last, Match::Contains, "g l", true),
            (NamePart::Last, Match::Contains, "ada", false),
            (NamePart::Any, Match::Contains, "ada", true),
            (NamePart::Any, Match::Contains, "50%", false),
        ];
        for (part, how, term, want) in cases {
            let p = name_key_pattern(part, how, term);
            assert_eq!(like(&p, key), want, "{part:?} {how:?} {term:?}: {p:?}");
        }
        assert_eq!(
            name_key_pattern(NamePart::Any, Match::Contains, "a_b%"),
            "%a\\_b\\%%"
        );
    }
}
