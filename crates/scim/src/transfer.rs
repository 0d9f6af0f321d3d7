//! SCIM Users outside HTTP, for `rosetta user export --format scim` and `rosetta user import
//! --format scim`: the same converters the routes use, so a file holds exactly the resources
//! a `GET /Users/{id}` answers and takes exactly what a `POST /Users` takes.

use rosetta_core::{NewUser, Role, User};
use serde_json::{Map, Value};

use crate::convert::{new_user, parse_object, user_in, user_out, Context};
use crate::errors::ScimError;

/// The tenant's context of a whole export: the base URL `meta.location` and group `$ref`s
/// are built from (where the dialect is mounted), and the role catalogue (`roles.display`).
pub struct Resources {
    cx: Context,
}

impl Resources {
    pub fn new(base: &str, roles: Vec<Role>) -> Self {
        Self {
            cx: Context {
                base: base.trim_end_matches('/').to_owned(),
                roles,
                // An export names no groups (they are not moved): members' `display` stays out.
                group_names: Default::default(),
            },
        }
    }

    /// The User resource, every attribute the dialect shows (no projection).
    pub fn user(&self, user: &User) -> Value {
        serde_json::to_value(user_out(user, &self.cx)).unwrap_or(Value::Null)
    }
}

/// A User resource as `POST /Users` reads it, into the core's new user; the refusal's
/// `detail` is what the route would answer.
pub fn new_user_from(resource: Map<String, Value>) -> Result<NewUser, ScimError> {
    new_user(user_in(resource)?)
}

/// One line of JSON text into a resource's members, refused as the route refuses a body.
pub fn resource(line: &[u8]) -> Result<Map<String, Value>, ScimError> {
    parse_object(line)
}
