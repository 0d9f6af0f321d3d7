//! The query string: `attributes` / `excludedAttributes` on every answer that carries a
//! resource (RFC 7644 section 3.9), and the list parameters of section 3.4.2.

use actix_web::web::Query;
use actix_web::HttpRequest;
use serde_json::Value;

use crate::errors::ScimError;
use crate::project::Projection;
use crate::schema::ResourceType;

/// The parameters, in the order sent. A query string that is not `a=b&c=d` is a 400.
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn of(req: &HttpRequest) -> Result<Self, ScimError> {
        Query::<Vec<(String, String)>>::from_query(req.query_string())
            .map(|q| Self(q.into_inner()))
            .map_err(|_| ScimError::invalid_syntax("The query string cannot be read."))
    }

    /// The last value of `name` (parameter names are matched in any letter case).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `attributes` and `excludedAttributes` over `rt`.
    pub fn projection(&self, rt: &'static ResourceType) -> Result<Projection, ScimError> {
        Ok(Projection::from_query(
            rt,
            self.get("attributes"),
            self.get("excludedAttributes"),
        )?)
    }
}

/// `resource` as the request asked to see it.
pub fn projected(
    req: &HttpRequest,
    rt: &'static ResourceType,
    resource: &Value,
) -> Result<Value, ScimError> {
    Ok(Params::of(req)?.projection(rt)?.apply(resource))
}
