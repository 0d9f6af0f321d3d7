//! The middleware a deprecated mount puts around each of its resources: headers on every
//! answer, refusal (before any handler runs) in a brownout or past a refusing sunset.

use std::sync::Arc;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue, InvalidHeaderValue, RETRY_AFTER};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::ResponseError;

use super::clock::Clock;
use super::policy::{Policy, State};
use crate::errors::Render;
use crate::withdrawn::{Withdrawn, WithdrawnReason};

/// One route's own policy, in place of the dialect's. `path` is spelled as the route table
/// spells it (under the prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutePolicy {
    pub method: Method,
    pub path: String,
    pub policy: Policy,
}

/// The deprecation of one mount: the dialect's policy (every route without one of its own)
/// and the routes' own.
#[derive(Debug, Clone, Default)]
pub struct Deprecations {
    pub dialect: Option<Policy>,
    pub routes: Vec<RoutePolicy>,
    pub clock: Clock,
}

/// A policy with its headers made once, not per request.
#[derive(Debug)]
struct Compiled {
    policy: Policy,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl Compiled {
    fn new(policy: &Policy) -> Result<Arc<Self>, InvalidHeaderValue> {
        Ok(Arc::new(Self {
            headers: policy.headers()?,
            policy: policy.clone(),
        }))
    }
}

/// What the gate of one resource (one path of the table) needs.
#[derive(Debug)]
pub(crate) struct ResourceGate {
    by_method: Vec<(Method, Arc<Compiled>)>,
    /// Every other method of the path, including the ones it does not serve (their 405).
    fallback: Option<Arc<Compiled>>,
    clock: Clock,
}

impl Deprecations {
    /// The gates of every path of a table, `None` for a path no policy covers.
    pub(crate) fn gates(
        &self,
        paths: &[&'static str],
    ) -> Result<Vec<Option<Arc<ResourceGate>>>, InvalidHeaderValue> {
        let fallback = self.dialect.as_ref().map(Compiled::new).transpose()?;
        paths
            .iter()
            .map(|path| {
                let by_method = self
                    .routes
                    .iter()
                    .filter(|r| r.path == *path)
                    .map(|r| Ok((r.method.clone(), Compiled::new(&r.policy)?)))
                    .collect::<Result<Vec<_>, InvalidHeaderValue>>()?;
                Ok((!by_method.is_empty() || fallback.is_some()).then(|| {
                    Arc::new(ResourceGate {
                        by_method,
                        fallback: fallback.clone(),
                        clock: self.clock.clone(),
                    })
                }))
            })
            .collect()
    }
}

impl ResourceGate {
    fn policy(&self, method: &Method) -> Option<&Compiled> {
        self.by_method
            .iter()
            .find(|(m, _)| m == method)
            .map(|(_, c)| c.as_ref())
            .or(self.fallback.as_deref())
    }
}

/// The middleware: a refused call never reaches its handler, so it changes nothing.
pub(crate) async fn guard(
    gate: Option<Arc<ResourceGate>>,
    render: Render,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some((compiled, now)) = gate
        .as_ref()
        .and_then(|g| g.policy(req.method()).map(|c| (c, g.clock.now())))
    else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let policy = &compiled.policy;
    let reason = match policy.state_at(now) {
        State::Open => None,
        State::Brownout { until } => Some(WithdrawnReason::Brownout { until }),
        State::Retired => Some(WithdrawnReason::Sunset),
    };
    let mut res = match reason {
        None => next.call(req).await?.map_into_boxed_body(),
        Some(reason) => {
            let withdrawn = Withdrawn {
                status: policy.brownout_status,
                reason,
                link: policy.link.clone(),
            };
            let (http_req, _payload) = req.into_parts();
            let error = actix_web::Error::from(withdrawn.clone());
            let answer = render(&error, &http_req).unwrap_or_else(|| withdrawn.error_response());
            let mut res = ServiceResponse::new(http_req, answer);
            if let (StatusCode::SERVICE_UNAVAILABLE, WithdrawnReason::Brownout { until }) =
                (withdrawn.status, reason)
            {
                // Whole seconds, rounded up, so a client retrying on time finds it open.
                let millis = (until - now).num_milliseconds().max(1);
                let secs = (millis + 999) / 1000;
                res.headers_mut()
                    .insert(RETRY_AFTER, HeaderValue::from(secs));
            }
            res
        }
    };
    for (name, value) in &compiled.headers {
        res.headers_mut().append(name.clone(), value.clone());
    }
    Ok(res)
}
