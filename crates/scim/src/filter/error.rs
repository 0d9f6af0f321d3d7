//! What can be wrong with filter or path text, and the SCIM `scimType` each grammar answers with.

/// One syntax error, at a byte offset into the text (0-based). The messages name the offending
/// text so a client can fix its request; they never echo more than one token of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyntaxError {
    #[error("is empty")]
    Empty,
    #[error("is {len} bytes long, more than the limit of {max}")]
    TooLong { len: usize, max: usize },
    #[error("nests deeper than {max} levels of parentheses, brackets or not (at byte {pos})")]
    TooDeep { pos: usize, max: usize },
    #[error("has an unexpected character {ch:?} at byte {pos}")]
    UnexpectedChar { pos: usize, ch: char },
    #[error("has an unterminated string starting at byte {pos}")]
    UnterminatedString { pos: usize },
    #[error("has an invalid escape in a string at byte {pos}")]
    InvalidEscape { pos: usize },
    #[error("has an unescaped control character in a string at byte {pos}")]
    ControlCharacter { pos: usize },
    #[error("has an invalid number {text:?} at byte {pos}")]
    InvalidNumber { pos: usize, text: String },
    #[error("has an invalid attribute path {text:?} at byte {pos}: {why}")]
    InvalidAttrPath {
        pos: usize,
        text: String,
        why: &'static str,
    },
    #[error("has an unknown operator {text:?} at byte {pos} (expected pr, eq, ne, co, sw, ew, gt, ge, lt or le)")]
    UnknownOperator { pos: usize, text: String },
    #[error("has {found} at byte {pos} where {expected} was expected")]
    Expected {
        pos: usize,
        expected: &'static str,
        found: String,
    },
    #[error("nests a value filter inside another at byte {pos}")]
    NestedValuePath { pos: usize },
}

impl SyntaxError {
    /// The byte offset the error is at, when it is at one place.
    pub fn position(&self) -> Option<usize> {
        match self {
            Self::Empty | Self::TooLong { .. } => None,
            Self::TooDeep { pos, .. }
            | Self::UnexpectedChar { pos, .. }
            | Self::UnterminatedString { pos }
            | Self::InvalidEscape { pos }
            | Self::ControlCharacter { pos }
            | Self::InvalidNumber { pos, .. }
            | Self::InvalidAttrPath { pos, .. }
            | Self::UnknownOperator { pos, .. }
            | Self::Expected { pos, .. }
            | Self::NestedValuePath { pos } => Some(*pos),
        }
    }
}

/// A `filter` that does not parse: SCIM `400` with `scimType` `invalidFilter`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the filter {0}")]
pub struct FilterError(#[from] pub SyntaxError);

impl FilterError {
    /// The RFC 7644 section 3.12 `scimType`.
    pub const SCIM_TYPE: &'static str = "invalidFilter";

    pub fn scim_type(&self) -> &'static str {
        Self::SCIM_TYPE
    }

    pub fn position(&self) -> Option<usize> {
        self.0.position()
    }
}

/// A PATCH operation's `path` that does not parse: SCIM `400` with `scimType` `invalidPath`
/// (also when the error is inside its value filter: it is the path that is wrong).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the path {0}")]
pub struct PathError(#[from] pub SyntaxError);

impl PathError {
    /// The RFC 7644 section 3.12 `scimType`.
    pub const SCIM_TYPE: &'static str = "invalidPath";

    pub fn scim_type(&self) -> &'static str {
        Self::SCIM_TYPE
    }

    pub fn position(&self) -> Option<usize> {
        self.0.position()
    }
}
