#![doc = include_str!("../README.md")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::sync::Arc;

use rosetta_core::Directory;
use rosetta_server::{Config, Gateway};
use rosetta_testkit::{read_eml_dir, Backend, Client, SentEmail, TestDatabase};

/// A test configuration over `database`: port 0, two workers, bcrypt cost 4, the outbox
/// written to `outbox/` in the database's temporary directory and polled every 100 ms.
pub fn gateway_config(database: &TestDatabase) -> Config {
    let mut config = Config::default();
    config.server.listen = "127.0.0.1:0".into();
    config.server.workers = Some(2);
    config.server.shutdown_timeout = std::time::Duration::from_secs(5);
    config.security.bcrypt_cost = 4;
    config.database.url = database.url().to_owned();
    config.database.pool_size = Some(4);
    config.email.dir = database.dir().join("outbox");
    config.email.poll_interval = std::time::Duration::from_millis(100);
    config
}

/// The whole gateway (`rosetta_server::start`: every dialect mounted, the operational routes,
/// metrics, the outbox sender) over a fresh database.
pub struct TestGateway {
    pub addr: SocketAddr,
    pub config: Config,
    pub directory: Arc<Directory>,
    /// The recording client, at the main listener (its leak scan runs when it is dropped).
    pub client: Client,
    gateway: Option<Gateway>,
    /// Last, so the gateway is gone before the database is dropped.
    pub database: TestDatabase,
}

impl TestGateway {
    pub async fn start(backend: Backend) -> Self {
        Self::start_with(backend, |_| {}).await
    }

    /// Starts the gateway after `adjust` has changed the test configuration.
    pub async fn start_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Self {
        let database = TestDatabase::create_async(backend).await;
        let mut config = gateway_config(&database);
        adjust(&mut config);
        let gateway = rosetta_server::start(&config)
            .await
            .expect("gateway starts");
        let addr = gateway.main_addr().expect("main listener");
        Self {
            addr,
            directory: gateway.directory.clone(),
            client: Client::new(format!("http://{addr}")),
            config,
            gateway: Some(gateway),
            database,
        }
    }

    pub fn backend(&self) -> Backend {
        self.database.backend()
    }

    pub fn url(&self, path: &str) -> String {
        self.client.url(path)
    }

    /// Addresses of every listener ("main" and dialects with their own), and the pool.
    pub fn gateway(&self) -> &Gateway {
        self.gateway.as_ref().expect("running")
    }

    /// Stops the gateway gracefully.
    pub async fn stop(&mut self) {
        if let Some(g) = self.gateway.take() {
            g.stop().await;
        }
    }

    /// Every message the file transport has written so far, oldest first.
    pub async fn emails(&self) -> Vec<SentEmail> {
        read_eml_dir(&self.config.email.dir)
    }

    /// Waits (up to 10 s) until at least `n` messages have been written; returns them all.
    pub async fn wait_for_emails(&self, n: usize) -> Vec<SentEmail> {
        rosetta_testkit::wait_for_eml(&self.config.email.dir, n, 100).await
    }
}

impl AsRef<Directory> for TestGateway {
    fn as_ref(&self) -> &Directory {
        &self.directory
    }
}

impl Drop for TestGateway {
    fn drop(&mut self) {
        // Stop commands are sent at once; their futures only wait for the workers.
        if let Some(g) = &self.gateway {
            for h in g.handles() {
                drop(h.stop(false));
            }
        }
    }
}
