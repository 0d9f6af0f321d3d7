//! Which format a v2 answer is written in (`format`, extension, `Accept`; JSON in the style of
//! `jsconfig`), and the query parameters it comes with.

use actix_web::http::header;
use actix_web::web::{Data, Query};
use actix_web::HttpRequest;

use crate::jsconfig::JsonStyle;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json(JsonStyle),
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    MalformedQuery,
    /// `format` is neither `json` nor `xml`.
    BadFormat,
    /// A `jsconfig` value that cannot be read, and why.
    BadJsconfig(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Json,
    Xml,
}

impl Kind {
    fn named(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "json" => Some(Self::Json),
            "xml" => Some(Self::Xml),
            _ => None,
        }
    }

    fn with(self, style: JsonStyle) -> Format {
        match self {
            Self::Json => Format::Json(style),
            Self::Xml => Format::Xml,
        }
    }
}

/// A `.json` or `.xml` extension on the path (`/api/v2/user.json`).
fn by_extension(req: &HttpRequest) -> Option<Kind> {
    let (_, ext) = req.path().rsplit_once('.')?;
    Kind::named(ext).filter(|_| !ext.contains('/'))
}

/// The media type of `Accept` with the highest `q` that names JSON or XML (the first of equals);
/// `*/*` and anything else name neither.
fn by_accept(req: &HttpRequest) -> Option<Kind> {
    let accept = req.headers().get(header::ACCEPT)?.to_str().ok()?;
    let mut best: Option<(f32, Kind)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let kind = match media.as_str() {
            "application/json" | "text/json" => Kind::Json,
            m if m.ends_with("+json") => Kind::Json,
            "application/xml" | "text/xml" => Kind::Xml,
            m if m.ends_with("+xml") => Kind::Xml,
            _ => continue,
        };
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q=").map(str::trim))
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, kind));
        }
    }
    best.map(|(_, k)| k)
}

/// The mount's JSON defaults (`dialects.v2.json_case` / `json_dates`), when the server set them.
fn defaults(req: &HttpRequest) -> JsonStyle {
    req.app_data::<Data<JsonStyle>>()
        .map_or_else(JsonStyle::default, |d| *d.get_ref())
}

/// The parameters and the answer format, as ServiceStack chooses it: the `format` parameter,
/// else the path's extension, else `Accept`, else JSON; JSON in the style of `jsconfig` over
/// the mount's defaults. A refused request still has the format its answer is written in.
pub fn negotiate(req: &HttpRequest) -> Result<(Params, Format), (Format, Refusal)> {
    let implied = by_extension(req)
        .or_else(|| by_accept(req))
        .unwrap_or(Kind::Json);
    let mut style = defaults(req);
    let Some(params) = Params::of(req) else {
        return Err((implied.with(style), Refusal::MalformedQuery));
    };
    if let Some(raw) = params.get("jsconfig") {
        style = style
            .with_jsconfig(raw)
            .map_err(|why| (implied.with(style), Refusal::BadJsconfig(why)))?;
    }
    match params.get("format").filter(|f| !f.trim().is_empty()) {
        None => Ok((params, implied.with(style))),
        Some(f) => match Kind::named(f) {
            Some(kind) => Ok((params, kind.with(style))),
            None => Err((implied.with(style), Refusal::BadFormat)),
        },
    }
}

/// The format a request is answered in, refused or not.
pub fn format_of(req: &HttpRequest) -> Format {
    match negotiate(req) {
        Ok((_, f)) | Err((f, _)) => f,
    }
}
