//! Which format an answer is written in, from the caller's `Accept`.

use actix_web::http::header;
use actix_web::HttpRequest;

/// The format a response is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    /// `text`: the caller named `text/xml`, so the answer says the same.
    Xml {
        text: bool,
    },
}

impl Format {
    /// KashFlow answers JSON unless the caller's `Accept` names XML before (or without) JSON;
    /// quality values are not weighed, as the legacy service did not weigh them either.
    pub fn of(req: &HttpRequest) -> Self {
        let accept = req
            .headers()
            .get_all(header::ACCEPT)
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        for range in accept.split(',') {
            let mt = range
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            match mt.as_str() {
                "application/json" | "text/json" => return Self::Json,
                "application/xml" => return Self::Xml { text: false },
                "text/xml" => return Self::Xml { text: true },
                _ if mt.ends_with("+json") => return Self::Json,
                _ if mt.ends_with("+xml") => return Self::Xml { text: false },
                _ => {}
            }
        }
        Self::Json
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json; charset=utf-8",
            Self::Xml { text: false } => "application/xml; charset=utf-8",
            Self::Xml { text: true } => "text/xml; charset=utf-8",
        }
    }
}
