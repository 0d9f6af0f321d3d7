//! A stored JSON document sent back byte for byte (other answers are `JsonReply`s).

use actix_web::body::BoxBody;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, Responder};

/// JSON text already checked (a stored asset), sent as it is.
pub struct RawJson {
    pub status: StatusCode,
    pub text: String,
}

impl Responder for RawJson {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::build(self.status)
            .content_type("application/json")
            .body(self.text)
    }
}
