//! `GET /Users` and `POST /Users/.search`: a query (RFC 7644 section 3.4.2) answered as a
//! ListResponse. Paging is `startIndex` (1-based, default 1) and `count` (default 100, at most
//! 1000, `0`: only `totalResults`), in a stable order (creation order).
//!
//! Until the core's query of every attribute lands (issue 14, branch scim-core), a filter is
//! answered only when it is an equality the store answers from an index: `userName`,
//! `externalId`, `id`, `emails.value` (`emails[value eq ...]` too) `eq` a string, what the
//! identity providers send to find a user. Any other valid filter is a 400 `invalidFilter`
//! that says so; never an answer computed by loading the tenant's users.

use actix_web::web::{Data, Payload};
use actix_web::HttpRequest;
use rosetta_core::{Actor, CoreError, Cursor, Directory, User, UserFilter, UserKey};
use rosetta_dialect::Limits;
use serde_json::Value;
use uuid::Uuid;

use crate::auth::ScimCaller;
use crate::check_filter;
use crate::errors::{ScimError, ScimType};
use crate::filter::{parse_filter, CompareOp, Filter, Value as Literal};
use crate::http::{read_object, ScimReply};
use crate::project::Projection;
use crate::query::Params;
use crate::schema::{urn, USER_TYPE};
use crate::users::{context, user_json};
use crate::wire::{ListResponse, SearchRequest, SEARCH_MEMBERS};

/// The most a page holds (`filter.maxResults` of the ServiceProviderConfig).
pub const MAX_COUNT: u64 = crate::discovery::MAX_RESULTS;
const DEFAULT_COUNT: u64 = 100;

/// A parsed query.
pub struct ListQuery {
    pub filter: Option<Filter>,
    /// 1-based.
    pub start: u64,
    pub count: u64,
}

/// `startIndex` / `count` as numbers (text in a query string, numbers in a SearchRequest).
fn number(name: &str, value: Option<&Value>) -> Result<Option<i64>, ScimError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| ScimError::invalid_value(format!("{name} must be an integer."))),
        Some(Value::String(s)) => s
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| ScimError::invalid_value(format!("{name} must be an integer."))),
        Some(_) => Err(ScimError::invalid_value(format!(
            "{name} must be an integer."
        ))),
    }
}

impl ListQuery {
    fn new(
        filter: Option<&str>,
        start: Option<&Value>,
        count: Option<&Value>,
    ) -> Result<Self, ScimError> {
        let filter = match filter.map(str::trim).filter(|f| !f.is_empty()) {
            None => None,
            Some(text) => {
                let parsed = parse_filter(text)?;
                check_filter(&USER_TYPE, &parsed)?;
                Some(parsed)
            }
        };
        // RFC 7644 section 3.4.2.4: a startIndex below 1 is 1, a negative count is 0.
        let start = number("startIndex", start)?.unwrap_or(1).max(1);
        let count = number("count", count)?
            .unwrap_or(DEFAULT_COUNT as i64)
            .max(0);
        Ok(Self {
            filter,
            start: u64::try_from(start).unwrap_or(1),
            count: u64::try_from(count).unwrap_or(0).min(MAX_COUNT),
        })
    }
}

/// What a filter asks of the store.
enum Lookup {
    /// Every user.
    All,
    /// The user with this unique key, if any.
    Key(UserKey),
    /// No user can match (an `id` that is no UUID).
    Nothing,
}

fn text(value: &Literal) -> Option<&str> {
    match value {
        Literal::String(s) => Some(s),
        _ => None,
    }
}

fn lookup(filter: Option<&Filter>) -> Result<Lookup, ScimError> {
    let Some(filter) = filter else {
        return Ok(Lookup::All);
    };
    let core_urn = |attr: &crate::filter::AttrPath| {
        attr.urn
            .as_deref()
            .is_none_or(|u| u.eq_ignore_ascii_case(urn::USER))
    };
    let key = match filter {
        Filter::Compare {
            attr,
            op: CompareOp::Eq,
            value,
        } if core_urn(attr) => text(value).and_then(|v| {
            if attr.is("userName") {
                Some(Lookup::Key(UserKey::Username(v.to_owned())))
            } else if attr.is("externalId") {
                Some(Lookup::Key(UserKey::ExternalId(v.to_owned())))
            } else if attr.is("emails.value") || attr.is("emails") {
                Some(Lookup::Key(UserKey::Email(v.to_owned())))
            } else if attr.is("id") {
                Some(Uuid::parse_str(v).map_or(Lookup::Nothing, |u| Lookup::Key(UserKey::Uuid(u))))
            } else {
                None
            }
        }),
        Filter::ValuePath { attr, filter } if core_urn(attr) && attr.is("emails") => {
            match filter.as_ref() {
                Filter::Compare {
                    attr: inner,
                    op: CompareOp::Eq,
                    value,
                } if inner.is("value") => {
                    text(value).map(|v| Lookup::Key(UserKey::Email(v.to_owned())))
                }
                _ => None,
            }
        }
        _ => None,
    };
    key.ok_or_else(|| {
        ScimError::bad(
            ScimType::InvalidFilter,
            "Rosetta answers only equality filters on userName, externalId, id and emails.value \
             for now.",
        )
    })
}

/// The page of users the query names, and how many match in all.
async fn page(
    dir: &Directory,
    actor: &Actor,
    q: &ListQuery,
) -> Result<(Vec<User>, u64), ScimError> {
    match lookup(q.filter.as_ref())? {
        Lookup::Nothing => Ok((Vec::new(), 0)),
        Lookup::Key(key) => match dir.get_user(actor, key).await {
            Ok(user) => {
                let shown = if q.start == 1 && q.count > 0 {
                    vec![user]
                } else {
                    Vec::new()
                };
                Ok((shown, 1))
            }
            Err(CoreError::NotFound) => Ok((Vec::new(), 0)),
            Err(e) => Err(e.into()),
        },
        Lookup::All => {
            // count=0 still asks for one row: the store's page carries the total.
            let limit = u32::try_from(q.count.max(1)).unwrap_or(1);
            let page = dir
                .list_users(
                    actor,
                    &UserFilter::all(),
                    Cursor::Offset(q.start - 1),
                    limit,
                )
                .await?;
            let users = if q.count == 0 { Vec::new() } else { page.users };
            Ok((users, page.total))
        }
    }
}

/// The ListResponse of a query over users.
async fn answer(
    req: &HttpRequest,
    pattern: &str,
    dir: &Directory,
    actor: &Actor,
    q: ListQuery,
    projection: Projection,
) -> Result<ScimReply, ScimError> {
    let (users, total) = page(dir, actor, &q).await?;
    let cx = context(req, pattern, dir, actor).await?;
    let resources = users
        .iter()
        .map(|u| user_json(u, &cx).map(|v| projection.apply(&v)))
        .collect::<Result<Vec<_>, _>>()?;
    let list = ListResponse {
        schemas: [urn::LIST_RESPONSE],
        total_results: total,
        items_per_page: resources.len() as u64,
        start_index: q.start,
        resources,
    };
    serde_json::to_value(list)
        .map(ScimReply::ok)
        .map_err(|_| ScimError::internal())
}

pub async fn list_users(
    ScimCaller(actor): ScimCaller,
    req: HttpRequest,
    dir: Data<Directory>,
) -> Result<ScimReply, ScimError> {
    let params = Params::of(&req)?;
    let as_value = |name: &str| params.get(name).map(|v| Value::String(v.to_owned()));
    let q = ListQuery::new(
        params.get("filter"),
        as_value("startIndex").as_ref(),
        as_value("count").as_ref(),
    )?;
    let projection = params.projection(&USER_TYPE)?;
    answer(&req, "/Users", &dir, &actor, q, projection).await
}

/// A SearchRequest's `attributes` or `excludedAttributes`: a list of names (or one string of
/// comma-separated names, as some clients send).
fn names(name: &str, value: Option<Value>) -> Result<Vec<String>, ScimError> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(s.split(',').map(|n| n.trim().to_owned()).collect()),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|i| match i {
                Value::String(s) => Ok(s),
                _ => Err(ScimError::invalid_value(format!(
                    "{name} must be a list of attribute names."
                ))),
            })
            .collect(),
        Some(_) => Err(ScimError::invalid_value(format!(
            "{name} must be a list of attribute names."
        ))),
    }
}

pub async fn search_users(
    ScimCaller(actor): ScimCaller,
    req: HttpRequest,
    payload: Payload,
    dir: Data<Directory>,
    limits: Data<Limits>,
) -> Result<ScimReply, ScimError> {
    let body = crate::convert::canonical_object(
        read_object(&req, payload, &limits).await?,
        SEARCH_MEMBERS,
    );
    let SearchRequest {
        schemas: _,
        attributes,
        excluded_attributes,
        filter,
        sort_by: _,
        sort_order: _,
        start_index,
        count,
    } = serde_json::from_value(Value::Object(body))
        .map_err(|_| ScimError::invalid_syntax("The request body is not a SearchRequest."))?;
    let filter = match filter {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => {
            return Err(ScimError::bad(
                ScimType::InvalidFilter,
                "filter must be a string.",
            ))
        }
    };
    let q = ListQuery::new(filter.as_deref(), start_index.as_ref(), count.as_ref())?;
    let projection = Projection::from_lists(
        &USER_TYPE,
        &names("attributes", attributes)?,
        &names("excludedAttributes", excluded_attributes)?,
    )?;
    answer(&req, "/Users/.search", &dir, &actor, q, projection).await
}
