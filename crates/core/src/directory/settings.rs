//! Knobs from the server's configuration that change what the core does.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Settings {
    pub bcrypt_cost: u32,
    /// Threads of the password-hashing pool ([`crate::hashing`]), apart from the database's.
    pub hash_threads: usize,
    /// Hashes that may wait for a hashing thread; one more is refused as unavailable.
    pub hash_queue: usize,
    pub min_password_length: usize,
    pub activation_ttl: Duration,
    pub session_idle_ttl: Duration,
    pub temporary_token_ttl: Duration,
    pub lockout_threshold: i32,
    pub lockout_duration: Duration,
    /// With `{ticket}` where the ticket goes.
    pub activation_url: String,
    /// How long a verified machine credential is trusted without a read (0: always read).
    pub credential_cache_ttl: Duration,
    /// List and search queries running at once; the rest wait their turn without holding a
    /// database connection.
    pub list_concurrency: usize,
    /// Whole lists (the legacy list routes) streaming at once; one more is answered 503.
    pub full_lists: usize,
    /// Sessions (and, apart, temporary tokens) a user may hold at once; a new one ends the
    /// oldest beyond this.
    pub max_sessions_per_user: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            bcrypt_cost: 12,
            hash_threads: crate::hashing::default_threads(),
            hash_queue: crate::hashing::QUEUE_PER_THREAD * crate::hashing::default_threads(),
            min_password_length: 1,
            activation_ttl: Duration::from_secs(72 * 3600),
            session_idle_ttl: Duration::from_secs(3600),
            temporary_token_ttl: Duration::from_secs(300),
            lockout_threshold: 5,
            lockout_duration: Duration::from_secs(15 * 60),
            activation_url: "http://127.0.0.1:8080/keaz/activate/{ticket}".into(),
            credential_cache_ttl: Duration::from_secs(10),
            list_concurrency: 2,
            full_lists: 8,
            max_sessions_per_user: 100,
        }
    }
}
