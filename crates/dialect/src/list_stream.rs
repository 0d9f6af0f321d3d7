//! Whole lists written as they are read: each page of users is turned into the dialect's
//! items as it arrives and sent as a chunk, so an answer of any size holds a few pages in
//! memory, and its bytes are those of the same list written at once.

use std::future::Future;
use std::io;

use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::HttpResponse;
use futures_util::stream;
use rosetta_core::{User, UserPages};
use serde::Serialize;

use crate::xml::{Escape, Writer};

/// What goes around and between a list's items: `[`, `,`, `]` in JSON; the declaration and
/// the root element in XML.
pub struct ListFrame {
    pub open: Vec<u8>,
    pub separator: &'static [u8],
    pub close: Vec<u8>,
}

impl ListFrame {
    /// A JSON array.
    pub fn json() -> Self {
        Self {
            open: b"[".to_vec(),
            separator: b",",
            close: b"]".to_vec(),
        }
    }

    /// An XML document whose root element `root` holds the items.
    pub fn xml(root: &str) -> Self {
        let mut open = Writer::new(Escape::All);
        open.start(root);
        Self {
            open: open.finish().into_bytes(),
            separator: b"",
            close: format!("</{root}>").into_bytes(),
        }
    }
}

/// Items as JSON, each as `serde_json` writes it, joined by commas.
pub fn json_items<T: Serialize>(items: &[T]) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, item)?;
    }
    Ok(out)
}

/// Items as XML elements with no declaration, one after another.
pub fn xml_items<T>(items: &[T], write: impl Fn(&T, &mut Writer)) -> Vec<u8> {
    let mut out = Writer::fragment(Escape::All);
    for item in items {
        write(item, &mut out);
    }
    out.finish().into_bytes()
}

struct State<F> {
    pages: UserPages,
    render: F,
    close: Option<Vec<u8>>,
    separator: &'static [u8],
    open: Option<Vec<u8>>,
    /// Whether an item was written, so the next page starts with a separator.
    any: bool,
}

/// A 200 whose body is `frame` around the items `render` makes of each page (the page's
/// items joined by the frame's separator, or nothing for no users). A page that cannot be
/// read or rendered ends the body short, so the client sees a broken answer, never a shorter
/// list that looks whole.
pub fn streamed_list<F, Fut>(
    content_type: &'static str,
    frame: ListFrame,
    pages: UserPages,
    render: F,
) -> HttpResponse
where
    F: FnMut(Vec<User>) -> Fut + 'static,
    Fut: Future<Output = Result<Vec<u8>, String>> + 'static,
{
    let ListFrame {
        open,
        separator,
        close,
    } = frame;
    let state = State {
        pages,
        render,
        close: Some(close),
        separator,
        open: Some(open),
        any: false,
    };
    let body = stream::unfold(state, |mut s| async move {
        let mut chunk = s.open.take().unwrap_or_default();
        match s.pages.next_page().await {
            Some(Ok(users)) => match (s.render)(users).await {
                Ok(items) if items.is_empty() => {}
                Ok(items) => {
                    if s.any {
                        chunk.extend_from_slice(s.separator);
                    }
                    s.any = true;
                    chunk.extend_from_slice(&items);
                }
                Err(e) => return Some((Err(broken(e)), s.ended())),
            },
            Some(Err(e)) => return Some((Err(broken(e.to_string())), s.ended())),
            None => match s.close.take() {
                Some(close) => chunk.extend_from_slice(&close),
                None => return None,
            },
        }
        Some((Ok(Bytes::from(chunk)), s))
    });
    HttpResponse::build(StatusCode::OK)
        .content_type(content_type)
        .streaming(body)
}

impl<F> State<F> {
    /// After an error nothing more is written, not even the close.
    fn ended(mut self) -> Self {
        self.close = None;
        self.pages = UserPages::empty();
        self
    }
}

fn broken(reason: String) -> io::Error {
    tracing::error!(%reason, "a whole list ends short: a page could not be read or written");
    io::Error::other(reason)
}
