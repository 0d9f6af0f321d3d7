//! What every console request reads besides the directory.

use std::time::Duration;

use rosetta_dialect::deprecation::Deprecations;
use rosetta_dialect::Clock;

/// A mounted dialect as the console shows it.
pub struct ConsoleDialect {
    pub name: &'static str,
    pub prefix: String,
    /// `[dialects.<name>.deprecation]`, checked at start-up.
    pub deprecations: Deprecations,
}

pub struct ConsoleState {
    /// The mounted dialects, in `DIALECTS` order.
    pub dialects: Vec<ConsoleDialect>,
    /// "Today" for the chart and the deprecation state: the system's, or a test's.
    pub clock: Clock,
    pub session_idle: Duration,
    pub secure_cookies: bool,
}

impl ConsoleState {
    pub fn dialect(&self, name: &str) -> Option<&ConsoleDialect> {
        self.dialects.iter().find(|d| d.name == name)
    }
}
