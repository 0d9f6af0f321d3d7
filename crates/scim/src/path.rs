//! The PATCH `path` grammar (RFC 7644 section 3.5.2):
//!
//! ```text
//! PATH = attrPath / valuePath [subAttr]
//! ```
//!
//! e.g. `displayName`, `name.givenName`, `members[value eq "2819c223"]`,
//! `emails[type eq "work"].value`, `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`.
//! The value filter is the filter grammar's, so errors inside it are the same, but answered as
//! `invalidPath`.

use std::fmt;

use crate::filter::lexer::Kind;
use crate::filter::parser::{attr_name, attr_path, Parser};
use crate::filter::{AttrPath, Filter, Limits, PathError, SyntaxError};

/// A parsed PATCH path.
#[derive(Debug, Clone, PartialEq)]
pub enum PatchPath {
    /// `attr` or `attr.sub`, with or without a URN prefix.
    Attr(AttrPath),
    /// `attr[filter]` or `attr[filter].sub`: the values of multi-valued `attr` that match
    /// `filter` (or their sub-attribute `sub`). `attr` has no sub-attribute of its own.
    Filtered {
        attr: AttrPath,
        filter: Filter,
        sub: Option<String>,
    },
}

impl fmt::Display for PatchPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Attr(attr) => write!(f, "{attr}"),
            Self::Filtered { attr, filter, sub } => {
                write!(f, "{attr}[{filter}]")?;
                if let Some(sub) = sub {
                    write!(f, ".{sub}")?;
                }
                Ok(())
            }
        }
    }
}

/// Parses a PATCH operation's `path` within the default [`Limits`].
pub fn parse_path(text: &str) -> Result<PatchPath, PathError> {
    parse_path_with(text, Limits::DEFAULT)
}

/// Parses a PATCH operation's `path` within `limits`.
pub fn parse_path_with(text: &str, limits: Limits) -> Result<PatchPath, PathError> {
    Ok(path(text, limits)?)
}

fn path(text: &str, limits: Limits) -> Result<PatchPath, SyntaxError> {
    let mut parser = Parser::new(text, limits)?;
    let first = parser.peek().clone();
    let Kind::Word(word) = first.kind else {
        return Err(SyntaxError::Expected {
            pos: first.pos,
            expected: "an attribute path",
            found: first.kind.describe(),
        });
    };
    parser.advance();
    let attr = attr_path(word, first.pos)?;
    let bracket = parser.peek().clone();
    if bracket.kind != Kind::LBracket {
        parser.expect_end("\"[\" or the end of the path")?;
        return Ok(PatchPath::Attr(attr));
    }
    parser.advance();
    let filter = parser.value_filter(&attr, bracket.pos, 0)?;
    let after = parser.peek().clone();
    let sub = match after.kind {
        Kind::Word(w) if w.starts_with('.') => {
            attr_name(&w[1..]).map_err(|why| SyntaxError::InvalidAttrPath {
                pos: after.pos,
                text: w.to_owned(),
                why,
            })?;
            parser.advance();
            Some(w[1..].to_owned())
        }
        _ => None,
    };
    parser.expect_end("\".sub-attribute\" or the end of the path")?;
    Ok(PatchPath::Filtered {
        attr,
        filter: *filter,
        sub,
    })
}
