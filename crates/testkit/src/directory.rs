//! The `Directory` over a fresh database, opened the way the gateway opens it, with test
//! settings.

use std::sync::Arc;

use rosetta_core::{crypto, Directory, Settings, Store};
use rosetta_store::{Db, DieselStore};

use crate::backend::Backend;
use crate::database::TestDatabase;
use crate::email::{Mailbox, SentEmail};

/// The pool of a test directory: half of it is the list concurrency, as in the gateway.
const POOL_SIZE: u32 = 4;

/// The core's defaults with bcrypt cost 4, so a test's logins take milliseconds, and a hashing
/// queue long enough that a test sending many at once never meets the 503 of a full one (the
/// tests of that set their own).
pub fn test_settings() -> Settings {
    Settings {
        bcrypt_cost: 4,
        hash_queue: 1024,
        list_concurrency: usize::try_from(POOL_SIZE / 2).unwrap_or(1),
        ..Settings::default()
    }
}

/// A `Directory` over its own fresh database: what the store's tests and every served dialect
/// stand on.
pub struct TestDirectory {
    pub backend: Backend,
    pub directory: Arc<Directory>,
    /// The pool under the directory, for tests of the store itself.
    pub db: Db,
    pub settings: Settings,
    mailbox: Mailbox,
    /// Last, so the pool is gone before the database is dropped.
    pub database: TestDatabase,
}

impl TestDirectory {
    /// The directory with [`test_settings`] over a fresh database.
    pub async fn open(backend: Backend) -> Self {
        Self::open_with(backend, test_settings()).await
    }

    pub async fn open_with(backend: Backend, settings: Settings) -> Self {
        let database = TestDatabase::create_async(backend).await;
        let (directory, db) = open_directory(&database, settings.clone()).await;
        Self {
            backend,
            mailbox: Mailbox::new(directory.outbox()),
            directory,
            db,
            settings,
            database,
        }
    }

    /// Another directory over the same database, as a second gateway process (or the CLI)
    /// would open it: nothing in memory is shared.
    pub async fn reopen(&self) -> Arc<Directory> {
        open_directory(&self.database, self.settings.clone())
            .await
            .0
    }

    /// Every message the outbox has held so far, oldest first. The test takes each one the
    /// way the gateway's sender does (claimed, then marked sent), so a message queued twice
    /// shows twice and a message sent is never taken again; delivering them is the server's
    /// business (`crates/server/tests`).
    pub async fn emails(&self) -> Vec<SentEmail> {
        self.mailbox.collect().await
    }

    /// Waits (up to 10 s) until at least `n` messages were queued; returns them all.
    pub async fn wait_for_emails(&self, n: usize) -> Vec<SentEmail> {
        for _ in 0..100 {
            let found = self.emails().await;
            if found.len() >= n {
                return found;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        self.emails().await
    }
}

impl AsRef<Directory> for TestDirectory {
    fn as_ref(&self) -> &Directory {
        &self.directory
    }
}

/// Opens `database` as the gateway does (migrate, pool, the secret key kept in the database so
/// every directory over it reads the others' memorable words).
pub async fn open_directory(database: &TestDatabase, settings: Settings) -> (Arc<Directory>, Db) {
    let url = database.url().to_owned();
    let db = tokio::task::spawn_blocking(move || Db::connect(&url, POOL_SIZE))
        .await
        .expect("open the test database")
        .expect("connect to the test database");
    let store: Arc<dyn Store> = Arc::new(DieselStore::new(db.clone()));
    let secret = store
        .setting_get_or_init("secret_key", crypto::random_token())
        .await
        .expect("the secret key");
    (Arc::new(Directory::new(store, settings, &secret)), db)
}
