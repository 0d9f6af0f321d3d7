#![doc = include_str!("../README.md")]

pub mod app;
mod background;
pub mod cli;
pub mod config;
mod connections;
pub mod deprecation;
pub mod metrics;
mod openapi;

pub use app::{start, Gateway, StartError};
pub use config::Config;

/// Structured logs through `tracing`; JSON lines with `ROSETTA_LOG_FORMAT=json`. Logs go to
/// stderr so `--json` output on stdout stays one clean object.
pub fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("ROSETTA_LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
