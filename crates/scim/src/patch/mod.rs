//! PATCH (RFC 7644 section 3.5.2): the `PatchOp` request, its application to a resource's JSON
//! according to the schema ([`apply_patch`]), and the member deltas of a Group PatchOp
//! ([`member_changes`]) so that a group's members change without loading them all.

mod apply;
mod members;
mod op;
mod run;
mod target;
mod touched;

pub use apply::{apply_patch, PatchOutcome};
pub use members::{member_changes, MemberChanges, MemberPlan};
pub use op::{OpKind, PatchOp, PatchOperation};
pub use run::AttrRef;
