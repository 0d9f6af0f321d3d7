//! Request bodies: read within a limit, and what they say they are.

use actix_web::http::header;
use actix_web::web::{Bytes, BytesMut, Payload};
use actix_web::HttpRequest;
use futures_util::StreamExt;

/// Why a body could not be read. Each dialect words these in its own envelope (`From`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    /// Larger than `limit` bytes (declared or sent).
    TooLarge { limit: usize },
    /// The connection failed while the body was being read.
    Broken,
}

/// Reads the whole body, refusing it as soon as it passes `limit` bytes (a declared
/// Content-Length over the limit is refused before reading anything).
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
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| BodyError::Broken)?;
        if body.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
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
