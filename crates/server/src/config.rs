//! Configuration as CONTRACT.md gives it: a TOML file, then `ROSETTA_<SECTION>_<KEY>`
//! environment variables (and the shortcuts `ROSETTA_DATABASE_URL`, `ROSETTA_LISTEN`). Every key
//! has a default, so a fresh machine needs no file at all.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

mod console;
pub mod deprecation;
mod security;
mod v2_json;
mod values;
pub use console::ConsoleConfig;
pub use security::SecurityConfig;
pub use values::parse_duration;
use values::{bool_value, duration, num, opt_bool, opt_num};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub database: DatabaseConfig,
    pub server: ServerConfig,
    pub security: SecurityConfig,
    pub limits: LimitsConfig,
    pub email: EmailConfig,
    pub tickets: TicketsConfig,
    pub sessions: SessionsConfig,
    pub metrics: MetricsConfig,
    pub dialects: BTreeMap<String, DialectMount>,
    pub usage: UsageConfig,
    pub console: ConsoleConfig,
    /// The time deprecation policies are judged at: the system's, or a test's.
    #[serde(skip)]
    pub clock: rosetta_dialect::Clock,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UsageConfig {
    /// How long the daily usage buckets are kept; older ones are pruned in the background.
    #[serde(deserialize_with = "duration")]
    pub retention: Duration,
}

impl Default for UsageConfig {
    fn default() -> Self {
        Self {
            retention: Duration::from_secs(400 * 86_400),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    pub url: String,
    #[serde(deserialize_with = "opt_num")]
    pub pool_size: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    pub listen: String,
    /// HTTP worker threads per listener (default: cores).
    #[serde(deserialize_with = "opt_num")]
    pub workers: Option<usize>,
    /// How long in-flight requests get to finish on shutdown.
    #[serde(deserialize_with = "duration")]
    pub shutdown_timeout: Duration,
    /// Mounts `GET /bench/baseline` (a fixed answer with no database and no auth) on the main
    /// listener, so a benchmark can measure the HTTP stack alone in the same binary and run.
    /// Never needed in production.
    #[serde(deserialize_with = "bool_value")]
    pub bench_baseline: bool,
    /// Open connections one listener holds at most; past it the listener stops accepting
    /// until one closes, so a flood of idle sockets is refused by the kernel's backlog
    /// instead of exhausting the process's file descriptors. Default: 25,000, or the
    /// open-file limit less a reserve for the database and files when that is lower.
    #[serde(deserialize_with = "opt_num")]
    pub max_connections: Option<usize>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    #[serde(deserialize_with = "num")]
    pub body_bytes: usize,
    #[serde(deserialize_with = "num")]
    pub import_bytes: usize,
    /// A body that has not fully arrived this long after its handler started reading it is
    /// answered 408 and its connection closed.
    #[serde(deserialize_with = "duration")]
    pub body_timeout: Duration,
    /// Whole lists (kashflow's and keaz's `GET /users`, usr's account list) streaming at
    /// once; one more is answered 503 with `Retry-After` in the dialect's error shape.
    #[serde(deserialize_with = "num")]
    pub full_lists: usize,
    /// An import still being written whose last chunk is older than this is taken for dead
    /// (its gateway stopped mid-import) and removed by the background sweep, at start and then
    /// as often as this (at most every minute).
    #[serde(deserialize_with = "duration")]
    pub import_stale: Duration,
    /// Users per write transaction of a bigger import on SQLite; an import of at most this
    /// many is one transaction (set it above `limits.import_bytes` allows to have every import
    /// one transaction again, e.g. to measure the difference).
    #[serde(deserialize_with = "num")]
    pub import_chunk: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmailConfig {
    /// `file` or `smtp`.
    pub transport: String,
    pub dir: PathBuf,
    pub smtp_host: String,
    #[serde(deserialize_with = "num")]
    pub smtp_port: u16,
    pub from: String,
    /// Default `http://{listen}{keaz prefix}/activate/{ticket}`.
    pub activation_url: Option<String>,
    /// How often the outbox is polled.
    #[serde(deserialize_with = "duration")]
    pub poll_interval: Duration,
    /// Ceiling of the exponential backoff between delivery attempts of one message.
    #[serde(deserialize_with = "duration")]
    pub max_backoff: Duration,
    /// Messages being delivered at once, taken from the tenants in turn; with SMTP, also the
    /// most connections kept open to the mail server.
    #[serde(deserialize_with = "num")]
    pub send_concurrency: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TicketsConfig {
    #[serde(deserialize_with = "duration")]
    pub activation_ttl: Duration,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionsConfig {
    #[serde(deserialize_with = "duration")]
    pub idle_ttl: Duration,
    #[serde(deserialize_with = "duration")]
    pub temporary_ttl: Duration,
    /// Sessions one user may hold at once; a new login ends the oldest beyond this.
    #[serde(deserialize_with = "num")]
    pub max_per_user: u32,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsConfig {
    /// When set, `GET /metrics` needs `Authorization: Bearer <token>` (401 otherwise).
    pub bearer_token: Option<BearerToken>,
}

/// A secret from the configuration, kept out of every `Debug` (the config is logged on a bad
/// start).
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct BearerToken(String);

impl BearerToken {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for BearerToken {
    fn from(token: String) -> Self {
        Self(token)
    }
}

impl std::fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BearerToken(<redacted>)")
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DialectMount {
    #[serde(deserialize_with = "opt_bool")]
    pub enabled: Option<bool>,
    pub prefix: Option<String>,
    pub listen: Option<String>,
    /// `[dialects.<name>.deprecation]`: see docs/migration.md.
    pub deprecation: Option<deprecation::DeprecationConfig>,
    /// v2 only: JSON member casing and dates by default (`config/v2_json.rs`).
    pub json_case: Option<String>,
    pub json_dates: Option<String>,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: "sqlite://rosetta.db".into(),
            pool_size: None,
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            workers: None,
            shutdown_timeout: Duration::from_secs(30),
            bench_baseline: false,
            max_connections: None,
        }
    }
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            body_bytes: 262_144,
            import_bytes: 10 * 1024 * 1024,
            body_timeout: Duration::from_secs(10),
            full_lists: 8,
            import_stale: Duration::from_secs(300),
            import_chunk: rosetta_store::IMPORT_CHUNK,
        }
    }
}

impl Default for EmailConfig {
    fn default() -> Self {
        Self {
            transport: "file".into(),
            dir: PathBuf::from("outbox"),
            smtp_host: "127.0.0.1".into(),
            smtp_port: 25,
            from: "rosetta@localhost".into(),
            activation_url: None,
            poll_interval: Duration::from_secs(2),
            max_backoff: Duration::from_secs(600),
            send_concurrency: 4,
        }
    }
}

impl Default for TicketsConfig {
    fn default() -> Self {
        Self {
            activation_ttl: Duration::from_secs(72 * 3600),
        }
    }
}

impl Default for SessionsConfig {
    fn default() -> Self {
        Self {
            idle_ttl: Duration::from_secs(3600),
            temporary_ttl: Duration::from_secs(300),
            max_per_user: 100,
        }
    }
}

const SECTIONS: &[&str] = &[
    "database", "server", "security", "limits", "email", "tickets", "sessions", "metrics",
    "dialects", "usage", "console",
];

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("bad config: {0}")]
    Invalid(String),
}

impl Config {
    /// `path` if given (it must exist), else `rosetta.toml` when present, then the environment.
    pub fn load(path: Option<&Path>) -> Result<Self, ConfigError> {
        let text = match path {
            Some(p) => Some(
                std::fs::read_to_string(p).map_err(|source| ConfigError::Read {
                    path: p.display().to_string(),
                    source,
                })?,
            ),
            None => std::fs::read_to_string("rosetta.toml").ok(),
        };
        Self::from_sources(text.as_deref(), std::env::vars())
    }

    pub fn from_sources(
        toml_text: Option<&str>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let mut root: toml::Table = match toml_text {
            Some(t) => t
                .parse::<toml::Table>()
                .map_err(|e| ConfigError::Invalid(e.message().to_owned()))?,
            None => toml::Table::new(),
        };
        for (name, value) in env {
            let Some(rest) = name.strip_prefix("ROSETTA_") else {
                continue;
            };
            let rest = rest.to_ascii_lowercase();
            let path: Vec<String> = if rest == "listen" {
                vec!["server".into(), "listen".into()]
            } else {
                let Some((section, key)) = rest.split_once('_') else {
                    continue;
                };
                if !SECTIONS.contains(&section) {
                    continue;
                }
                if section == "dialects" {
                    let Some((dialect, key)) = key.split_once('_') else {
                        continue;
                    };
                    vec![section.into(), dialect.into(), key.into()]
                } else {
                    vec![section.into(), key.into()]
                }
            };
            set_path(&mut root, &path, value)?;
        }
        let config: Config = toml::Value::Table(root)
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Invalid(e.message().to_owned()))?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        self.security.validate().map_err(ConfigError::Invalid)?;
        if !matches!(self.email.transport.as_str(), "file" | "smtp") {
            return Err(ConfigError::Invalid(
                "email.transport must be file or smtp".into(),
            ));
        }
        if self.sessions.max_per_user == 0 {
            return Err(ConfigError::Invalid(
                "sessions.max_per_user must be positive".into(),
            ));
        }
        if self
            .metrics
            .bearer_token
            .as_ref()
            .is_some_and(|t| t.expose().trim().is_empty())
        {
            return Err(ConfigError::Invalid(
                "metrics.bearer_token must not be empty".into(),
            ));
        }
        if self.limits.body_bytes == 0
            || self.limits.import_bytes == 0
            || self.limits.body_timeout.is_zero()
            || self.limits.full_lists == 0
            || self.limits.import_stale.is_zero()
            || self.limits.import_chunk == 0
            || self.email.send_concurrency == 0
        {
            return Err(ConfigError::Invalid("limits must be positive".into()));
        }
        if self.usage.retention < Duration::from_secs(86_400) {
            return Err(ConfigError::Invalid(
                "usage.retention must be at least 1d".into(),
            ));
        }
        self.console.validate().map_err(ConfigError::Invalid)?;
        self.v2_json_style()?;
        if self.server.max_connections == Some(0) {
            return Err(ConfigError::Invalid(
                "server.max_connections must be positive".into(),
            ));
        }
        Ok(())
    }

    pub fn pool_size(&self) -> u32 {
        self.database.pool_size.unwrap_or_else(|| {
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            u32::try_from(cores * 2).unwrap_or(8)
        })
    }
}

fn set_path(root: &mut toml::Table, path: &[String], value: String) -> Result<(), ConfigError> {
    let mut table = root;
    for part in &path[..path.len() - 1] {
        let entry = table
            .entry(part.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        table = entry
            .as_table_mut()
            .ok_or_else(|| ConfigError::Invalid(format!("{part} is not a table")))?;
    }
    if let Some(last) = path.last() {
        table.insert(last.clone(), toml::Value::String(value));
    }
    Ok(())
}

/// Numbers come as TOML integers from the file and as strings from the environment.
#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_need_no_file() {
        let c = Config::from_sources(None, env(&[])).unwrap();
        assert_eq!(c.database.url, "sqlite://rosetta.db");
        assert_eq!(c.server.listen, "127.0.0.1:8080");
        assert_eq!(c.security.bcrypt_cost, 12);
        assert_eq!(c.limits.body_bytes, 262_144);
        assert_eq!(c.tickets.activation_ttl, Duration::from_secs(72 * 3600));
        assert_eq!(c.sessions.idle_ttl, Duration::from_secs(3600));
        assert!(!c.server.bench_baseline);
    }

    #[test]
    fn sessions_per_user_from_file_or_environment() {
        let c = Config::from_sources(None, env(&[])).unwrap();
        assert_eq!(c.sessions.max_per_user, 100);
        let c = Config::from_sources(Some("[sessions]\nmax_per_user = 7\n"), env(&[])).unwrap();
        assert_eq!(c.sessions.max_per_user, 7);
        let c = Config::from_sources(
            Some("[sessions]\nmax_per_user = 7\n"),
            env(&[("ROSETTA_SESSIONS_MAX_PER_USER", "3")]),
        )
        .unwrap();
        assert_eq!(c.sessions.max_per_user, 3);
        assert!(
            Config::from_sources(None, env(&[("ROSETTA_SESSIONS_MAX_PER_USER", "0")])).is_err()
        );
    }

    #[test]
    fn bench_baseline_from_file_or_environment() {
        let c = Config::from_sources(Some("[server]\nbench_baseline = true\n"), env(&[])).unwrap();
        assert!(c.server.bench_baseline);
        let c =
            Config::from_sources(None, env(&[("ROSETTA_SERVER_BENCH_BASELINE", "true")])).unwrap();
        assert!(c.server.bench_baseline);
        assert!(
            Config::from_sources(None, env(&[("ROSETTA_SERVER_BENCH_BASELINE", "maybe")])).is_err()
        );
    }

    #[test]
    fn environment_overrides_file() {
        let file = "[security]\nbcrypt_cost = 10\n[server]\nlisten = \"0.0.0.0:1\"\n\
                    [dialects.usr]\nprefix = \"/legacy\"\n";
        let c = Config::from_sources(
            Some(file),
            env(&[
                ("ROSETTA_SECURITY_BCRYPT_COST", "4"),
                ("ROSETTA_LISTEN", "127.0.0.1:0"),
                ("ROSETTA_DATABASE_URL", "postgres://x@y/z"),
                ("ROSETTA_DIALECTS_KEAZ_ENABLED", "false"),
                ("ROSETTA_LOG_FORMAT", "json"),
                ("ROSETTA_TEST_POSTGRES_URL", "postgres://ignored"),
            ]),
        )
        .unwrap();
        assert_eq!(c.security.bcrypt_cost, 4);
        assert_eq!(c.server.listen, "127.0.0.1:0");
        assert_eq!(c.database.url, "postgres://x@y/z");
        assert_eq!(c.dialects["usr"].prefix.as_deref(), Some("/legacy"));
        assert_eq!(c.dialects["keaz"].enabled, Some(false));
    }

    #[test]
    fn bad_values_are_refused() {
        assert!(Config::from_sources(Some("[security]\nbcrypt_cost = 2\n"), env(&[])).is_err());
        assert!(Config::from_sources(Some("[nope]\nx = 1\n"), env(&[])).is_err());
        assert!(Config::from_sources(None, env(&[("ROSETTA_SECURITY_BCRYPT_COST", "x")])).is_err());
        assert!(
            Config::from_sources(None, env(&[("ROSETTA_TICKETS_ACTIVATION_TTL", "3 weeks")]))
                .is_err()
        );
    }

    #[test]
    fn body_timeout_and_max_connections() {
        let c = Config::from_sources(None, env(&[])).unwrap();
        assert_eq!(c.limits.body_timeout, Duration::from_secs(10));
        assert_eq!(c.server.max_connections, None);
        let c = Config::from_sources(
            Some("[limits]\nbody_timeout = \"500ms\"\n[server]\nmax_connections = 100\n"),
            env(&[]),
        )
        .unwrap();
        assert_eq!(c.limits.body_timeout, Duration::from_millis(500));
        assert_eq!(c.server.max_connections, Some(100));
        let c = Config::from_sources(
            None,
            env(&[
                ("ROSETTA_LIMITS_BODY_TIMEOUT", "3s"),
                ("ROSETTA_SERVER_MAX_CONNECTIONS", "7"),
            ]),
        )
        .unwrap();
        assert_eq!(c.limits.body_timeout, Duration::from_secs(3));
        assert_eq!(c.server.max_connections, Some(7));
        assert!(Config::from_sources(Some("[limits]\nbody_timeout = 0\n"), env(&[])).is_err());
        assert!(Config::from_sources(Some("[server]\nmax_connections = 0\n"), env(&[])).is_err());
    }

    #[test]
    fn metrics_bearer_token_from_file_or_environment_and_never_in_debug() {
        let c = Config::from_sources(None, env(&[])).unwrap();
        assert!(c.metrics.bearer_token.is_none());
        let c = Config::from_sources(Some("[metrics]\nbearer_token = \"s3cret-tok\"\n"), env(&[]))
            .unwrap();
        assert_eq!(
            c.metrics.bearer_token.as_ref().unwrap().expose(),
            "s3cret-tok"
        );
        let c = Config::from_sources(None, env(&[("ROSETTA_METRICS_BEARER_TOKEN", "s3cret-tok")]))
            .unwrap();
        assert_eq!(
            c.metrics.bearer_token.as_ref().unwrap().expose(),
            "s3cret-tok"
        );
        assert!(!format!("{c:?}").contains("s3cret-tok"));
        assert!(Config::from_sources(None, env(&[("ROSETTA_METRICS_BEARER_TOKEN", " ")])).is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("72h").unwrap(), Duration::from_secs(259_200));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("15").unwrap(), Duration::from_secs(15));
        assert!(parse_duration("h").is_err());
    }
}
