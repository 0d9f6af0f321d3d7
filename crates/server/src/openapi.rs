//! `GET /openapi/<dialect>.json` on the main listener: each mounted dialect's OpenAPI document,
//! its paths under the mount's prefix (and, for a mount on a listener of its own, that
//! listener as the document's server).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use actix_web::web::{Data, Path};
use actix_web::HttpResponse;
use rosetta_dialect::openapi::document_at;
use rosetta_dialect::openapi::utoipa::openapi::server::Server;
use rosetta_dialect::Dialect;

/// The route on the main listener (a GET path the collision check keeps free).
pub const PATH: &str = "/openapi/{file}";

/// Every document, by file name (`kashflow.json`), serialised once at start.
#[derive(Clone, Default)]
pub struct Documents(Arc<BTreeMap<String, String>>);

impl Documents {
    /// Each mount: its dialect, its prefix, and the listener of its own it is served on.
    pub fn new<'a>(
        mounts: impl IntoIterator<Item = (&'a Dialect, &'a str, Option<SocketAddr>)>,
    ) -> Result<Self, serde_json::Error> {
        let mut docs = BTreeMap::new();
        for (dialect, prefix, listener) in mounts {
            let mut doc = document_at(dialect, prefix);
            if let Some(addr) = listener {
                doc.servers = Some(vec![Server::new(format!("http://{addr}"))]);
            }
            docs.insert(
                format!("{}.json", dialect.name),
                serde_json::to_string(&doc)?,
            );
        }
        Ok(Self(Arc::new(docs)))
    }
}

pub async fn serve(file: Path<String>, docs: Data<Documents>) -> HttpResponse {
    match docs.0.get(file.as_str()) {
        Some(doc) => HttpResponse::Ok()
            .content_type("application/json")
            .body(doc.clone()),
        None => HttpResponse::NotFound()
            .content_type("text/plain")
            .body("no such document: the mounted dialects' are /openapi/<dialect>.json\n"),
    }
}
