//! The directory service itself: what it holds, and what every aggregate's operations share.

use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::{OnceCell, Semaphore};

use super::settings::Settings;
use crate::crypto::SecretCipher;
use crate::error::CoreResult;
use crate::hashing::Hasher;
use crate::model::{Credential, Timestamp};
use crate::recent::Recent;
use crate::store::Store;

/// How often at most a gateway writes that a credential was used.
const LAST_USED_EVERY: Duration = Duration::from_secs(60);

pub struct Directory {
    pub(super) store: Arc<dyn Store>,
    pub(super) settings: Settings,
    pub(super) cipher: SecretCipher,
    /// Where every bcrypt hash and verify runs (never the database's blocking pool).
    pub(super) hasher: Hasher,
    /// Verified machine credentials by token hash.
    pub(super) credentials: Recent<Credential>,
    /// Verified v2 integration keys by tenant and key hash.
    pub(super) integration_keys: Recent<()>,
    /// Credentials whose `last_used_at` this gateway wrote in the last minute, by id.
    pub(super) used: Recent<()>,
    pub(super) list_slots: Semaphore,
    /// Whole lists being written; owned permits, as a list holds its slot while it streams.
    pub(super) full_lists: Arc<Semaphore>,
    /// What a login for a name without a password verifies against (made on first use).
    pub(super) dummy_hash: OnceCell<String>,
    /// Passwords verified so far.
    pub(super) verifications: AtomicU64,
}

pub(super) fn now() -> Timestamp {
    Utc::now()
}

pub(super) fn after(d: Duration) -> Timestamp {
    now() + chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

impl Directory {
    pub fn new(store: Arc<dyn Store>, settings: Settings, secret_key: &str) -> Self {
        Self {
            credentials: Recent::new(settings.credential_cache_ttl),
            integration_keys: Recent::new(settings.credential_cache_ttl),
            used: Recent::new(LAST_USED_EVERY),
            list_slots: Semaphore::new(settings.list_concurrency.max(1)),
            full_lists: Arc::new(Semaphore::new(settings.full_lists.max(1))),
            dummy_hash: OnceCell::new(),
            verifications: AtomicU64::new(0),
            hasher: Hasher::new(settings.hash_threads, settings.hash_queue),
            store,
            settings,
            cipher: SecretCipher::from_secret(secret_key),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The password-hashing pool (the CLI's imports and the tests hash on it too).
    pub fn hasher(&self) -> &Hasher {
        &self.hasher
    }

    /// Whether the database answers right now (`/readyz`).
    pub async fn ping(&self) -> CoreResult<()> {
        self.store.ping().await
    }
}
