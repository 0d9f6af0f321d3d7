//! SCIM JSON <-> the core. Every struct is destructured without `..`, so a field added to
//! either side fails to compile here until someone decides what SCIM does with it.

mod group;
mod user_in;
mod user_out;
mod values;

pub use group::{group_in, group_out, member_id, written_group, WrittenGroup};
pub use user_in::{new_user, replace, user_in};
pub use user_out::{etag, user_out, Context};
pub use values::{canonical_keys as canonical_object, parse_object};
