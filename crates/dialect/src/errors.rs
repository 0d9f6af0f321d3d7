//! A dialect's one error type, rendered against the request that failed.
//!
//! actix turns a handler's `Err` (and an extractor's) into a response with
//! [`ResponseError::error_response`], which cannot see the request, so it cannot know the
//! format the request negotiated (kashflow's `Accept`, v2's `format=`). The route table
//! therefore wraps every resource of a dialect in [`negotiate`]: when the answer carries the
//! dialect's error, the error is rendered again with the request at hand.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{ConnectionType, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, ResponseError};

use crate::body::BodyTimedOut;
use crate::withdrawn::Withdrawn;

/// The error type of a dialect. `error_response` is the answer in the dialect's default
/// format; `render` the answer to this request.
pub trait DialectError: ResponseError + 'static {
    fn render(&self, req: &HttpRequest) -> HttpResponse;

    /// The dialect's own error for a call refused by its deprecation (a brownout, a refusing
    /// sunset): its "gone" code for 410, its "unavailable" one for 503, with
    /// [`Withdrawn::message`]. `None` answers with [`Withdrawn`]'s generic JSON, so a dialect
    /// adds its shape here without anything else changing.
    fn withdrawn(_refusal: &Withdrawn) -> Option<Self>
    where
        Self: Sized,
    {
        None
    }
}

/// How a [`crate::Dialect`] renders its error: [`render::<E>`] for its `E`.
pub type Render = fn(&actix_web::Error, &HttpRequest) -> Option<HttpResponse>;

/// The answer to `req` if `error` is an `E`, or a [`Withdrawn`] call (in `E`'s shape when
/// it has one).
pub fn render<E: DialectError>(
    error: &actix_web::Error,
    req: &HttpRequest,
) -> Option<HttpResponse> {
    if let Some(e) = error.as_error::<E>() {
        return Some(e.render(req));
    }
    error
        .as_error::<Withdrawn>()
        .map(|w| E::withdrawn(w).map_or_else(|| w.error_response(), |e| e.render(req)))
}

/// `Retry-After` of every 503 a dialect answers (and of `/readyz`'s).
pub const RETRY_AFTER_SECONDS: &str = "1";

/// The middleware around each of a dialect's resources.
pub(crate) async fn negotiate(
    render: Render,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let rendered = res
        .response()
        .error()
        .and_then(|e| render(e, res.request()));
    let mut res = match rendered {
        Some(answer) => res.into_response(answer),
        None => res.map_into_boxed_body(),
    };
    let res_is_unavailable = res.status() == StatusCode::SERVICE_UNAVAILABLE;
    // Every 503 of a dialect is worth a retry soon (a busy list slot, a database away): the
    // client is told when, unless the error said so itself.
    let headers = res.response_mut().headers_mut();
    if res_is_unavailable && !headers.contains_key(header::RETRY_AFTER) {
        headers.insert(
            header::RETRY_AFTER,
            HeaderValue::from_static(RETRY_AFTER_SECONDS),
        );
    }
    // A body that did not arrive in time is not waited for again: actix would otherwise keep
    // draining a chunked body the handler gave up on, holding the connection open.
    if res.request().extensions().get::<BodyTimedOut>().is_some() {
        res.response_mut()
            .head_mut()
            .set_connection_type(ConnectionType::Close);
    }
    Ok(res)
}
