//! Usage counts, one row per minute, dialect, credential and route.

use diesel::prelude::*;

use crate::schema::usage;

#[derive(Insertable)]
#[diesel(table_name = usage)]
pub(crate) struct UsageValues<'a> {
    pub(crate) bucket: i64,
    pub(crate) dialect: &'a str,
    pub(crate) credential: &'a str,
    pub(crate) route: &'a str,
    pub(crate) calls: i64,
}
