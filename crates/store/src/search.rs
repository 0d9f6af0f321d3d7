//! The one place text search patterns are made: the v2 name search and the query model's
//! substrings of names, usernames and emails all go through here, and so do the trigram
//! indexes behind them (migration `search_trigram`, issue 18).
//!
//! The LIKE over a stored lower-case key stays the exact test on both backends (case folding,
//! `%` and `_` matching themselves); the index only narrows the rows it runs on:
//! - PostgreSQL: pg_trgm GIN indexes on `name_key`, `username_key` and `email_key` serve the
//!   LIKE itself, so the query is unchanged;
//! - SQLite: the contentless FTS5 table `users_search` (tokenizer `trigram`, kept by triggers)
//!   is asked for the ids whose key holds the term, and the LIKE runs on those rows only.
//!
//! A term of fewer than three characters holds no trigram: it keeps the scan (v2 walks the
//! tenant in id order and stops at the page; the count reads the narrow name index).

use diesel::dsl::sql;
use diesel::sql_types::{Bool, Text};

use crate::db::DbConn;
use crate::query::Pred;
use crate::schema::users;

/// Which backend a query is built for: the trigram index is asked differently on each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub(crate) fn of(conn: &DbConn) -> Self {
        match conn {
            DbConn::Sqlite(_) => Engine::Sqlite,
            DbConn::Postgres(_) => Engine::Postgres,
        }
    }
}

/// A key column the trigram index holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    Name,
    Username,
    Email,
}

impl Key {
    fn column(self) -> &'static str {
        match self {
            Key::Name => "name_key",
            Key::Username => "username_key",
            Key::Email => "email_key",
        }
    }
}

/// The shortest term a trigram index can find (in characters).
pub(crate) const TRIGRAM: usize = 3;

/// Whether the trigram index can find `term` (already folded as the key is).
pub(crate) fn indexable(term: &str) -> bool {
    term.chars().count() >= TRIGRAM
}

/// The FTS5 query finding the rows whose `key` holds `term` (and some more, which the LIKE
/// drops): the trigrams that tile the term, every third one from its start and the last one,
/// each quoted (`"` doubled) and limited to the column, joined by AND.
///
/// Why not the one phrase of all its trigrams, which matches the substring itself: FTS5 reads
/// the position lists of every trigram of a phrase and lines them up, while an AND of a third
/// of them only intersects row ids. With `ada lovelace` over 1,000,000 users named as the bench
/// loader names them (326 matches, whose trigrams each occur in 15,000 to 60,000 rows), the
/// count took 4.3 ms as a phrase and 1.9 ms as the AND, the first page 4.5 ms and 1.0 ms
/// (Python `sqlite3` 3.40 on the same three keys, best of 5). Every
/// row holding the term holds each of its trigrams, so the AND is a superset and the LIKE on
/// the key stays the exact test; the rows it adds (the trigrams apart, in another order) are
/// few for any term long enough to be selective.
pub(crate) fn fts_query(key: Key, term: &str) -> String {
    let chars: Vec<char> = term.chars().collect();
    let last = chars.len().saturating_sub(TRIGRAM);
    let mut starts: Vec<usize> = (0..=last).step_by(TRIGRAM).collect();
    if starts.last() != Some(&last) {
        starts.push(last);
    }
    starts
        .into_iter()
        .map(|i| {
            let end = (i + TRIGRAM).min(chars.len());
            let trigram: String = chars.get(i..end).unwrap_or_default().iter().collect();
            format!("{} : \"{}\"", key.column(), trigram.replace('"', "\"\""))
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Where the index narrows the rows a LIKE on `key` for `term` reads: on SQLite, the ids
/// `users_search` finds (a superset of the LIKE's rows: FTS5 folds case as loosely as the
/// keys or more); `None` where the LIKE needs no help (PostgreSQL's GIN index serves it) or
/// cannot have it (a term under three characters).
pub(crate) fn candidates(engine: Engine, key: Key, term: &str) -> Option<Pred<users::table>> {
    if engine != Engine::Sqlite || !indexable(term) {
        return None;
    }
    Some(Box::new(
        sql::<Bool>(
            "\"users\".\"id\" IN (SELECT rowid FROM users_search WHERE users_search MATCH ",
        )
        .bind::<Text, _>(fts_query(key, term))
        .sql(")"),
    ))
}

/// `p`, run only on the rows the index finds for `term` in `key` where there is such an index.
pub(crate) fn narrowed(
    engine: Engine,
    key: Key,
    term: &str,
    p: Pred<users::table>,
) -> Pred<users::table> {
    use diesel::BoolExpressionMethods;
    match candidates(engine, key, term) {
        Some(c) => Box::new(c.and(p)),
        None => p,
    }
}

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

    #[test]
    fn fts_queries_quote_the_term_as_one_phrase() {
        assert_eq!(fts_query(Key::Name, "ada"), "name_key : \"ada\"");
        assert_eq!(
            fts_query(Key::Name, "ada l"),
            "name_key : \"ada\" AND name_key : \"a l\""
        );
        assert_eq!(
            fts_query(Key::Username, "lovelace"),
            "username_key : \"lov\" AND username_key : \"ela\" AND username_key : \"ace\""
        );
        assert_eq!(
            fts_query(Key::Name, "abcdef"),
            "name_key : \"abc\" AND name_key : \"def\""
        );
        // By characters, not bytes; quotes doubled.
        assert_eq!(
            fts_query(Key::Name, "ñoño"),
            "name_key : \"ñoñ\" AND name_key : \"oño\""
        );
        assert_eq!(fts_query(Key::Email, "a\"b"), "email_key : \"a\"\"b\"");
        assert!(indexable("abc") && indexable("élé") && !indexable("ab") && !indexable(""));
        assert!(candidates(Engine::Postgres, Key::Name, "abcdef").is_none());
        assert!(candidates(Engine::Sqlite, Key::Name, "ab").is_none());
        assert!(candidates(Engine::Sqlite, Key::Name, "abc").is_some());
    }
}
