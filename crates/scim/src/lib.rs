//! The SCIM 2.0 dialect (RFC 7643, RFC 7644). For now: its two grammars, the `filter` of
//! queries and the `path` of PATCH operations, as typed trees with errors that carry their
//! SCIM `scimType`. No HTTP and no directory access yet; see README.md.

pub mod filter;
pub mod path;

pub use filter::{
    parse_filter, parse_filter_with, AttrPath, CompareOp, Filter, FilterError, Limits, PathError,
    SyntaxError, Value,
};
pub use path::{parse_path, parse_path_with, PatchPath};
