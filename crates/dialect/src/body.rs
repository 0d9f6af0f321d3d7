//! Request bodies: read within a limit and a time, and what they say they are.

use std::cell::RefCell;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::{header, ConnectionType};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, BytesMut, Data, Payload};
use actix_web::{HttpMessage, HttpRequest};
use futures_util::{Stream, StreamExt};

type BoxedStream = Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>>;

/// Body limits from `[limits]`, app data of every mount (`web::Data<Limits>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub body_bytes: usize,
    pub import_bytes: usize,
    /// How long a body may take to arrive once its handler starts reading it.
    pub body_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            body_bytes: 262_144,
            import_bytes: 10 * 1024 * 1024,
            body_timeout: Duration::from_secs(10),
        }
    }
}

/// Why a body could not be read. Each dialect words these in its own envelope (`From`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    /// Larger than `limit` bytes (declared or sent).
    TooLarge { limit: usize },
    /// The connection failed while the body was being read.
    Broken,
    /// Not all of it arrived within `limits.body_timeout` (408; the connection is closed).
    TimedOut,
}

/// Marks a request whose body timed out, so its answer closes the connection
/// ([`BodyError::TimedOut`]; the route table's middleware reads it).
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyTimedOut;

/// Reads the whole body, refusing it as soon as it passes `limit` bytes (a declared
/// Content-Length over the limit is refused before reading anything), or when it has not all
/// arrived within the mount's `Limits::body_timeout`. Without the timeout a client that sends
/// its headers and then one byte holds a connection, and a worker's request, forever.
pub async fn read_body(
    req: &HttpRequest,
    mut payload: Payload,
    limit: usize,
) -> Result<Bytes, BodyError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(BodyError::TooLarge { limit });
    }
    let timeout = req
        .app_data::<Data<Limits>>()
        .map_or_else(|| Limits::default().body_timeout, |l| l.body_timeout);
    let read = async {
        let mut body = BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|_| BodyError::Broken)?;
            if body.len() + chunk.len() > limit {
                return Err(BodyError::TooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    };
    match actix_web::rt::time::timeout(timeout, read).await {
        Ok(read) => read,
        Err(_) => {
            req.extensions_mut().insert(BodyTimedOut);
            keep_until_closed(payload, timeout);
            Err(BodyError::TimedOut)
        }
    }
}

/// Keeps a timed-out body's stream alive past the answer. actix closes a connection whose
/// body is unread only while that stream is alive; once it is dropped, actix drains a chunked
/// body to its end, however slowly it comes, and the connection stays open. The stream ends
/// when actix closes the connection (after the answer, which says `Connection: close`), or at
/// the latest one more `timeout` later.
fn keep_until_closed(mut payload: Payload, timeout: Duration) {
    actix_web::rt::spawn(async move {
        let discard = async { while let Some(Ok(_)) = payload.next().await {} };
        let _ = actix_web::rt::time::timeout(timeout, discard).await;
    });
}

/// A chunked body nobody read to its end, held until its answer is written.
struct Unread {
    payload: actix_web::dev::Payload,
    ended: bool,
}

/// Middleware around a whole app (every route, and the answers to paths no route serves): a
/// chunked body that was not read to its end closes its connection after the answer. Once a
/// body's stream is dropped unread, actix drains a chunked body to its end however slowly it
/// comes (no timer applies while it does), so a client that sends one chunk and stops would
/// hold the connection forever on any route that never reads a body (a 404, a GET). While the
/// stream is alive actix closes instead; it is kept alive here until then (at most
/// `Limits::body_timeout`). A `Content-Length` body left unread is closed by actix already.
pub async fn close_unread_bodies(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let chunked = req
        .headers()
        .get(header::TRANSFER_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let timeout = req
        .app_data::<Data<Limits>>()
        .map_or_else(|| Limits::default().body_timeout, |l| l.body_timeout);
    let unread = chunked.then(|| {
        Rc::new(RefCell::new(Unread {
            payload: req.take_payload(),
            ended: false,
        }))
    });
    if let Some(unread) = &unread {
        let reader = unread.clone();
        let stream: BoxedStream = Box::pin(futures_util::stream::poll_fn(move |cx| {
            let mut body = reader.borrow_mut();
            let item = std::task::ready!(body.payload.poll_next_unpin(cx));
            body.ended |= item.is_none();
            std::task::Poll::Ready(item)
        }));
        req.set_payload(stream.into());
    }
    let mut res = next.call(req).await?;
    if let Some(unread) = unread.filter(|u| !u.borrow().ended) {
        res.response_mut()
            .head_mut()
            .set_connection_type(ConnectionType::Close);
        actix_web::rt::spawn(async move {
            let discard = async {
                while let Some(Ok(_)) = futures_util::future::poll_fn(|cx| {
                    unread.borrow_mut().payload.poll_next_unpin(cx)
                })
                .await
                {}
            };
            let _ = actix_web::rt::time::timeout(timeout, discard).await;
        });
    }
    Ok(res)
}

/// The media type of a request without parameters, lower case ("" when absent).
pub fn media_type(req: &HttpRequest) -> String {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default()
}

/// The body without one leading UTF-8 byte-order mark, which Windows clients put in front of
/// JSON and XML alike.
pub fn strip_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

/// Whether a body holds nothing but ASCII whitespace (several dialects read that as "no body").
pub fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use actix_web::test::TestRequest;
    use actix_web::FromRequest;

    use super::*;

    async fn sent(body: &'static str) -> (HttpRequest, Payload) {
        let (req, mut pl) = TestRequest::default().set_payload(body).to_http_parts();
        let payload = Payload::from_request(&req, &mut pl).await.unwrap();
        (req, payload)
    }

    #[test]
    fn media_types_lose_their_parameters() {
        let req = TestRequest::default()
            .insert_header((header::CONTENT_TYPE, "Application/JSON; charset=utf-8"))
            .to_http_request();
        assert_eq!(media_type(&req), "application/json");
        assert_eq!(media_type(&TestRequest::default().to_http_request()), "");
    }

    #[test]
    fn boms_and_blanks() {
        assert_eq!(strip_bom(b"\xEF\xBB\xBF{}"), b"{}");
        assert_eq!(strip_bom(b"\xEF\xBB\xBF\xEF\xBB\xBF{}"), b"\xEF\xBB\xBF{}");
        assert!(is_blank(b" \r\n\t") && is_blank(b""));
        assert!(!is_blank(b" x "));
    }

    #[actix_web::test]
    async fn bodies_that_do_not_arrive_in_time_are_refused() {
        let limits = Limits {
            body_timeout: Duration::from_millis(50),
            ..Limits::default()
        };
        let (req, _) = TestRequest::default()
            .app_data(Data::new(limits))
            .to_http_parts();
        // A payload that never sends: a client gone quiet after its headers.
        let stalled: BoxedStream = Box::pin(futures_util::stream::pending());
        let mut pl = stalled.into();
        let payload = Payload::from_request(&req, &mut pl).await.unwrap();
        assert_eq!(
            read_body(&req, payload, 100).await,
            Err(BodyError::TimedOut)
        );
        assert!(req.extensions().get::<BodyTimedOut>().is_some());
    }

    #[actix_web::test]
    async fn bodies_over_the_limit_are_refused() {
        let (req, payload) = sent("0123456789").await;
        assert_eq!(
            read_body(&req, payload, 4).await,
            Err(BodyError::TooLarge { limit: 4 })
        );
        let (req, payload) = sent("0123456789").await;
        assert_eq!(read_body(&req, payload, 10).await.unwrap(), "0123456789");
    }
}
