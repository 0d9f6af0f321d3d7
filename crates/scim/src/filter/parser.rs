//! Recursive descent over the tokens, one function per precedence level:
//!
//! ```text
//! filter  = and *("or" and)
//! and     = unary *("and" unary)
//! unary   = "not" "(" filter ")" / "(" filter ")" / attrExp / valuePath
//! attrExp = attrPath "pr" / attrPath compareOp compValue
//! valuePath = attrPath "[" filter "]"          ; no valuePath inside, attrPath without sub
//! ```
//!
//! Only `(`, `not (` and `[` recurse, and each checks the depth limit first, so no input can
//! drive the recursion deeper than [`Limits::max_depth`]; `and`/`or` chains are loops.

use super::ast::{AttrPath, CompareOp, Filter, Value};
use super::error::SyntaxError;
use super::lexer::{tokenize, Kind, Token};

/// How much text and nesting the parsers accept. Hostile input is refused with
/// [`SyntaxError::TooLong`] or [`SyntaxError::TooDeep`] before it costs stack or much memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most bytes of text (URL-decoded). Real filters are far shorter; Entra ID's longest are a
    /// few hundred bytes.
    pub max_len: usize,
    /// Most levels of `(`, `not (` and `[` inside each other.
    pub max_depth: usize,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        max_len: 8192,
        max_depth: 32,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

pub(crate) struct Parser<'a> {
    tokens: Vec<Token<'a>>,
    at: usize,
    limits: Limits,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(text: &'a str, limits: Limits) -> Result<Self, SyntaxError> {
        if text.len() > limits.max_len {
            return Err(SyntaxError::TooLong {
                len: text.len(),
                max: limits.max_len,
            });
        }
        let tokens = tokenize(text)?;
        if tokens.len() == 1 {
            return Err(SyntaxError::Empty);
        }
        Ok(Self {
            tokens,
            at: 0,
            limits,
        })
    }

    /// The token `ahead` places on; past the end, the `End` token.
    fn peek_at(&self, ahead: usize) -> &Token<'a> {
        let last = self.tokens.len() - 1;
        &self.tokens[(self.at + ahead).min(last)]
    }

    pub(crate) fn peek(&self) -> &Token<'a> {
        self.peek_at(0)
    }

    pub(crate) fn advance(&mut self) {
        if self.at + 1 < self.tokens.len() {
            self.at += 1;
        }
    }

    fn peek_keyword(&self, keyword: &str) -> bool {
        matches!(self.peek().kind, Kind::Word(w) if w.eq_ignore_ascii_case(keyword))
    }

    fn expected(&self, expected: &'static str) -> SyntaxError {
        let tok = self.peek();
        SyntaxError::Expected {
            pos: tok.pos,
            expected,
            found: tok.kind.describe(),
        }
    }

    /// Consumes `kind` or fails naming what was found instead.
    pub(crate) fn expect(
        &mut self,
        kind: Kind<'_>,
        expected: &'static str,
    ) -> Result<(), SyntaxError> {
        if self.peek().kind == kind {
            self.advance();
            Ok(())
        } else {
            Err(self.expected(expected))
        }
    }

    pub(crate) fn expect_end(&self, expected: &'static str) -> Result<(), SyntaxError> {
        match self.peek().kind {
            Kind::End => Ok(()),
            _ => Err(self.expected(expected)),
        }
    }

    /// One more level of nesting at `pos`, or `TooDeep`.
    pub(crate) fn enter(&self, pos: usize, depth: usize) -> Result<usize, SyntaxError> {
        if depth >= self.limits.max_depth {
            return Err(SyntaxError::TooDeep {
                pos,
                max: self.limits.max_depth,
            });
        }
        Ok(depth + 1)
    }

    /// `filter = and *("or" and)`; `in_value` inside a value path's brackets.
    pub(crate) fn filter(&mut self, depth: usize, in_value: bool) -> Result<Filter, SyntaxError> {
        let first = self.and(depth, in_value)?;
        if !self.peek_keyword("or") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.peek_keyword("or") {
            self.advance();
            items.push(self.and(depth, in_value)?);
        }
        Ok(Filter::Or(items))
    }

    fn and(&mut self, depth: usize, in_value: bool) -> Result<Filter, SyntaxError> {
        let first = self.unary(depth, in_value)?;
        if !self.peek_keyword("and") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.peek_keyword("and") {
            self.advance();
            items.push(self.unary(depth, in_value)?);
        }
        Ok(Filter::And(items))
    }

    fn unary(&mut self, depth: usize, in_value: bool) -> Result<Filter, SyntaxError> {
        let Token { pos, kind } = self.peek().clone();
        match kind {
            // `not` is a keyword only before "(": an attribute may be called "not".
            Kind::Word(w)
                if w.eq_ignore_ascii_case("not") && self.peek_at(1).kind == Kind::LParen =>
            {
                self.advance();
                self.advance();
                let inner = self.group(pos, depth, in_value)?;
                Ok(Filter::Not(Box::new(inner)))
            }
            Kind::LParen => {
                self.advance();
                self.group(pos, depth, in_value)
            }
            Kind::Word(w) => {
                self.advance();
                let attr = attr_path(w, pos)?;
                self.attr_expr(attr, depth, in_value)
            }
            _ => Err(self.expected("an attribute path, \"(\" or \"not (\"")),
        }
    }

    /// The rest of a parenthesised group whose "(" (or "not") was at `pos` and is consumed.
    fn group(&mut self, pos: usize, depth: usize, in_value: bool) -> Result<Filter, SyntaxError> {
        let depth = self.enter(pos, depth)?;
        let inner = self.filter(depth, in_value)?;
        self.expect(Kind::RParen, "\")\" (or \"and\", \"or\")")?;
        Ok(inner)
    }

    fn attr_expr(
        &mut self,
        attr: AttrPath,
        depth: usize,
        in_value: bool,
    ) -> Result<Filter, SyntaxError> {
        let Token { pos, kind } = self.peek().clone();
        match kind {
            Kind::LBracket => {
                if in_value {
                    return Err(SyntaxError::NestedValuePath { pos });
                }
                self.advance();
                let filter = self.value_filter(&attr, pos, depth)?;
                Ok(Filter::ValuePath { attr, filter })
            }
            Kind::Word(w) if w.eq_ignore_ascii_case("pr") => {
                self.advance();
                Ok(Filter::Present(attr))
            }
            Kind::Word(w) => {
                let Some(op) = CompareOp::from_word(w) else {
                    // "not a pr": more likely a missing "(" than an attribute called "not".
                    if attr == AttrPath::simple("not") {
                        return Err(self.expected("\"(\" after \"not\""));
                    }
                    return Err(SyntaxError::UnknownOperator {
                        pos,
                        text: w.to_owned(),
                    });
                };
                self.advance();
                let value = self.value()?;
                Ok(Filter::Compare { attr, op, value })
            }
            _ => {
                Err(self.expected("an operator (pr, eq, ne, co, sw, ew, gt, ge, lt, le) or \"[\""))
            }
        }
    }

    /// The filter of `attr[filter]` after its "[" at `pos`, consumed up to and with the "]".
    pub(crate) fn value_filter(
        &mut self,
        attr: &AttrPath,
        pos: usize,
        depth: usize,
    ) -> Result<Box<Filter>, SyntaxError> {
        if attr.sub.is_some() {
            return Err(SyntaxError::InvalidAttrPath {
                pos,
                text: attr.to_string(),
                why: "a value filter follows a multi-valued attribute, not a sub-attribute",
            });
        }
        let depth = self.enter(pos, depth)?;
        let filter = self.filter(depth, true)?;
        self.expect(Kind::RBracket, "\"]\" (or \"and\", \"or\")")?;
        Ok(Box::new(filter))
    }

    fn value(&mut self) -> Result<Value, SyntaxError> {
        let value = match &self.peek().kind {
            Kind::Str(s) => Value::String(s.clone()),
            Kind::Number(n) => Value::Number(n.clone()),
            // JSON spells them in lowercase; any case is accepted as for the keywords, since
            // clients write `True` as Entra ID writes its booleans.
            Kind::Word(w) if w.eq_ignore_ascii_case("true") => Value::Bool(true),
            Kind::Word(w) if w.eq_ignore_ascii_case("false") => Value::Bool(false),
            Kind::Word(w) if w.eq_ignore_ascii_case("null") => Value::Null,
            _ => return Err(self.expected("a value (a string, a number, true, false or null)")),
        };
        self.advance();
        Ok(value)
    }
}

/// An attribute path from one word at `pos`: `[urn ":"] ATTRNAME ["." ATTRNAME]`.
pub(crate) fn attr_path(word: &str, pos: usize) -> Result<AttrPath, SyntaxError> {
    let bad = |why| SyntaxError::InvalidAttrPath {
        pos,
        text: word.to_owned(),
        why,
    };
    // The attribute follows the URN's last colon: URNs hold colons and dots ("2.0"), names
    // hold neither.
    let (urn, rest) = match word.rfind(':') {
        Some(i) => {
            let urn = &word[..i];
            let is_urn = urn.len() > 4 && urn[..4].eq_ignore_ascii_case("urn:");
            if !is_urn {
                return Err(bad("only a schema URN (urn:...) may prefix an attribute"));
            }
            (Some(urn.to_owned()), &word[i + 1..])
        }
        None => (None, word),
    };
    let (name, sub) = match rest.split_once('.') {
        Some((name, sub)) => (name, Some(sub)),
        None => (rest, None),
    };
    attr_name(name).map_err(bad)?;
    if let Some(sub) = sub {
        attr_name(sub).map_err(bad)?;
    }
    Ok(AttrPath {
        urn,
        name: name.to_owned(),
        sub: sub.map(str::to_owned),
    })
}

/// `ATTRNAME = ALPHA *(ALPHA / DIGIT / "-" / "_")`, and `$ref` (RFC 7643 uses it as a
/// sub-attribute name though the ABNF leaves out "$").
pub(crate) fn attr_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("an attribute name is empty");
    }
    if name.eq_ignore_ascii_case("$ref") {
        return Ok(());
    }
    let mut bytes = name.bytes();
    let first_ok = bytes.next().is_some_and(|b| b.is_ascii_alphabetic());
    if !first_ok {
        return Err("an attribute name starts with a letter");
    }
    if name.contains('.') {
        return Err("a path has at most one sub-attribute");
    }
    if !bytes.all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err("an attribute name holds only letters, digits, \"-\" and \"_\"");
    }
    Ok(())
}
