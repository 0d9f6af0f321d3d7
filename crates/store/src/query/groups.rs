//! The group query: [`GroupAttr`] conditions as predicates on `groups`, and the sort.

use diesel::prelude::*;
use rosetta_core::{CompareOp, Comparison, Condition, GroupAttr, Sort, Value};

use super::text::{exact_cmp, like_cmp, nullable_cmp, ordered};
use super::{always, Pred};
use crate::db::Backend;
use crate::error::StoreError;
use crate::rows::millis;
use crate::schema::{group_members, groups, users};

type P = Pred<groups::table>;

pub(crate) fn predicate(c: &Condition<GroupAttr>) -> Result<P, StoreError> {
    Ok(match c {
        Condition::Compare(cmp) => compare(cmp)?,
        Condition::Present(a) => present(*a),
        Condition::Not(inner) => Box::new(diesel::dsl::not(predicate(inner)?)),
        Condition::And(parts) | Condition::Or(parts) => {
            let and = matches!(c, Condition::And(_));
            let mut it = parts.iter();
            let Some(first) = it.next() else {
                return Ok(if and {
                    always()
                } else {
                    Box::new(diesel::dsl::not(always::<groups::table>()))
                });
            };
            let mut acc = predicate(first)?;
            for p in it {
                let next = predicate(p)?;
                acc = if and {
                    Box::new(acc.and(next))
                } else {
                    Box::new(acc.or(next))
                };
            }
            acc
        }
    })
}

fn wrong(attr: GroupAttr) -> StoreError {
    StoreError::Corrupt(format!("query value of the wrong type for {attr:?}"))
}

fn text(c: &Comparison<GroupAttr>) -> Result<String, StoreError> {
    match &c.value {
        Value::Text(t) => Ok(t.clone()),
        _ => Err(wrong(c.attr)),
    }
}

fn compare(c: &Comparison<GroupAttr>) -> Result<P, StoreError> {
    let op = c.op;
    Ok(match c.attr {
        GroupAttr::Uuid => like_cmp!(groups::uuid, op, text(c)?),
        GroupAttr::DisplayName if c.case_exact => exact_cmp!(groups::display_name, op, text(c)?),
        GroupAttr::DisplayName => like_cmp!(groups::display_key, op, text(c)?.to_lowercase()),
        GroupAttr::ExternalId if c.case_exact => {
            nullable_cmp!(exact_cmp, groups::external_id, op, text(c)?)
        }
        GroupAttr::ExternalId => nullable_cmp!(lower_cmp, groups::external_id, op, text(c)?),
        GroupAttr::CreatedAt | GroupAttr::UpdatedAt => {
            let Value::Time(t) = c.value else {
                return Err(wrong(c.attr));
            };
            let ms = millis(t);
            if c.attr == GroupAttr::CreatedAt {
                ordered!(groups::created_at, op, ms)
            } else {
                ordered!(groups::updated_at, op, ms)
            }
        }
        GroupAttr::Member => {
            let with = group_members::table
                .inner_join(users::table)
                .filter(users::uuid.eq(text(c)?))
                .filter(crate::rows::users::visible())
                .select(group_members::group_id);
            let p: P = Box::new(groups::id.eq_any(with));
            if op == CompareOp::Ne {
                Box::new(diesel::dsl::not(p))
            } else {
                p
            }
        }
    })
}

fn present(a: GroupAttr) -> P {
    match a {
        GroupAttr::ExternalId => Box::new(
            groups::external_id
                .is_not_null()
                .and(groups::external_id.assume_not_null().ne("")),
        ),
        GroupAttr::Member => {
            Box::new(groups::id.eq_any(group_members::table.select(group_members::group_id)))
        }
        GroupAttr::Uuid | GroupAttr::DisplayName | GroupAttr::CreatedAt | GroupAttr::UpdatedAt => {
            always()
        }
    }
}

pub(crate) fn filtered<'a>(
    tenant: i64,
    filter: Option<&Condition<GroupAttr>>,
) -> Result<groups::BoxedQuery<'a, Backend>, StoreError> {
    let mut q = groups::table
        .filter(groups::tenant_id.eq(tenant))
        .into_boxed::<Backend>();
    if let Some(f) = filter {
        q = q.filter(predicate(f)?);
    }
    Ok(q)
}

pub(crate) fn sorted<'a>(
    q: groups::BoxedQuery<'a, Backend>,
    sort: Option<&Sort<GroupAttr>>,
) -> groups::BoxedQuery<'a, Backend> {
    let Some(Sort { attr, descending }) = sort else {
        return q.order(groups::id.asc());
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
        GroupAttr::Uuid => by!(groups::uuid),
        GroupAttr::DisplayName => by!(groups::display_key),
        GroupAttr::ExternalId => by!(groups::external_id),
        GroupAttr::CreatedAt => by!(groups::created_at),
        GroupAttr::UpdatedAt => by!(groups::updated_at),
        GroupAttr::Member => q,
    };
    q.then_order_by(groups::id.asc())
}
