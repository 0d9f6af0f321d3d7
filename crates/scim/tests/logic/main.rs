//! The SCIM logic through the crate's public API: schemas and discovery documents, attribute
//! lookup, projection and PATCH (every form in scim.md, Entra ID's and Okta's request bodies).

mod discovery;
mod lookup;
