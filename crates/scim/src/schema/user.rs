//! The core User schema and the Enterprise User extension, limited to what Rosetta keeps
//! (scim.md's mapping): an attribute is announced only if it round-trips through the canonical
//! user, so a client never writes something that is silently dropped.

use super::model::{
    AttrType as T, Attribute as A, Mutability as M, Returned as R, Schema, Uniqueness as U,
};
use super::urn;

static NAME_SUBS: [A; 3] = [
    A::new(
        "formatted",
        T::String,
        "The full name, for display (canonical full_name).",
    ),
    A::new(
        "familyName",
        T::String,
        "The family name (canonical last_name).",
    ),
    A::new(
        "givenName",
        T::String,
        "The given name (canonical first_name).",
    ),
];

static EMAIL_SUBS: [A; 3] = [
    A::new("value", T::String, "The email address (canonical email).").required(),
    A::new(
        "type",
        T::String,
        "The kind of address: Rosetta keeps one, the work address.",
    )
    .canonical(&["work"]),
    // Rosetta keeps one address, always the primary: nothing a client writes here could be read
    // back, so it is readOnly, and returned on request so that the address a client writes
    // reads back as written.
    A::new(
        "primary",
        T::Boolean,
        "Always true: Rosetta keeps one address.",
    )
    .mutability(M::ReadOnly)
    .returned(R::Request),
];

static PHONE_SUBS: [A; 2] = [
    A::new(
        "value",
        T::String,
        "The phone number (canonical contact_number).",
    )
    .required(),
    A::new(
        "type",
        T::String,
        "The kind of number: Rosetta keeps the work number.",
    )
    .canonical(&["work"]),
];

static ROLE_SUBS: [A; 2] = [
    A::new(
        "value",
        T::String,
        "The role number, as text (canonical role_number).",
    )
    .required(),
    // Derived from the role number, so returned on request: a role a client writes reads back
    // as written.
    A::new("display", T::String, "The role's name.")
        .mutability(M::ReadOnly)
        .returned(R::Request),
];

static ENTITLEMENT_SUBS: [A; 1] =
    [A::new("value", T::String, "A permission's name (canonical perms).").required()];

static GROUP_SUBS: [A; 3] = [
    A::new(
        "value",
        T::String,
        "The id of a group the user is a member of.",
    )
    .case_exact()
    .mutability(M::ReadOnly),
    A::new("$ref", T::Reference, "The URI of the group.")
        .references(&["Group"])
        .case_exact()
        .mutability(M::ReadOnly),
    A::new("display", T::String, "The group's displayName.").mutability(M::ReadOnly),
];

static USER_ATTRS: [A; 10] = [
    A::new(
        "userName",
        T::String,
        "The unique name of the user in the tenant (canonical username).",
    )
    .required()
    .unique(U::Server),
    // name, displayName, active, emails and roles are required: the core always keeps a name,
    // a status, an email and a role, so a remove could never be read back (400 mutability).
    // A POST or PUT may leave them out: Rosetta supplies the name from the userName, active,
    // the tenant's default role, and the email from a userName that is an address (else 400).
    A::new("name", T::Complex, "The components of the user's name.")
        .required_defaulted()
        .subs(&NAME_SUBS),
    A::new(
        "displayName",
        T::String,
        "The name to display (canonical full_name).",
    )
    .required_defaulted(),
    A::new(
        "active",
        T::Boolean,
        "Whether the user may sign in (canonical status active).",
    )
    .required_defaulted(),
    A::new(
        "password",
        T::String,
        "The user's clear text password; never returned.",
    )
    .case_exact()
    .mutability(M::WriteOnly)
    .returned(R::Never),
    A::new(
        "emails",
        T::Complex,
        "The user's email address; Rosetta keeps one.",
    )
    .multi()
    .required_defaulted()
    .subs(&EMAIL_SUBS),
    A::new("phoneNumbers", T::Complex, "The user's work phone number.")
        .multi()
        .subs(&PHONE_SUBS),
    A::new("roles", T::Complex, "The user's role; Rosetta keeps one.")
        .multi()
        .required_defaulted()
        .subs(&ROLE_SUBS),
    A::new(
        "entitlements",
        T::Complex,
        "The permissions granted to the user.",
    )
    .multi()
    .subs(&ENTITLEMENT_SUBS),
    A::new(
        "groups",
        T::Complex,
        "The groups the user is a member of; change them on the Group.",
    )
    .multi()
    .mutability(M::ReadOnly)
    .subs(&GROUP_SUBS),
];

/// `urn:ietf:params:scim:schemas:core:2.0:User`.
pub static USER: Schema = Schema {
    id: urn::USER,
    name: "User",
    description: "User Account",
    attributes: &USER_ATTRS,
};

static ENTERPRISE_ATTRS: [A; 2] = [
    A::new(
        "employeeNumber",
        T::String,
        "The employee's number (canonical employee_id).",
    ),
    A::new(
        "costCenter",
        T::String,
        "The cost centre (canonical cost-centre_id).",
    ),
];

/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`.
pub static ENTERPRISE_USER: Schema = Schema {
    id: urn::ENTERPRISE_USER,
    name: "EnterpriseUser",
    description: "Enterprise User",
    attributes: &ENTERPRISE_ATTRS,
};
