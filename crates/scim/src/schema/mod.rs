//! The schemas Rosetta serves (RFC 7643): attribute definitions for User, the Enterprise User
//! extension and Group, the resource types, and the resolution of attribute paths that filters,
//! projection and PATCH share.

mod common;
mod group;
mod model;
mod resource_type;
mod unkept;
mod user;

pub use group::GROUP;
pub use model::{AttrType, Attribute, Mutability, Returned, Schema, Uniqueness};
pub use resource_type::{
    resource_type_named, split_path, Resolved, ResourceType, GROUP_TYPE, RESOURCE_TYPES, USER_TYPE,
};
pub use user::{ENTERPRISE_USER, USER};

/// The schemas this crate knows, in the order `/Schemas` lists them.
pub static SCHEMAS: [&Schema; 3] = [&USER, &ENTERPRISE_USER, &GROUP];

/// The URNs of RFC 7643 and RFC 7644.
pub mod urn {
    pub const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
    pub const ENTERPRISE_USER: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    pub const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
    pub const SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";
    pub const RESOURCE_TYPE: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
    pub const SERVICE_PROVIDER_CONFIG: &str =
        "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
    pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    pub const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    pub const SEARCH_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
    pub const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
}
