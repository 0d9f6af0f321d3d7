//! `[console]`: the operator console (migration.md "Operator console").

use std::time::Duration;

use serde::Deserialize;

use super::values::{bool_value, duration};

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsoleConfig {
    /// Serves `/console` (default true).
    #[serde(deserialize_with = "bool_value")]
    pub enabled: bool,
    /// A listener of its own for the console; none: the main listener.
    pub listen: Option<String>,
    /// Marks the console's cookies `Secure` (set it when the console is reached over TLS).
    #[serde(deserialize_with = "bool_value")]
    pub secure_cookies: bool,
    /// A console session ends after this long without a request.
    #[serde(deserialize_with = "duration")]
    pub session_idle: Duration,
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            listen: None,
            secure_cookies: false,
            session_idle: Duration::from_secs(30 * 60),
        }
    }
}

impl ConsoleConfig {
    pub(super) fn validate(&self) -> Result<(), String> {
        if self.session_idle.is_zero() {
            return Err("console.session_idle must be positive".into());
        }
        if self.listen.as_deref().is_some_and(|l| l.trim().is_empty()) {
            return Err("console.listen must not be empty".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn console_keys_from_file_or_environment() {
        let c = Config::from_sources(None, env(&[])).unwrap();
        assert!(c.console.enabled);
        assert!(!c.console.secure_cookies);
        assert_eq!(c.console.listen, None);
        assert_eq!(c.console.session_idle.as_secs(), 1800);
        let c = Config::from_sources(
            Some("[console]\nenabled = false\nsecure_cookies = true\nsession_idle = \"5m\"\nlisten = \"127.0.0.1:0\"\n"),
            env(&[]),
        )
        .unwrap();
        assert!(!c.console.enabled && c.console.secure_cookies);
        assert_eq!(c.console.session_idle.as_secs(), 300);
        assert_eq!(c.console.listen.as_deref(), Some("127.0.0.1:0"));
        let c = Config::from_sources(
            None,
            env(&[
                ("ROSETTA_CONSOLE_ENABLED", "false"),
                ("ROSETTA_CONSOLE_SESSION_IDLE", "10m"),
            ]),
        )
        .unwrap();
        assert!(!c.console.enabled);
        assert_eq!(c.console.session_idle.as_secs(), 600);
        assert!(Config::from_sources(None, env(&[("ROSETTA_CONSOLE_SESSION_IDLE", "0")])).is_err());
        assert!(Config::from_sources(Some("[console]\nnope = 1\n"), env(&[])).is_err());
    }
}
