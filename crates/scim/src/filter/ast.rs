//! The typed filter tree, and its printing back to filter text.
//!
//! Printing is the parser's inverse: `parse(&f.to_string()) == f` for every tree the parser can
//! produce (the proptests check it), so a filter can be logged, echoed or re-sent as text.

use std::fmt;

/// An attribute path: `[urn ":"] name ["." sub]`.
///
/// Names keep the letter case they were written in; SCIM attribute names are case-insensitive,
/// so whoever resolves them against a schema compares with [`AttrPath::is`] (or
/// `eq_ignore_ascii_case`), never with `==`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrPath {
    /// The schema URN prefix without its trailing colon, e.g.
    /// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`.
    ///
    /// The grammar cannot tell a schema URN from an attribute, so a bare schema URN
    /// (`urn:...:2.0:User`, as some clients send for a whole extension) parses as URN
    /// `urn:...:2.0` and name `User`; [`AttrPath::qualified`] gives the text back for a lookup.
    pub urn: Option<String>,
    /// The attribute name, e.g. `emails`.
    pub name: String,
    /// The sub-attribute name, e.g. `givenName` in `name.givenName`.
    pub sub: Option<String>,
}

impl AttrPath {
    /// A path with neither URN nor sub-attribute.
    pub fn simple(name: impl Into<String>) -> Self {
        Self {
            urn: None,
            name: name.into(),
            sub: None,
        }
    }

    /// Whether this path, written without URN, is `name` or `name.sub` in any letter case:
    /// `path.is("name.givenName")`.
    pub fn is(&self, dotted: &str) -> bool {
        let (name, sub) = match dotted.split_once('.') {
            Some((name, sub)) => (name, Some(sub)),
            None => (dotted, None),
        };
        self.name.eq_ignore_ascii_case(name)
            && match (&self.sub, sub) {
                (Some(mine), Some(theirs)) => mine.eq_ignore_ascii_case(theirs),
                (None, None) => true,
                _ => false,
            }
    }

    /// The path as one string, URN included: `urn:...:User:name.givenName`.
    pub fn qualified(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self { urn, name, sub } = self;
        if let Some(urn) = urn {
            write!(f, "{urn}:")?;
        }
        f.write_str(name)?;
        if let Some(sub) = sub {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

/// A comparison operator (RFC 7644 section 3.4.2.2, table 3); written in any letter case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareOp {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

impl CompareOp {
    /// Every operator, for tests and for error messages listing them.
    pub const ALL: [CompareOp; 9] = [
        Self::Eq,
        Self::Ne,
        Self::Co,
        Self::Sw,
        Self::Ew,
        Self::Gt,
        Self::Ge,
        Self::Lt,
        Self::Le,
    ];

    /// The operator named `word`, in any letter case.
    pub fn from_word(word: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|op| op.as_str().eq_ignore_ascii_case(word))
    }

    /// The operator's lowercase name, as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "eq",
            Self::Ne => "ne",
            Self::Co => "co",
            Self::Sw => "sw",
            Self::Ew => "ew",
            Self::Gt => "gt",
            Self::Ge => "ge",
            Self::Lt => "lt",
            Self::Le => "le",
        }
    }
}

impl fmt::Display for CompareOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A comparison's right-hand side (`compValue`). Dates are strings, as in the RFC: whether a
/// string is compared as a dateTime depends on the attribute's type, which only the schema knows.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A JSON number; integers stay integers (`serde_json::Number` keeps i64/u64 apart from f64).
    Number(serde_json::Number),
    String(String),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("null"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Number(n) => write!(f, "{n}"),
            Self::String(s) => write_json_string(f, s),
        }
    }
}

/// A string as a JSON string literal (the escapes the lexer reads back).
fn write_json_string(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            '\u{08}' => f.write_str("\\b")?,
            '\u{0c}' => f.write_str("\\f")?,
            c if (c as u32) < 0x20 => write!(f, "\\u{:04x}", c as u32)?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

/// A filter (RFC 7644 section 3.4.2.2). `and` and `or` are n-ary (always two or more
/// operands) so that a long chain is one flat node, not a deep tree: walking a parsed filter
/// recurses no deeper than its parentheses, which the parser limits.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `attr pr`
    Present(AttrPath),
    /// `attr op value`
    Compare {
        attr: AttrPath,
        op: CompareOp,
        value: Value,
    },
    /// `attr[filter]`: the inner filter's paths name sub-attributes of `attr`'s values. It never
    /// holds another `ValuePath` (the grammar does not nest them); `attr` has no sub-attribute.
    ValuePath { attr: AttrPath, filter: Box<Filter> },
    /// `not (filter)`
    Not(Box<Filter>),
    /// `a and b and ...`
    And(Vec<Filter>),
    /// `a or b or ...`
    Or(Vec<Filter>),
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Present(attr) => write!(f, "{attr} pr"),
            Self::Compare { attr, op, value } => write!(f, "{attr} {op} {value}"),
            Self::ValuePath { attr, filter } => write!(f, "{attr}[{filter}]"),
            Self::Not(inner) => write!(f, "not ({inner})"),
            // A nested `and`/`or` is kept apart by parentheses so that it reparses as the same
            // tree; an `and` inside an `or` needs none, since `and` binds tighter.
            Self::And(items) => write_joined(f, items, " and ", |c| {
                matches!(c, Self::And(_) | Self::Or(_))
            }),
            Self::Or(items) => write_joined(f, items, " or ", |c| matches!(c, Self::Or(_))),
        }
    }
}

fn write_joined(
    f: &mut fmt::Formatter<'_>,
    items: &[Filter],
    sep: &str,
    needs_parens: impl Fn(&Filter) -> bool,
) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        if needs_parens(item) {
            write!(f, "({item})")?;
        } else {
            write!(f, "{item}")?;
        }
    }
    Ok(())
}
