//! The CSV import parser as the fuzz target (fuzz/) drives it. Built only with `fuzzing`.

pub use super::{parse, Parsed};
pub use crate::errors::RowError;
