//! Filter and path text into tokens, each with its byte offset.
//!
//! Words are runs of `ALPHA DIGIT _ - : . $` starting with a letter, `$` (for `$ref`) or `.`
//! (the sub-attribute after a PATCH path's `]`). So an attribute path with its URN prefix
//! (`urn:...:2.0:User:name.givenName`) is one word, and the parser splits it; keywords (`and`,
//! `not`, `pr`, `true`) are words too, told apart by where they stand, so an attribute may be
//! named like one. Strings are JSON strings, numbers JSON numbers.

use super::error::SyntaxError;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind<'a> {
    Word(&'a str),
    Str(String),
    Number(serde_json::Number),
    LParen,
    RParen,
    LBracket,
    RBracket,
    End,
}

impl Kind<'_> {
    /// How the token is named in an error message: its text, or "the end".
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::Word(w) => format!("{w:?}"),
            Self::Str(_) => "a string".to_owned(),
            Self::Number(n) => format!("the number {n}"),
            Self::LParen => "\"(\"".to_owned(),
            Self::RParen => "\")\"".to_owned(),
            Self::LBracket => "\"[\"".to_owned(),
            Self::RBracket => "\"]\"".to_owned(),
            Self::End => "the end".to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token<'a> {
    pub pos: usize,
    pub kind: Kind<'a>,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b':' | b'.' | b'$')
}

/// Every token of `text`, ending with one `End` at `text.len()`.
pub(crate) fn tokenize(text: &str) -> Result<Vec<Token<'_>>, SyntaxError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let kind = match b {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'(' => Kind::LParen,
            b')' => Kind::RParen,
            b'[' => Kind::LBracket,
            b']' => Kind::RBracket,
            b'"' => {
                let (s, end) = string(text, i)?;
                tokens.push(Token {
                    pos: i,
                    kind: Kind::Str(s),
                });
                i = end;
                continue;
            }
            b'-' | b'0'..=b'9' => {
                let (n, end) = number(text, i)?;
                tokens.push(Token {
                    pos: i,
                    kind: Kind::Number(n),
                });
                i = end;
                continue;
            }
            b if b.is_ascii_alphabetic() || b == b'$' || b == b'.' => {
                let end = run_end(bytes, i);
                tokens.push(Token {
                    pos: i,
                    kind: Kind::Word(&text[i..end]),
                });
                i = end;
                continue;
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or('\u{fffd}');
                return Err(SyntaxError::UnexpectedChar { pos: i, ch });
            }
        };
        tokens.push(Token { pos: i, kind });
        i += 1;
    }
    tokens.push(Token {
        pos: text.len(),
        kind: Kind::End,
    });
    Ok(tokens)
}

fn run_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    while end < bytes.len() && is_word_byte(bytes[end]) {
        end += 1;
    }
    end
}

/// A JSON number at `start`: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, not
/// followed by a word character (`12abc` is one bad token, not a number and a word).
fn number(text: &str, start: usize) -> Result<(serde_json::Number, usize), SyntaxError> {
    let bytes = text.as_bytes();
    let digits = |mut i: usize| {
        let from = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        (i, i > from)
    };
    let bad = || SyntaxError::InvalidNumber {
        pos: start,
        text: text[start..run_end(bytes, start)].to_owned(),
    };
    let mut i = start;
    if bytes.get(i) == Some(&b'-') {
        i += 1;
    }
    let int_start = i;
    let (after_int, any) = digits(i);
    // A leading zero stands alone ("012" is not JSON).
    if !any || (bytes[int_start] == b'0' && after_int - int_start > 1) {
        return Err(bad());
    }
    i = after_int;
    if bytes.get(i) == Some(&b'.') {
        let (after, any) = digits(i + 1);
        if !any {
            return Err(bad());
        }
        i = after;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let (after, any) = digits(i);
        if !any {
            return Err(bad());
        }
        i = after;
    }
    if i < bytes.len() && is_word_byte(bytes[i]) {
        return Err(bad());
    }
    Ok((json_number(&text[start..i]).ok_or_else(bad)?, i))
}

/// The value of a lexically valid JSON number: an integer when it is written as one and fits
/// i64/u64, else the nearest f64 (std's parse rounds correctly, so printing it back with
/// serde_json's shortest form and reading that again gives the same f64). What does not fit an
/// f64 (1e400) is refused, so a number in the tree is finite.
fn json_number(lexeme: &str) -> Option<serde_json::Number> {
    let integral = !lexeme.contains(['.', 'e', 'E']);
    if integral {
        if let Ok(n) = lexeme.parse::<u64>() {
            return Some(n.into());
        }
        if let Ok(n) = lexeme.parse::<i64>() {
            return Some(n.into());
        }
    }
    serde_json::Number::from_f64(lexeme.parse::<f64>().ok()?)
}

/// A JSON string whose opening quote is at `start`: its value and the offset after its end.
fn string(text: &str, start: usize) -> Result<(String, usize), SyntaxError> {
    let mut out = String::new();
    let mut chars = text[start + 1..]
        .char_indices()
        .map(|(i, c)| (start + 1 + i, c));
    while let Some((pos, c)) = chars.next() {
        match c {
            '"' => return Ok((out, pos + 1)),
            '\\' => {
                let Some((_, e)) = chars.next() else {
                    break;
                };
                let bad = SyntaxError::InvalidEscape { pos };
                match e {
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    '/' => out.push('/'),
                    'b' => out.push('\u{08}'),
                    'f' => out.push('\u{0c}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'u' => {
                        let high = hex4(&mut chars).ok_or(bad.clone())?;
                        let code = if (0xD800..0xDC00).contains(&high) {
                            // A high surrogate needs its low half as a second \u escape.
                            let (Some((_, '\\')), Some((_, 'u'))) = (chars.next(), chars.next())
                            else {
                                return Err(bad);
                            };
                            let low = hex4(&mut chars).ok_or(bad.clone())?;
                            if !(0xDC00..0xE000).contains(&low) {
                                return Err(bad);
                            }
                            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            high
                        };
                        out.push(char::from_u32(code).ok_or(bad)?);
                    }
                    _ => return Err(bad),
                }
            }
            c if (c as u32) < 0x20 => return Err(SyntaxError::ControlCharacter { pos }),
            c => out.push(c),
        }
    }
    Err(SyntaxError::UnterminatedString { pos: start })
}

fn hex4(chars: &mut impl Iterator<Item = (usize, char)>) -> Option<u32> {
    let mut v = 0;
    for _ in 0..4 {
        v = v * 16 + chars.next()?.1.to_digit(16)?;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind<'_>> {
        tokenize(text)
            .unwrap()
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    #[test]
    fn words_numbers_strings_and_brackets() {
        assert_eq!(
            kinds(r#"emails[type eq "w\u00e9rk"].value gt -1.5e3"#),
            vec![
                Kind::Word("emails"),
                Kind::LBracket,
                Kind::Word("type"),
                Kind::Word("eq"),
                Kind::Str("wérk".into()),
                Kind::RBracket,
                Kind::Word(".value"),
                Kind::Word("gt"),
                Kind::Number(serde_json::Number::from_f64(-1500.0).unwrap()),
                Kind::End,
            ]
        );
    }

    #[test]
    fn a_urn_prefixed_path_is_one_word() {
        let w = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber";
        assert_eq!(kinds(w), vec![Kind::Word(w), Kind::End]);
    }

    #[test]
    fn json_escapes_and_surrogate_pairs() {
        assert_eq!(
            kinds(r#""a\"b\\c\/d\b\f\n\r\t\ud83d\ude00""#)[0],
            Kind::Str("a\"b\\c/d\u{8}\u{c}\n\r\t😀".into())
        );
        for bad in [
            r#""\x""#,
            r#""\u12""#,
            r#""\ud83d""#,
            r#""\ud83d\u0041""#,
            r#""\udc00""#,
        ] {
            assert!(
                matches!(tokenize(bad), Err(SyntaxError::InvalidEscape { .. })),
                "{bad}"
            );
        }
        assert_eq!(
            tokenize("\"ab"),
            Err(SyntaxError::UnterminatedString { pos: 0 })
        );
        assert_eq!(
            tokenize("x eq \"a\u{1}\""),
            Err(SyntaxError::ControlCharacter { pos: 7 })
        );
    }

    #[test]
    fn numbers_follow_json() {
        for ok in ["0", "-0", "12", "1.25", "1e3", "1E-3", "-7.5e+2"] {
            assert!(matches!(kinds(ok)[0], Kind::Number(_)), "{ok}");
        }
        for bad in ["01", "1.", "1.x", "1e", "-", "12abc", "1e400", "--1"] {
            assert!(tokenize(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn stray_characters_are_named_with_their_position() {
        assert_eq!(
            tokenize("a eq 'x'"),
            Err(SyntaxError::UnexpectedChar { pos: 5, ch: '\'' })
        );
        assert_eq!(
            tokenize("a eq é"),
            Err(SyntaxError::UnexpectedChar { pos: 5, ch: 'é' })
        );
    }
}
