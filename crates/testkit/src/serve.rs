//! Dialects served in-process over real HTTP, on `127.0.0.1:0`, each from its own route table
//! (`Dialect::mount`) at its default prefix, over a [`TestDirectory`]: what a dialect crate's
//! HTTP tests run against, without the server crate.

use std::net::{SocketAddr, TcpListener};
use std::ops::Deref;

use actix_web::dev::ServerHandle;
use actix_web::{web, App, HttpServer};
use rosetta_core::Settings;
use rosetta_dialect::{Dialect, Limits};

use crate::backend::Backend;
use crate::client::Client;
use crate::directory::{test_settings, TestDirectory};

/// What a test may change before the dialects are served.
pub struct Options {
    pub settings: Settings,
    pub limits: Limits,
}

/// Served dialects. Derefs to its [`TestDirectory`] (`app.directory`, `app.emails()`, the
/// [`crate::Fixtures`]), the one thing a test reaches past HTTP for.
pub struct TestApp {
    pub addr: SocketAddr,
    /// The recording client, at this server (its leak scan runs when the app is dropped).
    pub client: Client,
    pub limits: Limits,
    handle: ServerHandle,
    directory: TestDirectory,
}

impl TestApp {
    /// `dialects` over a fresh database, with [`test_settings`] and the default limits.
    pub async fn serve(backend: Backend, dialects: &[Dialect]) -> Self {
        Self::serve_with(backend, dialects, |_| {}).await
    }

    /// [`TestApp::serve`] after `adjust` has changed the settings or limits.
    pub async fn serve_with(
        backend: Backend,
        dialects: &[Dialect],
        adjust: impl FnOnce(&mut Options),
    ) -> Self {
        // Bound first, so the activation links can name the address (as the gateway does).
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let mut options = Options {
            settings: Settings {
                activation_url: format!("http://{addr}/keaz/activate/{{ticket}}"),
                ..test_settings()
            },
            limits: Limits::default(),
        };
        adjust(&mut options);
        let Options { settings, limits } = options;
        let directory = TestDirectory::open_with(backend, settings).await;

        let mounted: Vec<(&'static str, rosetta_dialect::Mounted)> = dialects
            .iter()
            .map(|d| (d.default_prefix, d.mount()))
            .collect();
        let dir_data = web::Data::from(directory.directory.clone());
        let server = HttpServer::new(move || {
            let mut app = App::new()
                .app_data(dir_data.clone())
                .app_data(web::Data::new(limits));
            for (prefix, dialect) in &mounted {
                app = app.configure(|cfg| dialect.configure_at(prefix, cfg));
            }
            app
        })
        .workers(2)
        .disable_signals()
        .listen(listener)
        .expect("listen")
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Self {
            addr,
            client: Client::new(format!("http://{addr}")),
            limits,
            handle,
            directory,
        }
    }

    /// The full URL of `path`.
    pub fn url(&self, path: &str) -> String {
        self.client.url(path)
    }
}

impl Deref for TestApp {
    type Target = TestDirectory;

    fn deref(&self) -> &TestDirectory {
        &self.directory
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // The stop command is sent at once; its future only waits for the workers to finish,
        // which the test need not do.
        drop(self.handle.stop(false));
    }
}
