//! Answers: a v2 document in the format the request asked for.

use actix_web::body::BoxBody;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, Responder};
use serde::Serialize;

use crate::format::{format_of, Format};
use crate::wire::{UserResponse, UserSearchResponse};
use crate::xml;

/// The path of the search, whose answers (errors included) are `UserSearchResponse`s.
pub const SEARCH: &str = "/api/v2/user/search";
/// The search with the format in the path (v2.md: a `.json` or `.xml` extension).
pub const SEARCH_JSON: &str = "/api/v2/user/search.json";
pub const SEARCH_XML: &str = "/api/v2/user/search.xml";

/// Which envelope a path answers with, errors included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    User,
    Search,
}

impl Shape {
    /// The envelope of the route `req` was matched to (whatever the dialect's prefix).
    pub fn of(req: &HttpRequest) -> Self {
        match req.match_pattern() {
            Some(p)
                if p.ends_with(SEARCH) || p.ends_with(SEARCH_JSON) || p.ends_with(SEARCH_XML) =>
            {
                Self::Search
            }
            _ => Self::User,
        }
    }
}

/// A v2 response document, as JSON (serde, in the spec's member order) or DataContract XML.
pub trait Document: Serialize {
    fn xml(&self) -> Vec<u8>;
}

impl Document for UserResponse {
    fn xml(&self) -> Vec<u8> {
        xml::user_response(self)
    }
}

impl Document for UserSearchResponse {
    fn xml(&self) -> Vec<u8> {
        xml::search_response(self)
    }
}

pub fn write<T: Document>(format: Format, status: StatusCode, document: &T) -> HttpResponse {
    match format {
        Format::Json(style) => match crate::json::to_json(document, style) {
            Ok(b) => json(status, b),
            Err(e) => serialization_failed(&e),
        },
        Format::Xml => HttpResponse::build(status)
            .content_type("application/xml; charset=utf-8")
            .body(document.xml()),
    }
}

fn json(status: StatusCode, body: Vec<u8>) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("application/json; charset=utf-8")
        .body(body)
}

/// Writing into memory does not fail; if it ever did, the client still gets an envelope.
fn serialization_failed(e: &dyn std::fmt::Display) -> HttpResponse {
    tracing::error!(error = %e, "v2: could not write a response");
    json(
        StatusCode::INTERNAL_SERVER_ERROR,
        br#"{"ResponseStatus":{"ErrorCode":"InternalServerError","Message":"an internal error occurred","Errors":[]}}"#.to_vec(),
    )
}

/// A successful answer (200).
pub struct Reply<T>(pub T);

impl<T: Document> Responder for Reply<T> {
    type Body = BoxBody;

    fn respond_to(self, req: &HttpRequest) -> HttpResponse {
        write(format_of(req), StatusCode::OK, &self.0)
    }
}
