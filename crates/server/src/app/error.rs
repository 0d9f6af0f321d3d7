//! Why the gateway could not start.

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Config(String),
    #[error("database {url}: {message}")]
    Database { url: String, message: String },
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
    #[error("routes collide: {0}")]
    Collision(String),
    #[error("{0}")]
    Other(String),
}
