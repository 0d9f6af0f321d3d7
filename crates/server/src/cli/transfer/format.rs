//! The three formats, and the directory both commands open.

use std::path::Path;
use std::sync::Arc;

use crate::config::Config;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One canonical user (`rosetta.user.v1`) per line.
    Jsonl,
    /// keaz's CSV import columns, then every other field.
    Csv,
    /// One SCIM User resource per line.
    Scim,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Self::Jsonl => "jsonl",
            Self::Csv => "csv",
            Self::Scim => "scim",
        }
    }

    /// An import's format when `--format` is not given: `.csv` is csv, `.scim` or
    /// `.scim.jsonl` scim, anything else jsonl.
    pub fn of_file(path: &Path) -> Self {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if name.ends_with(".csv") {
            Self::Csv
        } else if name.ends_with(".scim") || name.ends_with(".scim.jsonl") {
            Self::Scim
        } else {
            Self::Jsonl
        }
    }
}

/// Two connections: an export reads the next page on one while asking for a hash on the other.
pub(super) async fn open(
    config: &Config,
) -> Result<(Arc<rosetta_core::Directory>, rosetta_store::Db), String> {
    crate::app::open_with(config, String::new(), 2)
        .await
        .map_err(|e| crate::cli::one_line(&e.to_string()))
}
