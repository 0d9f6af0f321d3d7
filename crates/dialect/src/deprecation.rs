//! Retiring a dialect, or one of its routes, without surprising anyone (migration.md): the
//! `Deprecation` (RFC 9745), `Sunset` (RFC 8594) and `Link` headers on every answer, and the
//! refusal of every call during a brownout window and, when so configured, after the sunset.
//!
//! The server reads the policy from its configuration; this module only knows what a policy
//! means for one request, so that every dialect answers the same way and in its own shape
//! (through [`crate::DialectError::withdrawn`]).

mod clock;
mod gate;
mod policy;

pub use crate::withdrawn::{Withdrawn, WithdrawnReason};
pub use clock::Clock;
pub(crate) use gate::{guard, ResourceGate};
pub use gate::{Deprecations, RoutePolicy};
pub use policy::{imf_fixdate, AfterSunset, Policy, State, Window};
