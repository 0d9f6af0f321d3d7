#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The operator console in a real browser: Debian's `chromium` headless, driven over WebDriver
//! by its `chromedriver`, against the real `rosetta serve` binary on SQLite and on PostgreSQL.
//! The CLI makes a tenant, two credentials and an operator; real usr and scim calls make the
//! usage; then the browser is refused without a session, shown the alert for a wrong
//! password, refused a forged CSRF token, logs in with the keyboard alone, reads the chart,
//! the callers and the tenants, and logs out for good. Every page is kept as a screenshot at
//! a desktop and a phone width (`target/console-screenshots/`; the SQLite ones of four pages
//! go to `docs/images/` with `ROSETTA_UPDATE_SCREENSHOTS=1`).
//!
//! Every test is `#[ignore]`d (the ordinary run has no browser); `.ci/run` installs chromium
//! and chromium-driver and runs them with `--ignored --test-threads 1`. `ROSETTA_BIN`,
//! `CHROMEDRIVER` and `CHROMIUM` say where the programs are.

mod driver;
mod gateway;
mod login;
mod pages;
#[path = "../support/process.rs"]
mod process;
mod shots;

use rosetta_testkit::{Backend, TestDatabase};

/// `name(Backend)` as two ignored tests, `name::sqlite` and `name::postgres`.
macro_rules! on_both_backends {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[ignore = "needs chromium and chromium-driver: .ci/run runs it with --ignored"]
            async fn sqlite() {
                super::$name(rosetta_testkit::Backend::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[ignore = "needs chromium and chromium-driver: .ci/run runs it with --ignored"]
            async fn postgres() {
                assert!(
                    rosetta_testkit::Backend::Postgres.available(),
                    "the browser suite needs ROSETTA_TEST_POSTGRES_URL"
                );
                super::$name(rosetta_testkit::Backend::Postgres).await;
            }
        }
    };
}

async fn console_in_a_real_browser(backend: Backend) {
    let database = tokio::task::spawn_blocking(move || TestDatabase::empty(backend))
        .await
        .unwrap();
    let (dir, url) = (database.dir().to_owned(), database.url().to_owned());
    gateway::write_config(&dir);
    let (fixture, usr_token, scim_token) = {
        let (dir, url) = (dir.clone(), url.clone());
        tokio::task::spawn_blocking(move || gateway::set_up(&dir, &url))
            .await
            .unwrap()
    };
    let client = reqwest::Client::new();
    let mut serve = gateway::Serve::start(&dir, &url, std::process::Stdio::inherit());
    serve.ready(&client).await;
    gateway::call_dialects(&client, &serve, &usr_token, &scim_token).await;
    let row = gateway::usage_flushed(&dir, &url, "usr", &fixture.caller).await;
    assert_eq!(row["label"], fixture.label, "{row}");
    gateway::usage_flushed(&dir, &url, "scim", &fixture.scim_caller).await;

    let chromedriver = driver::Chromedriver::start().await;
    let browser = chromedriver.browser().await;
    login::refused_without_session(&browser, &serve, backend).await;
    login::wrong_password_alerts(&browser, &serve, backend, &fixture).await;
    login::forged_login_csrf_refused(&browser, &serve, backend, &fixture).await;
    login::log_in_with_keyboard(&browser, &serve, &fixture).await;
    login::session_cookie(&browser).await;
    pages::overview(&browser, &serve, backend).await;
    pages::dialects(&browser, &serve, backend, &fixture).await;
    pages::tenants(&browser, &serve, backend, &fixture).await;
    login::logout_ends_the_session(&browser, &serve).await;
    browser.close().await;
}

on_both_backends!(console_in_a_real_browser);
