//! XML bodies: the one hardened reader every dialect reads XML with, and the writer with its
//! escaping.
//!
//! The reader refuses a DOCTYPE outright (so no entity can be declared, and references to
//! undeclared entities fail to unescape), bounds the nesting depth, drops namespace prefixes
//! from element names, and skips comments, declarations and processing instructions. What an
//! element *becomes* is the dialect's: [`read`] hands every closed element, with its children
//! already made into the dialect's values, to the dialect's `close`, in document order, so a
//! dialect's own refusal (a member given twice, text mixed with elements) is met exactly where
//! the document breaks its rule.

mod error;
mod name;
#[cfg(test)]
mod props;
mod read;
mod write;

pub use error::XmlError;
pub use read::{read, Attribute, Attributes, Element, Failure, MAX_DEPTH};
pub use write::{Escape, Writer, DECLARATION};
