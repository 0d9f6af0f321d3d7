#![doc = include_str!("../README.md")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod backend;
pub mod callers;
pub mod client;
mod database;
mod directory;
mod email;
mod fixtures;
mod serve;

pub use backend::{Backend, POSTGRES_ENV};
pub use client::{enc, leaks, Client, Resp};
pub use database::{with_database, TestDatabase};
pub use directory::{open_directory, test_settings, TestDirectory};
pub use email::{read_eml_dir, wait_for_eml, SentEmail};
pub use fixtures::Fixtures;
pub use serve::{Options, TestApp};

pub use rosetta_core;

/// insta's settings for every test of [`backend_tests!`]: a snapshot is the file named as the
/// assertion names it, in `snapshots/` beside the test's source file, without the module path
/// insta would put first. A crate has one test binary whose modules are route groups, so the
/// name alone says which answer it pins, and a test can move between groups (or crates)
/// without its snapshot changing.
pub fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// Runs each named `async fn(Backend)` on SQLite and on PostgreSQL, with
/// [`snapshot_settings`].
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::snapshot_settings()
                    .bind_async(super::$name($crate::Backend::Sqlite))
                    .await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if $crate::Backend::Postgres.available() {
                    $crate::snapshot_settings()
                        .bind_async(super::$name($crate::Backend::Postgres))
                        .await;
                } else {
                    eprintln!("{} is not set: the PostgreSQL run of this test was not made", $crate::POSTGRES_ENV);
                }
            }
        }
    )+};
}
