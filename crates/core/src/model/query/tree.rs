//! The condition tree, its sort and its page.

use super::attrs::{GroupAttr, UserAttr};
use super::problem::CompareOp;
use crate::model::time::Timestamp;

/// A comparison's value as the dialect read it. [`Condition::prepare`] turns each into the
/// one type its attribute holds (text for a time is parsed as RFC 3339, and so on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Bool(bool),
    Int(i64),
    Time(Timestamp),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison<A> {
    pub attr: A,
    pub op: CompareOp,
    pub value: Value,
    /// Compare text exactly; false folds letter case (SCIM `caseExact`).
    pub case_exact: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition<A> {
    Compare(Comparison<A>),
    /// The attribute has a value (SCIM `pr`).
    Present(A),
    /// Every one; an empty list holds for every row.
    And(Vec<Condition<A>>),
    /// Any one; an empty list holds for none.
    Or(Vec<Condition<A>>),
    Not(Box<Condition<A>>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort<A> {
    pub attr: A,
    pub descending: bool,
}

/// A filtered, sorted page. Rows of equal sort value keep creation order, so pages tile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query<A> {
    pub filter: Option<Condition<A>>,
    pub sort: Option<Sort<A>>,
    /// Rows to skip (SCIM's 1-based `startIndex` minus one).
    pub offset: u64,
    /// Rows to return; 0 answers only the count.
    pub limit: u32,
}

pub type UserQuery = Query<UserAttr>;
pub type GroupQuery = Query<GroupAttr>;

impl<A> Query<A> {
    /// Every row, in creation order, up to `limit`.
    pub fn all(limit: u32) -> Self {
        Self {
            filter: None,
            sort: None,
            offset: 0,
            limit,
        }
    }
}

/// What a query answers: how many rows match, and the page asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryPage<T> {
    pub total: u64,
    pub items: Vec<T>,
}
