//! Answers in the negotiated format.

use actix_web::body::BoxBody;
use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse, Responder};
use rosetta_dialect::xml::{Escape, Writer};
use serde::Serialize;

use crate::format::Format;
use crate::wire::ToXml;

/// Writes a body in `format`.
pub fn write<T: Serialize + ToXml>(format: Format, status: StatusCode, body: &T) -> HttpResponse {
    let bytes = match format {
        Format::Json => match serde_json::to_vec(body) {
            Ok(b) => b,
            Err(e) => {
                tracing::error!(error = %e, "cannot serialise a response");
                return HttpResponse::InternalServerError().finish();
            }
        },
        Format::Xml { .. } => {
            let mut out = Writer::new(Escape::All);
            body.write_xml(&mut out);
            out.finish().into_bytes()
        }
    };
    HttpResponse::build(status)
        .content_type(format.content_type())
        .body(bytes)
}

/// A successful answer, written in the format the request's `Accept` asks for.
pub struct Reply<T> {
    status: StatusCode,
    body: T,
    location: Option<String>,
}

impl<T> Reply<T> {
    pub fn ok(body: T) -> Self {
        Self {
            status: StatusCode::OK,
            body,
            location: None,
        }
    }

    /// 201 with the new resource's `Location`.
    pub fn created(body: T, location: String) -> Self {
        Self {
            status: StatusCode::CREATED,
            body,
            location: Some(location),
        }
    }
}

impl<T: Serialize + ToXml> Responder for Reply<T> {
    type Body = BoxBody;

    fn respond_to(self, req: &HttpRequest) -> HttpResponse {
        let mut res = write(Format::of(req), self.status, &self.body);
        if let Some(value) = self
            .location
            .and_then(|l| header::HeaderValue::from_str(&l).ok())
        {
            res.headers_mut().insert(header::LOCATION, value);
        }
        res
    }
}
