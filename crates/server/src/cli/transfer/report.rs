//! What an export or import tells its operator: a progress bar on a terminal (stderr only, so
//! stdout stays the file or the one JSON object), and the problems of a file by line.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

/// One problem of an import file. `line` is the file's line (1 is the CSV header; a quoted
/// CSV field may span lines, and its record is numbered by the line it starts on).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineError {
    pub line: u64,
    pub field: String,
    pub message: String,
}

impl LineError {
    pub fn new(line: u64, field: &str, message: impl Into<String>) -> Self {
        Self {
            line,
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// A bar when stderr is a terminal and `--json` was not given; hidden otherwise (a pipe, a
/// log file, a test), so nothing but the summary is ever written there.
pub fn progress(json_out: bool, total: Option<u64>, what: &'static str) -> ProgressBar {
    if json_out || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match total {
        Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
    };
    let template = if total.is_some() {
        "{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)"
    } else {
        "{msg} {spinner} {pos} ({per_sec})"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what);
    bar
}
