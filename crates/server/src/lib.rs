#![doc = include_str!("../README.md")]

pub mod app;
mod background;
pub mod cli;
pub mod config;
mod connections;
mod console;
pub mod deprecation;
mod labels;
pub mod logging;
pub mod metrics;
mod openapi;

pub use app::{start, Gateway, StartError};
pub use config::Config;

/// Structured logs on stderr (see [`logging`]).
pub fn init_logging() {
    logging::init();
}
