//! The Group schema: a canonical group's display name, external id and members (users only).

use super::model::{
    AttrType as T, Attribute as A, Mutability as M, Returned as R, Schema, Uniqueness as U,
};
use super::urn;

static MEMBER_SUBS: [A; 4] = [
    A::new("value", T::String, "The id of the member user.")
        .required()
        .case_exact()
        .mutability(M::Immutable),
    // Derived from the user, so returned on request: members a client writes read back as
    // written.
    A::new("display", T::String, "The member's displayName.")
        .mutability(M::ReadOnly)
        .returned(R::Request),
    A::new("$ref", T::Reference, "The URI of the member user.")
        .references(&["User"])
        .case_exact()
        .mutability(M::Immutable),
    A::new(
        "type",
        T::String,
        "The kind of member; Rosetta's members are users.",
    )
    .canonical(&["User"])
    .mutability(M::Immutable),
];

static GROUP_ATTRS: [A; 2] = [
    A::new(
        "displayName",
        T::String,
        "The group's name, unique in the tenant.",
    )
    .required()
    .unique(U::Server),
    A::new("members", T::Complex, "The users in the group.")
        .multi()
        .subs(&MEMBER_SUBS),
];

/// `urn:ietf:params:scim:schemas:core:2.0:Group`.
pub static GROUP: Schema = Schema {
    id: urn::GROUP,
    name: "Group",
    description: "Group",
    attributes: &GROUP_ATTRS,
};
