//! The common attributes every resource has (RFC 7643 section 3.1): `id`, `externalId`, `meta`.
//! They resolve like schema attributes but, as in the RFC's own schema representations, are not
//! listed in `/Schemas`.

use super::model::{
    AttrType as T, Attribute as A, Mutability as M, Returned as R, Uniqueness as U,
};

static META_SUBS: [A; 5] = [
    A::new("resourceType", T::String, "The resource's type.")
        .case_exact()
        .mutability(M::ReadOnly),
    A::new("created", T::DateTime, "When the resource was created.").mutability(M::ReadOnly),
    A::new(
        "lastModified",
        T::DateTime,
        "When the resource was last changed.",
    )
    .mutability(M::ReadOnly),
    A::new("location", T::Reference, "The resource's URI.")
        .references(&["uri"])
        .case_exact()
        .mutability(M::ReadOnly),
    A::new("version", T::String, "The resource's version, its ETag.")
        .case_exact()
        .mutability(M::ReadOnly),
];

pub static COMMON: [A; 3] = [
    A::new("id", T::String, "The resource's id (canonical uuid).")
        .case_exact()
        .mutability(M::ReadOnly)
        .returned(R::Always)
        .unique(U::Server),
    A::new(
        "externalId",
        T::String,
        "The id the provisioning client gave (canonical external_id).",
    )
    .case_exact(),
    A::new("meta", T::Complex, "The resource's metadata.")
        .mutability(M::ReadOnly)
        .subs(&META_SUBS),
];
