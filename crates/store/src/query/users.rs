//! The user query: [`UserAttr`] conditions as predicates on `users`, and the sort.

use diesel::prelude::*;
use rosetta_core::{CompareOp, Comparison, Condition, Sort, UserAttr, Value};

use super::text::{exact_cmp, like_cmp, lower, nullable_cmp, ordered};
use super::{always, Pred};
use crate::db::Backend;
use crate::error::StoreError;
use crate::rows::millis;
use crate::schema::{group_members, groups, users};
use crate::search::{indexable, name_key_pattern, narrowed, Engine, Key, Match, NamePart};

type P = Pred<users::table>;

/// The condition as one predicate for `engine`; `Err` only for a value of the wrong type,
/// which the directory's `prepare` rules out.
pub(crate) fn predicate(e: Engine, c: &Condition<UserAttr>) -> Result<P, StoreError> {
    Ok(match c {
        Condition::Compare(cmp) => compare(e, cmp)?,
        Condition::Present(a) => present(*a),
        Condition::Not(inner) => Box::new(diesel::dsl::not(predicate(e, inner)?)),
        Condition::And(parts) => combine(e, parts, true)?,
        Condition::Or(parts) => combine(e, parts, false)?,
    })
}

/// The key a comparison's substring (or name part) is found by in the trigram index, and the
/// folded term, if the index can serve it. Not for `ne`, whose rows are the ones without it.
fn indexed(c: &Comparison<UserAttr>) -> Option<(Key, String)> {
    use CompareOp as Op;
    let Value::Text(v) = &c.value else {
        return None;
    };
    let substring = matches!(c.op, Op::Co | Op::Sw | Op::Ew);
    let key = match c.attr {
        _ if c.case_exact => return None,
        UserAttr::Username if substring => Key::Username,
        UserAttr::Email if substring => Key::Email,
        UserAttr::FullName if substring => Key::Name,
        UserAttr::FirstName | UserAttr::LastName if substring || c.op == Op::Eq => Key::Name,
        _ => return None,
    };
    let term = v.to_lowercase();
    indexable(&term).then_some((key, term))
}

/// Whether every row `c` holds for is found by the trigram index: then the index, not the
/// tenant, is where a query should start.
fn driven(c: &Condition<UserAttr>) -> bool {
    match c {
        Condition::Compare(cmp) => indexed(cmp).is_some(),
        Condition::And(parts) => parts.iter().any(driven),
        Condition::Present(_) | Condition::Not(_) | Condition::Or(_) => false,
    }
}

fn combine(e: Engine, parts: &[Condition<UserAttr>], and: bool) -> Result<P, StoreError> {
    let mut it = parts.iter();
    let Some(first) = it.next() else {
        return Ok(if and {
            always()
        } else {
            Box::new(diesel::dsl::not(always::<users::table>()))
        });
    };
    let mut acc = predicate(e, first)?;
    for p in it {
        let next = predicate(e, p)?;
        acc = if and {
            Box::new(acc.and(next))
        } else {
            Box::new(acc.or(next))
        };
    }
    Ok(acc)
}

fn wrong(attr: UserAttr) -> StoreError {
    StoreError::Corrupt(format!("query value of the wrong type for {attr:?}"))
}

fn text(c: &Comparison<UserAttr>) -> Result<String, StoreError> {
    match &c.value {
        Value::Text(t) => Ok(t.clone()),
        _ => Err(wrong(c.attr)),
    }
}

fn name_part(part: NamePart, c: &Comparison<UserAttr>) -> Result<P, StoreError> {
    let v = text(c)?;
    let how = match c.op {
        CompareOp::Co => Match::Contains,
        CompareOp::Sw => Match::Starts,
        CompareOp::Ew => Match::Ends,
        _ => Match::Equals,
    };
    let p: P = Box::new(
        users::name_key
            .like(name_key_pattern(part, how, &v))
            .escape('\\'),
    );
    Ok(if c.op == CompareOp::Ne {
        Box::new(diesel::dsl::not(p))
    } else {
        p
    })
}

fn compare(e: Engine, c: &Comparison<UserAttr>) -> Result<P, StoreError> {
    let p = compare_scan(c)?;
    Ok(match indexed(c) {
        Some((key, term)) => narrowed(e, key, &term, p),
        None => p,
    })
}

/// The comparison as the exact predicate on the row (what the index, if any, narrows).
fn compare_scan(c: &Comparison<UserAttr>) -> Result<P, StoreError> {
    use CompareOp as Op;
    let op = c.op;
    let exact = c.case_exact;
    let substring_or_eq = matches!(op, Op::Eq | Op::Ne | Op::Co | Op::Sw | Op::Ew);
    Ok(match c.attr {
        UserAttr::Uuid => like_cmp!(users::uuid, op, text(c)?),
        UserAttr::Username if exact => exact_cmp!(users::username, op, text(c)?),
        UserAttr::Username => like_cmp!(users::username_key, op, text(c)?.to_lowercase()),
        UserAttr::Email if exact => exact_cmp!(users::email, op, text(c)?),
        UserAttr::Email => like_cmp!(users::email_key, op, text(c)?.to_lowercase()),
        UserAttr::FullName if exact => exact_cmp!(users::full_name, op, text(c)?),
        UserAttr::FullName if matches!(op, Op::Co | Op::Sw | Op::Ew) => {
            name_part(NamePart::Full, c)?
        }
        UserAttr::FullName => like_cmp!(users::full_name_key, op, text(c)?.to_lowercase()),
        UserAttr::FirstName if exact => exact_cmp!(users::first_name, op, text(c)?),
        UserAttr::FirstName if substring_or_eq => name_part(NamePart::First, c)?,
        UserAttr::FirstName => like_cmp!(lower(users::first_name), op, text(c)?.to_lowercase()),
        UserAttr::LastName if exact => exact_cmp!(users::last_name, op, text(c)?),
        UserAttr::LastName if substring_or_eq => name_part(NamePart::Last, c)?,
        UserAttr::LastName => like_cmp!(lower(users::last_name), op, text(c)?.to_lowercase()),
        UserAttr::ExternalId if exact => nullable_cmp!(exact_cmp, users::external_id, op, text(c)?),
        UserAttr::ExternalId => nullable_cmp!(lower_cmp, users::external_id, op, text(c)?),
        UserAttr::EmployeeId if exact => {
            nullable_cmp!(exact_cmp, users::employee_id, op, text(c)?)
        }
        UserAttr::EmployeeId => nullable_cmp!(lower_cmp, users::employee_id, op, text(c)?),
        UserAttr::CostCentreId if exact => {
            nullable_cmp!(exact_cmp, users::cost_centre_id, op, text(c)?)
        }
        UserAttr::CostCentreId => nullable_cmp!(lower_cmp, users::cost_centre_id, op, text(c)?),
        UserAttr::ContactNumber if exact => {
            nullable_cmp!(exact_cmp, users::contact_number, op, text(c)?)
        }
        UserAttr::ContactNumber => {
            nullable_cmp!(lower_cmp, users::contact_number, op, text(c)?)
        }
        UserAttr::Status => like_cmp!(users::status, op, text(c)?),
        UserAttr::Active => {
            let Value::Bool(want) = c.value else {
                return Err(wrong(c.attr));
            };
            // `eq true` and `ne false` ask for active users; the other two for the rest.
            let active = want == (op == Op::Eq);
            if active {
                Box::new(users::status.eq("active"))
            } else {
                Box::new(users::status.ne("active"))
            }
        }
        UserAttr::CreatedAt | UserAttr::UpdatedAt => {
            let Value::Time(t) = c.value else {
                return Err(wrong(c.attr));
            };
            let ms = millis(t);
            if c.attr == UserAttr::CreatedAt {
                ordered!(users::created_at, op, ms)
            } else {
                ordered!(users::updated_at, op, ms)
            }
        }
        UserAttr::RoleNumber => {
            let Value::Int(n) = c.value else {
                return Err(wrong(c.attr));
            };
            let n = i32::try_from(n).map_err(|_| wrong(c.attr))?;
            ordered!(users::role_number, op, n)
        }
        UserAttr::Perm => {
            // perms is a JSON list of names made of [a-z0-9_-] (so is the value): a pattern
            // cannot run across the quotes between two names.
            let v = like_escape_perm(&text(c)?);
            let pattern = match op {
                Op::Co => format!("%{v}%"),
                Op::Sw => format!("%\"{v}%"),
                Op::Ew => format!("%{v}\"%"),
                _ => format!("%\"{v}\"%"),
            };
            let p: P = Box::new(users::perms.like(pattern).escape('\\'));
            if op == Op::Ne {
                Box::new(diesel::dsl::not(p))
            } else {
                p
            }
        }
        UserAttr::Group => {
            let members = group_members::table
                .inner_join(groups::table)
                .filter(groups::uuid.eq(text(c)?))
                .select(group_members::user_id);
            let p: P = Box::new(users::id.eq_any(members));
            if op == Op::Ne {
                Box::new(diesel::dsl::not(p))
            } else {
                p
            }
        }
    })
}

fn like_escape_perm(v: &str) -> String {
    crate::search::like_escape(v)
}

fn present(a: UserAttr) -> P {
    match a {
        UserAttr::ExternalId => Box::new(
            users::external_id
                .is_not_null()
                .and(users::external_id.assume_not_null().ne("")),
        ),
        UserAttr::EmployeeId => Box::new(
            users::employee_id
                .is_not_null()
                .and(users::employee_id.assume_not_null().ne("")),
        ),
        UserAttr::CostCentreId => Box::new(
            users::cost_centre_id
                .is_not_null()
                .and(users::cost_centre_id.assume_not_null().ne("")),
        ),
        UserAttr::ContactNumber => Box::new(
            users::contact_number
                .is_not_null()
                .and(users::contact_number.assume_not_null().ne("")),
        ),
        UserAttr::FullName => Box::new(users::full_name.ne("")),
        UserAttr::FirstName => Box::new(users::first_name.ne("")),
        UserAttr::LastName => Box::new(users::last_name.ne("")),
        UserAttr::Perm => Box::new(users::perms.ne("[]")),
        UserAttr::Group => {
            Box::new(users::id.eq_any(group_members::table.select(group_members::user_id)))
        }
        UserAttr::Uuid
        | UserAttr::Username
        | UserAttr::Email
        | UserAttr::Status
        | UserAttr::Active
        | UserAttr::CreatedAt
        | UserAttr::UpdatedAt
        | UserAttr::RoleNumber => always(),
    }
}

/// The boxed query of the tenant's users matching `filter`, for `engine`, pending imports'
/// rows included: `query::pages` adds `rows::users::visible` to the page and counts through
/// `rows::users::visible_count`.
pub(crate) fn filtered<'a>(
    e: Engine,
    tenant: i64,
    filter: Option<&Condition<UserAttr>>,
) -> Result<users::BoxedQuery<'a, Backend>, StoreError> {
    // Given the tenant as a plain comparison, SQLite (no statistics) starts from the tenant's
    // index and tests every user against the trigram ids; written `+tenant_id` the comparison
    // cannot use an index, so the plan starts from the ids the trigram index found.
    let mut q = if e == Engine::Sqlite && filter.is_some_and(driven) {
        users::table
            .filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("+\"users\".\"tenant_id\" = ")
                    .bind::<diesel::sql_types::BigInt, _>(tenant),
            )
            .into_boxed::<Backend>()
    } else {
        users::table
            .filter(users::tenant_id.eq(tenant))
            .into_boxed::<Backend>()
    };
    if let Some(f) = filter {
        q = q.filter(predicate(e, f)?);
    }
    Ok(q)
}

/// `q` in the sort's order, ties (and no sort) in creation order.
pub(crate) fn sorted<'a>(
    q: users::BoxedQuery<'a, Backend>,
    sort: Option<&Sort<UserAttr>>,
) -> users::BoxedQuery<'a, Backend> {
    let Some(Sort { attr, descending }) = sort else {
        return q.order(users::id.asc());
    };
    macro_rules! by {
        ($col:expr) => {
            if *descending {
                q.order($col.desc())
            } else {
                q.order($col.asc())
            }
        };
    }
    let q = match attr {
        UserAttr::Uuid => by!(users::uuid),
        UserAttr::Username => by!(users::username_key),
        UserAttr::Email => by!(users::email_key),
        UserAttr::FullName => by!(users::full_name_key),
        UserAttr::FirstName => by!(lower(users::first_name)),
        UserAttr::LastName => by!(lower(users::last_name)),
        UserAttr::ExternalId => by!(users::external_id),
        UserAttr::EmployeeId => by!(users::employee_id),
        UserAttr::CostCentreId => by!(users::cost_centre_id),
        UserAttr::ContactNumber => by!(users::contact_number),
        UserAttr::Status | UserAttr::Active => by!(users::status),
        UserAttr::CreatedAt => by!(users::created_at),
        UserAttr::UpdatedAt => by!(users::updated_at),
        UserAttr::RoleNumber => by!(users::role_number),
        // Not sortable (the directory refuses them); creation order.
        UserAttr::Perm | UserAttr::Group => q,
    };
    q.then_order_by(users::id.asc())
}
