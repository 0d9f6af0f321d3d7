#![doc = include_str!("../README.md")]

pub mod body;
mod caller;
mod errors;
pub mod members;
pub mod openapi;
pub mod path;
mod reply;
mod table;
pub mod wording;
pub mod xml;

use actix_web::{HttpMessage, HttpRequest};

pub use body::{read_body, BodyError};
pub use caller::{Admin, Caller};
pub use errors::{render, DialectError, Render};
pub use members::{Members, Repeated};
pub use reply::JsonReply;
pub use table::{join, paths_overlap, AppData, Dialect, Handler, Mounted, OtherMethods, Route};

/// Body limits from `[limits]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub body_bytes: usize,
    pub import_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            body_bytes: 262_144,
            import_bytes: 10 * 1024 * 1024,
        }
    }
}

/// Who made a call, as `/metrics` and `rosetta usage` should name it (never a secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialLabel(pub String);

/// Records the caller for metrics.
pub fn label_credential(req: &HttpRequest, label: impl Into<String>) {
    req.extensions_mut().insert(CredentialLabel(label.into()));
}
