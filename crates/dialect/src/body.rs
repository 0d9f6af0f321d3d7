//! Request bodies: read within a limit and a time, and what they say they are.

use std::borrow::Cow;
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

/// The `charset` parameter of a request's Content-Type, lower case, if there is one.
pub fn charset(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::CONTENT_TYPE)?.to_str().ok()?;
    value.split(';').skip(1).find_map(|p| {
        let (name, v) = p.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches('"').to_ascii_lowercase())
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Utf16 {
    Le,
    Be,
}

/// Which UTF-16, if the body is UTF-16: by its byte-order mark; else by a `charset` of
/// `utf-16` (little-endian, what .NET's `Encoding.Unicode` writes without a BOM), `utf-16le`
/// or `utf-16be`; else by a first character that is ASCII in UTF-16 (`<` or `{` and a zero
/// byte: XML 1.0 appendix F; UTF-8 text has no zero bytes there).
fn utf16(body: &[u8], charset: Option<&str>) -> Option<(Utf16, usize)> {
    match body {
        [0xFF, 0xFE, ..] => return Some((Utf16::Le, 2)),
        [0xFE, 0xFF, ..] => return Some((Utf16::Be, 2)),
        _ => {}
    }
    match charset {
        Some("utf-16" | "utf-16le" | "unicode") => return Some((Utf16::Le, 0)),
        Some("utf-16be") => return Some((Utf16::Be, 0)),
        _ => {}
    }
    match body {
        [a, 0, ..] if *a != 0 => Some((Utf16::Le, 0)),
        [0, b, ..] if *b != 0 => Some((Utf16::Be, 0)),
        _ => None,
    }
}

/// A body as UTF-8 text for the readers (XML and JSON), which read UTF-8 only: UTF-16 (with or
/// without a byte-order mark, see [`utf16`]) is decoded, a UTF-8 byte-order mark is taken off,
/// anything else is handed on as it is (the reader checks that it is UTF-8). `None`: UTF-16
/// that does not decode (an odd length, a lone surrogate).
pub fn utf8_body<'a>(body: &'a [u8], charset: Option<&str>) -> Option<Cow<'a, [u8]>> {
    let Some((order, bom)) = utf16(body, charset) else {
        return Some(Cow::Borrowed(strip_bom(body)));
    };
    let units = &body[bom..];
    if units.len() % 2 != 0 {
        return None;
    }
    let units = units.chunks_exact(2).map(|p| match order {
        Utf16::Le => u16::from_le_bytes([p[0], p[1]]),
        Utf16::Be => u16::from_be_bytes([p[0], p[1]]),
    });
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
        .map(|s| Cow::Owned(s.into_bytes()))
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

    fn utf16le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn utf16_bodies_become_utf8() {
        let doc = r#"<?xml version="1.0" encoding="utf-16"?><U>Zoë 😀</U>"#;
        let le = utf16le(doc);
        let mut le_bom = vec![0xFF, 0xFE];
        le_bom.extend_from_slice(&le);
        let mut be_bom = vec![0xFE, 0xFF];
        be_bom.extend(doc.encode_utf16().flat_map(u16::to_be_bytes));
        let be: Vec<u8> = be_bom[2..].to_vec();
        for (body, charset) in [
            (&le, None),
            (&le, Some("utf-16")),
            (&le_bom, None),
            (&le_bom, Some("utf-8")),
            (&be_bom, None),
            (&be, None),
            (&be, Some("utf-16be")),
        ] {
            assert_eq!(utf8_body(body, charset).unwrap().as_ref(), doc.as_bytes());
        }
        assert_eq!(
            utf8_body(b"\xEF\xBB\xBF<U/>", None).unwrap().as_ref(),
            b"<U/>"
        );
        assert_eq!(utf8_body(b"<U/>", Some("utf-8")).unwrap().as_ref(), b"<U/>");
        assert_eq!(utf8_body(&le[..le.len() - 1], None), None);
        assert_eq!(
            utf8_body(&[0x3C, 0, 0x00, 0xD8], None),
            None,
            "lone surrogate"
        );
    }

    #[test]
    fn charsets() {
        let req = TestRequest::default()
            .insert_header((header::CONTENT_TYPE, "application/xml; Charset=\"UTF-16\""))
            .to_http_request();
        assert_eq!(charset(&req).as_deref(), Some("utf-16"));
        assert_eq!(charset(&TestRequest::default().to_http_request()), None);
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
