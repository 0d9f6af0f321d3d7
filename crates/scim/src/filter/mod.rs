//! The SCIM filter grammar (RFC 7644 section 3.4.2.2): text in, a typed [`Filter`] out, or a
//! [`FilterError`] (`invalidFilter`) with the byte offset of the fault.

mod ast;
mod error;
pub(crate) mod lexer;
pub(crate) mod parser;

pub use ast::{AttrPath, CompareOp, Filter, Value};
pub use error::{FilterError, PathError, SyntaxError};
pub use parser::Limits;

/// Parses a `filter` (the query parameter's URL-decoded value, or a `SearchRequest`'s) within
/// the default [`Limits`].
pub fn parse_filter(text: &str) -> Result<Filter, FilterError> {
    parse_filter_with(text, Limits::DEFAULT)
}

/// Parses a `filter` within `limits`.
pub fn parse_filter_with(text: &str, limits: Limits) -> Result<Filter, FilterError> {
    let mut parser = parser::Parser::new(text, limits)?;
    let filter = parser.filter(0, false)?;
    parser.expect_end("\"and\", \"or\" or the end of the filter")?;
    Ok(filter)
}
