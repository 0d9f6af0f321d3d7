//! The directory service: every operation a dialect may perform, scoped to the caller's
//! tenant, validated here once so that no dialect can write a user the others cannot read.
//! One file per aggregate; this one holds the service itself.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::Semaphore;

use crate::crypto::MemorableCipher;
use crate::error::{CoreError, CoreResult, Refusal};
use crate::model::{Credential, Timestamp};
use crate::recent::Recent;
use crate::store::Store;

mod actor;
mod assets;
mod credentials;
mod logins;
mod new_users;
mod notices;
mod operations;
mod requests;
mod sessions;
mod settings;
mod tenants;
mod tickets;
mod user_input;
mod users;

pub use actor::{Actor, Principal};
pub use logins::LoginCheck;
pub use operations::{Outbox, Usage};
pub use requests::{
    ActivateRequest, AddBookingRequest, CreateCredentialRequest, CreateUserRequest,
    CreateUsersRequest, NameInput, NewUser, Onboarding, PutAssetRequest, ResetTicketRequest,
    StartSessionRequest, UpdateUserRequest, UserPatch,
};
pub use sessions::SessionAuth;
pub use settings::Settings;

pub struct Directory {
    store: Arc<dyn Store>,
    settings: Settings,
    cipher: MemorableCipher,
    /// Verified machine credentials by token hash.
    credentials: Recent<Credential>,
    /// Verified v2 integration keys by tenant and key hash.
    integration_keys: Recent<()>,
    list_slots: Semaphore,
}

fn now() -> Timestamp {
    Utc::now()
}

fn after(d: Duration) -> Timestamp {
    now() + chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

impl Directory {
    pub fn new(store: Arc<dyn Store>, settings: Settings, secret_key: &str) -> Self {
        Self {
            credentials: Recent::new(settings.credential_cache_ttl),
            integration_keys: Recent::new(settings.credential_cache_ttl),
            list_slots: Semaphore::new(settings.list_concurrency.max(1)),
            store,
            settings,
            cipher: MemorableCipher::from_secret(secret_key),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Whether the database answers right now (`/readyz`).
    pub async fn ping(&self) -> CoreResult<()> {
        self.store.ping().await
    }

    fn require_admin(actor: &Actor) -> CoreResult<()> {
        if actor.admin {
            Ok(())
        } else {
            Err(CoreError::Forbidden(Refusal::NotAdmin))
        }
    }
}
