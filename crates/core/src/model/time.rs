//! How the core tells time: UTC instants.

use chrono::{DateTime, Utc};

pub type Timestamp = DateTime<Utc>;
