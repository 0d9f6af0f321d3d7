//! Readying a query for the store: each value made the one type its attribute holds, every
//! operator checked, and each comparison no stored value can satisfy (a text the text rule
//! refuses, a uuid that is no uuid, a value longer than the attribute holds) folded into a
//! constant, as `UserFilter::can_match` does, so the store never sees it (PostgreSQL refuses a
//! NUL in a parameter) and a query that can match nothing asks no database.

use chrono::DateTime;
use uuid::Uuid;

use super::attrs::{AttrKind, QueryAttr};
use super::problem::{CompareOp, QueryProblem};
use super::tree::{Comparison, Condition, Query, Value};
use crate::error::{CoreError, CoreResult, Field, Problem};
use crate::model::user::Status;
use crate::text::{TextKind, NAME_MAX};

/// A condition after [`Condition::prepare`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Folded<A> {
    /// Holds for every row.
    Always,
    /// Holds for none.
    Never,
    /// Holds where the condition does; it has no constant part left, and each value is of its
    /// attribute's type: `Text` for text, uuid (lower-case) and status attributes, `Bool`,
    /// `Int` (within `i32`) and `Time`.
    Cond(Condition<A>),
}

fn problem(p: QueryProblem) -> CoreError {
    CoreError::invalid(Field::Filter, Problem::Query(p))
}

/// A comparison's value in its attribute's type; `Ok(None)` when no stored value can compare
/// as asked.
fn normalize<A: QueryAttr>(c: &Comparison<A>) -> CoreResult<Option<Value>> {
    let attr = c.attr.as_str();
    let bad_value = || problem(QueryProblem::Value { attr });
    let kind = c.attr.kind();
    if !kind.takes(c.op) {
        return Err(problem(QueryProblem::Operator { attr, op: c.op }));
    }
    let value = match (kind, &c.value) {
        (AttrKind::Text { max }, Value::Text(t)) => {
            let rule = if max > NAME_MAX {
                TextKind::Free
            } else {
                TextKind::Name
            };
            (rule.carries(t) && t.chars().count() <= max).then(|| Value::Text(t.clone()))
        }
        (AttrKind::Uuid | AttrKind::Uuids, Value::Text(t)) => match c.op {
            CompareOp::Eq | CompareOp::Ne => {
                Uuid::parse_str(t).ok().map(|u| Value::Text(u.to_string()))
            }
            _ => TextKind::Name
                .carries(t)
                .then(|| Value::Text(t.to_lowercase())),
        },
        (AttrKind::Bool, Value::Bool(b)) => Some(Value::Bool(*b)),
        (AttrKind::Bool, Value::Text(t)) => match t.to_ascii_lowercase().as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => return Err(bad_value()),
        },
        (AttrKind::Status, Value::Text(t)) => {
            Status::parse(t).map(|s| Value::Text(s.as_str().to_owned()))
        }
        (AttrKind::Int, Value::Int(n)) => Some(Value::Int(int(*n).ok_or_else(bad_value)?)),
        (AttrKind::Int, Value::Text(t)) => {
            let n: i64 = t.trim().parse().map_err(|_| bad_value())?;
            Some(Value::Int(int(n).ok_or_else(bad_value)?))
        }
        (AttrKind::Time, Value::Time(t)) => Some(Value::Time(*t)),
        (AttrKind::Time, Value::Text(t)) => Some(Value::Time(
            DateTime::parse_from_rfc3339(t)
                .map_err(|_| bad_value())?
                .to_utc(),
        )),
        (AttrKind::Perms, Value::Text(t)) => {
            let t = if c.case_exact {
                t.clone()
            } else {
                t.to_ascii_lowercase()
            };
            let perm_chars = t
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
            let whole = !matches!(c.op, CompareOp::Eq | CompareOp::Ne) || !t.is_empty();
            (perm_chars && whole).then_some(Value::Text(t))
        }
        _ => return Err(bad_value()),
    };
    Ok(value)
}

/// Role numbers are `i32`; a number past it is no role number.
fn int(n: i64) -> Option<i64> {
    i32::try_from(n).ok().map(i64::from)
}

impl<A: QueryAttr> Condition<A> {
    /// Checks and folds the condition (see [`Folded`]). A refused operator or value is a
    /// validation error of `Field::Filter` naming the attribute.
    pub fn prepare(&self) -> CoreResult<Folded<A>> {
        Ok(match self {
            Self::Present(a) => Folded::Cond(Self::Present(*a)),
            Self::Compare(c) => match normalize(c)? {
                Some(value) => Folded::Cond(Self::Compare(Comparison {
                    attr: c.attr,
                    op: c.op,
                    value,
                    case_exact: c.case_exact,
                })),
                // `ne` is `not eq`: what can equal nothing differs from everything.
                None if c.op == CompareOp::Ne => Folded::Always,
                None => Folded::Never,
            },
            Self::Not(inner) => match inner.prepare()? {
                Folded::Always => Folded::Never,
                Folded::Never => Folded::Always,
                Folded::Cond(c) => Folded::Cond(Self::Not(Box::new(c))),
            },
            Self::And(parts) => {
                let mut kept = Vec::with_capacity(parts.len());
                for p in parts {
                    match p.prepare()? {
                        Folded::Always => {}
                        Folded::Never => return Ok(Folded::Never),
                        Folded::Cond(c) => kept.push(c),
                    }
                }
                join(kept, Self::And, Folded::Always)
            }
            Self::Or(parts) => {
                let mut kept = Vec::with_capacity(parts.len());
                for p in parts {
                    match p.prepare()? {
                        Folded::Always => return Ok(Folded::Always),
                        Folded::Never => {}
                        Folded::Cond(c) => kept.push(c),
                    }
                }
                join(kept, Self::Or, Folded::Never)
            }
        })
    }
}

fn join<A>(
    mut kept: Vec<Condition<A>>,
    wrap: fn(Vec<Condition<A>>) -> Condition<A>,
    empty: Folded<A>,
) -> Folded<A> {
    match kept.len() {
        0 => empty,
        1 => kept.pop().map_or(empty, Folded::Cond),
        _ => Folded::Cond(wrap(kept)),
    }
}

impl<A: QueryAttr> Query<A> {
    /// The folded filter (no filter holds for every row), after checking the sort attribute.
    pub fn prepare(&self) -> CoreResult<Folded<A>> {
        if let Some(sort) = &self.sort {
            if !sort.attr.kind().sortable() {
                return Err(problem(QueryProblem::Sort {
                    attr: sort.attr.as_str(),
                }));
            }
        }
        match &self.filter {
            None => Ok(Folded::Always),
            Some(f) => f.prepare(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::query::attrs::{GroupAttr, UserAttr};

    fn cmp(attr: UserAttr, op: CompareOp, value: Value) -> Condition<UserAttr> {
        Condition::Compare(Comparison {
            attr,
            op,
            value,
            case_exact: false,
        })
    }

    fn text(t: &str) -> Value {
        Value::Text(t.into())
    }

    #[test]
    fn text_no_user_can_hold_matches_nobody_and_ne_everybody() {
        let nul = cmp(UserAttr::Username, CompareOp::Eq, text("a\0b"));
        assert_eq!(nul.prepare().unwrap(), Folded::Never);
        let ne = cmp(UserAttr::Username, CompareOp::Ne, text("a\0b"));
        assert_eq!(ne.prepare().unwrap(), Folded::Always);
        let not = Condition::Not(Box::new(nul.clone()));
        assert_eq!(not.prepare().unwrap(), Folded::Always);
        let long = cmp(UserAttr::Email, CompareOp::Co, text(&"x".repeat(255)));
        assert_eq!(long.prepare().unwrap(), Folded::Never);
        // a line feed is no part of a name (name_key's separator)
        let lf = cmp(UserAttr::FirstName, CompareOp::Co, text("a\nb"));
        assert_eq!(lf.prepare().unwrap(), Folded::Never);
    }

    #[test]
    fn and_or_fold_their_constants_away() {
        let ok = cmp(UserAttr::Username, CompareOp::Eq, text("ada"));
        let never = cmp(UserAttr::Uuid, CompareOp::Eq, text("not-a-uuid"));
        let and = Condition::And(vec![ok.clone(), never.clone()]);
        assert_eq!(and.prepare().unwrap(), Folded::Never);
        let or = Condition::Or(vec![ok.clone(), never]);
        assert_eq!(or.prepare().unwrap(), Folded::Cond(ok.clone()));
        assert_eq!(
            Condition::<UserAttr>::And(vec![]).prepare().unwrap(),
            Folded::Always
        );
        assert_eq!(
            Condition::<UserAttr>::Or(vec![]).prepare().unwrap(),
            Folded::Never
        );
    }

    #[test]
    fn values_become_their_attribute_type() {
        let active = cmp(UserAttr::Active, CompareOp::Eq, text("False"));
        assert_eq!(
            active.prepare().unwrap(),
            Folded::Cond(cmp(UserAttr::Active, CompareOp::Eq, Value::Bool(false)))
        );
        let u = Uuid::new_v4();
        let id = cmp(
            UserAttr::Uuid,
            CompareOp::Eq,
            text(&u.to_string().to_uppercase()),
        );
        assert_eq!(
            id.prepare().unwrap(),
            Folded::Cond(cmp(UserAttr::Uuid, CompareOp::Eq, text(&u.to_string())))
        );
        let when = cmp(
            UserAttr::CreatedAt,
            CompareOp::Gt,
            text("2011-05-13T04:42:34Z"),
        );
        assert!(matches!(
            when.prepare().unwrap(),
            Folded::Cond(Condition::Compare(Comparison {
                value: Value::Time(_),
                ..
            }))
        ));
        let role = cmp(UserAttr::RoleNumber, CompareOp::Ge, text("6"));
        assert_eq!(
            role.prepare().unwrap(),
            Folded::Cond(cmp(UserAttr::RoleNumber, CompareOp::Ge, Value::Int(6)))
        );
    }

    #[test]
    fn wrong_operators_and_values_are_refused_naming_the_attribute() {
        for (c, want) in [
            (
                cmp(UserAttr::Active, CompareOp::Gt, Value::Bool(true)),
                QueryProblem::Operator {
                    attr: "active",
                    op: CompareOp::Gt,
                },
            ),
            (
                cmp(UserAttr::Perm, CompareOp::Lt, text("a")),
                QueryProblem::Operator {
                    attr: "perms",
                    op: CompareOp::Lt,
                },
            ),
            (
                cmp(UserAttr::CreatedAt, CompareOp::Eq, text("yesterday")),
                QueryProblem::Value { attr: "created_at" },
            ),
            (
                cmp(UserAttr::RoleNumber, CompareOp::Eq, Value::Int(1 << 40)),
                QueryProblem::Value {
                    attr: "role_number",
                },
            ),
            (
                cmp(UserAttr::Username, CompareOp::Eq, Value::Bool(true)),
                QueryProblem::Value { attr: "username" },
            ),
        ] {
            match c.prepare() {
                Err(CoreError::Validation {
                    field: Field::Filter,
                    problem: Problem::Query(p),
                }) => assert_eq!(p, want),
                other => panic!("{c:?}: {other:?}"),
            }
        }
        let q = Query {
            filter: None,
            sort: Some(crate::model::query::tree::Sort {
                attr: GroupAttr::Member,
                descending: false,
            }),
            offset: 0,
            limit: 1,
        };
        assert!(q.prepare().is_err());
    }
}
