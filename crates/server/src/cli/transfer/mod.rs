//! `rosetta user export` and `rosetta user import`: moving a tenant's directory out (a
//! migration's last step, a backup) and in (from such a file, or another system's). The
//! formats and their decisions are in docs/migration.md, "Moving the directory out and in".

mod csv_rows;
mod export;
mod format;
mod import;
mod line;
mod report;
mod scim_lines;

pub use export::{export, ExportArgs};
pub use format::Format;
pub use import::{import, ImportArgs};
