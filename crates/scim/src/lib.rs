//! The SCIM 2.0 dialect's pure logic (RFC 7643, RFC 7644): the `filter` and PATCH `path`
//! grammars, the schemas and discovery documents, attribute projection, PATCH application and
//! the SCIM error. No HTTP and no directory access; see README.md.

pub mod discovery;
pub mod filter;
mod filter_check;
pub mod input;
mod json;
pub mod matcher;
pub mod patch;
pub mod path;
pub mod project;
pub mod request_error;
pub mod schema;

pub use filter::{
    parse_filter, parse_filter_with, AttrPath, CompareOp, Filter, FilterError, Limits, PathError,
    SyntaxError, Value,
};
pub use filter_check::check_filter;
pub use patch::{apply_patch, member_changes, PatchOp};
pub use path::{parse_path, parse_path_with, PatchPath};
pub use project::Projection;
pub use request_error::RequestError;
pub use schema::ResourceType;
