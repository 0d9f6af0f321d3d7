//! A parsed, schema-checked filter (and `sortBy`) as the core's query over users or groups:
//! each attribute path becomes the canonical attribute the store indexes, so nothing is ever
//! answered by loading a tenant's resources. A path the core keeps no column for is a 400
//! `invalidFilter` naming it.

use rosetta_core::{
    CompareOp as Op, Comparison, Condition, GroupAttr, Sort, UserAttr, Value as Term,
};

use crate::errors::{ScimError, ScimType};
use crate::filter::{AttrPath, CompareOp, Filter, Value as Literal};
use crate::schema::{ResourceType, GROUP_TYPE, USER_TYPE};

/// What a resource type's paths map to.
pub trait Attrs: Sized + Copy {
    fn resource_type() -> &'static ResourceType;
    /// The canonical attribute of `name[.sub]` (already resolved against the schema).
    fn of(name: &str, sub: Option<&str>) -> Option<Self>;
}

impl Attrs for UserAttr {
    fn resource_type() -> &'static ResourceType {
        &USER_TYPE
    }

    fn of(name: &str, sub: Option<&str>) -> Option<Self> {
        let n = name.to_ascii_lowercase();
        let s = sub.map(str::to_ascii_lowercase);
        Some(match (n.as_str(), s.as_deref()) {
            ("id", None) => Self::Uuid,
            ("username", None) => Self::Username,
            ("externalid", None) => Self::ExternalId,
            ("emails", None | Some("value")) => Self::Email,
            ("displayname", None) | ("name", Some("formatted")) => Self::FullName,
            ("name", Some("givenname")) => Self::FirstName,
            ("name", Some("familyname")) => Self::LastName,
            ("active", None) => Self::Active,
            ("meta", Some("created")) => Self::CreatedAt,
            ("meta", Some("lastmodified")) => Self::UpdatedAt,
            ("roles", None | Some("value")) => Self::RoleNumber,
            ("entitlements", None | Some("value")) => Self::Perm,
            ("phonenumbers", None | Some("value")) => Self::ContactNumber,
            ("groups", None | Some("value")) => Self::Group,
            ("employeenumber", None) => Self::EmployeeId,
            ("costcenter", None) => Self::CostCentreId,
            _ => return None,
        })
    }
}

impl Attrs for GroupAttr {
    fn resource_type() -> &'static ResourceType {
        &GROUP_TYPE
    }

    fn of(name: &str, sub: Option<&str>) -> Option<Self> {
        let n = name.to_ascii_lowercase();
        let s = sub.map(str::to_ascii_lowercase);
        Some(match (n.as_str(), s.as_deref()) {
            ("id", None) => Self::Uuid,
            ("displayname", None) => Self::DisplayName,
            ("externalid", None) => Self::ExternalId,
            ("meta", Some("created")) => Self::CreatedAt,
            ("meta", Some("lastmodified")) => Self::UpdatedAt,
            ("members", None | Some("value")) => Self::Member,
            _ => return None,
        })
    }
}

fn unsupported(path: &str) -> ScimError {
    ScimError::bad(
        ScimType::InvalidFilter,
        format!("Rosetta cannot filter or sort by {path}."),
    )
}

/// The attribute `path` names (inside `within[...]` when given), and whether it is caseExact.
fn attr<A: Attrs>(path: &AttrPath, within: Option<&AttrPath>) -> Result<(A, bool), ScimError> {
    let rt = A::resource_type();
    let (name, sub, full) = match within {
        Some(outer) => (
            outer.name.as_str(),
            Some(path.name.as_str()),
            format!("{}.{}", outer.name, path.name),
        ),
        None => (path.name.as_str(), path.sub.as_deref(), path.to_string()),
    };
    let case_exact = rt
        .resolve_str(&full)
        .or_else(|| rt.resolve(path))
        .is_some_and(|r| r.case_exact());
    A::of(name, sub)
        .map(|a| (a, case_exact))
        .ok_or_else(|| unsupported(&full))
}

fn term(value: &Literal) -> Option<Term> {
    match value {
        Literal::String(s) => Some(Term::Text(s.clone())),
        Literal::Bool(b) => Some(Term::Bool(*b)),
        Literal::Number(n) => n.as_i64().map(Term::Int),
        Literal::Null => None,
    }
}

fn op(op: CompareOp) -> Op {
    match op {
        CompareOp::Eq => Op::Eq,
        CompareOp::Ne => Op::Ne,
        CompareOp::Co => Op::Co,
        CompareOp::Sw => Op::Sw,
        CompareOp::Ew => Op::Ew,
        CompareOp::Gt => Op::Gt,
        CompareOp::Ge => Op::Ge,
        CompareOp::Lt => Op::Lt,
        CompareOp::Le => Op::Le,
    }
}

/// `emails[type eq "work"]`: every kept email and phone number is of type `work`, so such a
/// term asks only that there is one.
fn type_term(path: &AttrPath, op_: CompareOp, value: &Literal) -> Option<bool> {
    if !path.name.eq_ignore_ascii_case("type") {
        return None;
    }
    let work = matches!(value, Literal::String(s) if s.eq_ignore_ascii_case("work"));
    match op_ {
        CompareOp::Eq => Some(work),
        CompareOp::Ne => Some(!work),
        _ => None,
    }
}

fn condition<A: Attrs>(f: &Filter, within: Option<&AttrPath>) -> Result<Condition<A>, ScimError> {
    Ok(match f {
        Filter::Present(path) => Condition::Present(attr::<A>(path, within)?.0),
        Filter::Compare {
            attr: path,
            op: o,
            value,
        } => {
            if let (Some(outer), Some(is_work)) = (within, type_term(path, *o, value)) {
                let (a, _) = attr::<A>(&AttrPath::simple(outer.name.clone()), None)?;
                return Ok(if is_work {
                    Condition::Present(a)
                } else {
                    Condition::Or(Vec::new())
                });
            }
            let (a, case_exact) = attr::<A>(path, within)?;
            match (term(value), o) {
                (Some(value), _) => Condition::Compare(Comparison {
                    attr: a,
                    op: op(*o),
                    value,
                    case_exact,
                }),
                // `eq null` is "has no value", `ne null` "has one" (RFC 7644 3.4.2.2 treats
                // null as unassigned).
                (None, CompareOp::Eq) => Condition::Not(Box::new(Condition::Present(a))),
                (None, CompareOp::Ne) => Condition::Present(a),
                (None, _) => {
                    return Err(ScimError::bad(
                        ScimType::InvalidFilter,
                        "null can only be compared with eq or ne.",
                    ))
                }
            }
        }
        Filter::ValuePath {
            attr: outer,
            filter,
        } => condition::<A>(filter, Some(outer))?,
        Filter::Not(inner) => Condition::Not(Box::new(condition::<A>(inner, within)?)),
        Filter::And(all) => Condition::And(
            all.iter()
                .map(|f| condition::<A>(f, within))
                .collect::<Result<_, _>>()?,
        ),
        Filter::Or(any) => Condition::Or(
            any.iter()
                .map(|f| condition::<A>(f, within))
                .collect::<Result<_, _>>()?,
        ),
    })
}

/// The core condition of a (schema-checked) filter.
pub fn filter<A: Attrs>(f: &Filter) -> Result<Condition<A>, ScimError> {
    condition::<A>(f, None)
}

/// `sortBy` (a path, text) and `sortOrder` (`ascending`, the default, or `descending`).
pub fn sort<A: Attrs>(by: Option<&str>, order: Option<&str>) -> Result<Option<Sort<A>>, ScimError> {
    let Some(by) = by.map(str::trim).filter(|b| !b.is_empty()) else {
        return Ok(None);
    };
    let descending = match order.map(str::trim) {
        None | Some("") => false,
        Some(o) if o.eq_ignore_ascii_case("ascending") => false,
        Some(o) if o.eq_ignore_ascii_case("descending") => true,
        Some(_) => {
            return Err(ScimError::invalid_value(
                "sortOrder must be ascending or descending.",
            ))
        }
    };
    let path = crate::schema::split_path(by).ok_or_else(|| unsupported(by))?;
    let (attr, _) = attr::<A>(&path, None)?;
    Ok(Some(Sort { attr, descending }))
}
