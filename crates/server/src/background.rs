//! Tasks that run beside the listeners for as long as the gateway does.

use std::sync::Arc;

use rosetta_core::Directory;

use crate::config::Config;

/// Starts the background tasks (the email outbox sender arrives with the keaz issue).
pub fn spawn(_config: &Config, _directory: Arc<Directory>) -> Vec<tokio::task::JoinHandle<()>> {
    Vec::new()
}
