//! Which format a v2 answer is written in, from the `format` parameter, and the query
//! parameters it comes with.

use actix_web::http::header;
use actix_web::web::Query;
use actix_web::HttpRequest;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

/// Query parameters, looked up by name in any letter case; the first occurrence counts.
pub struct Params(Vec<(String, String)>);

impl Params {
    fn of(req: &HttpRequest) -> Option<Self> {
        Self::parse(req.query_string())
    }

    /// A query string's parameters in order; `None` when it is malformed.
    pub(crate) fn parse(query: &str) -> Option<Self> {
        Query::<Vec<(String, String)>>::from_query(query)
            .ok()
            .map(|q| Self(q.into_inner()))
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A parameter with text in it; blank counts as absent.
    pub fn value(&self, name: &str) -> Option<String> {
        self.get(name)
            .filter(|v| !v.trim().is_empty())
            .map(str::to_owned)
    }
}

/// Why a request has no answer format of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    MalformedQuery,
    /// `format` is missing or neither `json` nor `xml`.
    BadFormat,
}

/// The parameters and the answer format. Without a usable `format` parameter the call is
/// refused, in JSON if the client's Accept names JSON, else in XML (the dialect's default body
/// format).
pub fn negotiate(req: &HttpRequest) -> Result<(Params, Format), (Format, Refusal)> {
    let fallback = {
        let accept = req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if accept.contains("json") {
            Format::Json
        } else {
            Format::Xml
        }
    };
    let Some(params) = Params::of(req) else {
        return Err((fallback, Refusal::MalformedQuery));
    };
    match params.get("format").map(|f| f.trim().to_ascii_lowercase()) {
        Some(f) if f == "json" => Ok((params, Format::Json)),
        Some(f) if f == "xml" => Ok((params, Format::Xml)),
        _ => Err((fallback, Refusal::BadFormat)),
    }
}

/// The format a request is answered in, refused or not.
pub fn format_of(req: &HttpRequest) -> Format {
    match negotiate(req) {
        Ok((_, f)) | Err((f, _)) => f,
    }
}
