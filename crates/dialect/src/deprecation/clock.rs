//! The time a deprecation policy is judged at: the system clock, or one a test sets.

use std::fmt;
use std::sync::Arc;

use rosetta_core::Timestamp;

/// Where "now" comes from. Tests start a gateway with [`Clock::from_fn`] to put it inside,
/// before or after a brownout window without waiting for one.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> Timestamp + Send + Sync>);

impl Clock {
    pub fn system() -> Self {
        Self(Arc::new(chrono::Utc::now))
    }

    pub fn from_fn(now: impl Fn() -> Timestamp + Send + Sync + 'static) -> Self {
        Self(Arc::new(now))
    }

    pub fn now(&self) -> Timestamp {
        (self.0)()
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Clock")
    }
}
