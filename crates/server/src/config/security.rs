//! `[security]`: passwords, lockout, secrets, and the password-hashing pool's size.

use std::time::Duration;

use serde::Deserialize;

use super::values::{duration, num, opt_num};

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecurityConfig {
    #[serde(deserialize_with = "num")]
    pub bcrypt_cost: u32,
    /// Threads that run bcrypt, apart from the database's blocking pool (default: half the
    /// cores, at least 1).
    #[serde(deserialize_with = "opt_num")]
    pub hash_threads: Option<usize>,
    /// Hashes that may wait for one of those threads; one more login is answered 503 with
    /// `Retry-After` (default: 16 per hashing thread).
    #[serde(deserialize_with = "opt_num")]
    pub hash_queue: Option<usize>,
    #[serde(deserialize_with = "num")]
    pub min_password_length: usize,
    pub secret_key: Option<String>,
    #[serde(deserialize_with = "num")]
    pub lockout_threshold: i32,
    #[serde(deserialize_with = "duration")]
    pub lockout_duration: Duration,
    /// How long a verified usr token or v2 integration key is trusted without a read.
    #[serde(deserialize_with = "duration")]
    pub credential_cache_ttl: Duration,
}

impl Default for SecurityConfig {
    fn default() -> Self {
        Self {
            bcrypt_cost: 12,
            hash_threads: None,
            hash_queue: None,
            min_password_length: 1,
            secret_key: None,
            lockout_threshold: 5,
            lockout_duration: Duration::from_secs(15 * 60),
            credential_cache_ttl: Duration::from_secs(10),
        }
    }
}

impl SecurityConfig {
    /// What is wrong with the section, if anything (the caller makes it a configuration error).
    pub(super) fn validate(&self) -> Result<(), String> {
        if !(4..=31).contains(&self.bcrypt_cost) {
            return Err("security.bcrypt_cost must be 4..=31".into());
        }
        if self.hash_threads == Some(0) {
            return Err("security.hash_threads must be at least 1".into());
        }
        if self.hash_queue == Some(0) {
            return Err("security.hash_queue must be at least 1".into());
        }
        Ok(())
    }

    /// The hashing pool's threads.
    pub fn hash_threads(&self) -> usize {
        self.hash_threads
            .unwrap_or_else(rosetta_core::hashing::default_threads)
    }

    /// How many hashes may wait for a hashing thread.
    pub fn hash_queue(&self) -> usize {
        self.hash_queue
            .unwrap_or_else(|| rosetta_core::hashing::QUEUE_PER_THREAD * self.hash_threads())
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
    fn hashing_pool_defaults_to_half_the_cores() {
        let c = Config::from_sources(None, env(&[])).unwrap();
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        assert_eq!(c.security.hash_threads, None);
        assert_eq!(c.security.hash_threads(), (cores / 2).max(1));
        assert_eq!(c.security.hash_queue(), 16 * c.security.hash_threads());
    }

    #[test]
    fn hashing_pool_from_file_or_environment() {
        let file = "[security]\nhash_threads = 3\nhash_queue = 5\n";
        let c = Config::from_sources(Some(file), env(&[])).unwrap();
        assert_eq!((c.security.hash_threads(), c.security.hash_queue()), (3, 5));
        // The queue's default follows the threads it feeds.
        let c = Config::from_sources(Some("[security]\nhash_threads = 2\n"), env(&[])).unwrap();
        assert_eq!(c.security.hash_queue(), 32);
        let c = Config::from_sources(
            Some(file),
            env(&[
                ("ROSETTA_SECURITY_HASH_THREADS", "1"),
                ("ROSETTA_SECURITY_HASH_QUEUE", "64"),
            ]),
        )
        .unwrap();
        assert_eq!(
            (c.security.hash_threads(), c.security.hash_queue()),
            (1, 64)
        );
    }

    #[test]
    fn hashing_pool_needs_a_thread_and_a_place_in_line() {
        for bad in [
            "[security]\nhash_threads = 0\n",
            "[security]\nhash_queue = 0\n",
            "[security]\nhash_threads = -1\n",
            "[security]\nhash_threads = \"many\"\n",
        ] {
            assert!(Config::from_sources(Some(bad), env(&[])).is_err(), "{bad}");
        }
        assert!(
            Config::from_sources(None, env(&[("ROSETTA_SECURITY_HASH_THREADS", "0")])).is_err()
        );
    }
}
