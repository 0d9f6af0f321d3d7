//! The query model: a condition tree over canonical attributes that knows no dialect (SCIM's
//! filter grammar is parsed by the dialect into this), with sort and offset paging. The store
//! turns it into SQL; it is never answered by loading a tenant into memory.

mod attrs;
mod fold;
pub(crate) mod problem;
mod tree;

pub use attrs::{AttrKind, GroupAttr, QueryAttr, UserAttr};
pub use fold::Folded;
pub use problem::{CompareOp, QueryProblem};
pub use tree::{Comparison, Condition, GroupQuery, Query, QueryPage, Sort, UserQuery, Value};
