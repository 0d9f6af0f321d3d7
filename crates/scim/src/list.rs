//! `GET /Users` and `POST /Users/.search`: a query (RFC 7644 section 3.4.2) answered as a
//! ListResponse. Paging is `startIndex` (1-based, default 1) and `count` (default 100, at most
//! 1000, `0`: only `totalResults`), in a stable order (creation order).
//!
//! The filter, checked against the schema, becomes the core's query (`translate.rs`), answered
//! by the store in one query; never by loading the tenant's users.

use actix_web::web::{Data, Payload};
use actix_web::HttpRequest;
use rosetta_core::{Actor, Directory, GroupAttr, Members, Query, User, UserAttr};
use rosetta_dialect::Limits;
use serde_json::Value;

use crate::auth::ScimCaller;
use crate::check_filter;
use crate::errors::{ScimError, ScimType};
use crate::filter::{parse_filter, Filter};
use crate::groups::group_json;
use crate::http::base_url;
use crate::http::{read_object, ScimReply};
use crate::project::Projection;
use crate::query::Params;
use crate::schema::{urn, ResourceType, GROUP_TYPE, USER_TYPE};
use crate::translate::{self, Attrs};
use crate::users::{context, user_json};
use crate::wire::{ListResponse, SearchRequest, SEARCH_MEMBERS};

/// The most a page holds (`filter.maxResults` of the ServiceProviderConfig).
pub const MAX_COUNT: u64 = crate::discovery::MAX_RESULTS;
const DEFAULT_COUNT: u64 = 100;

/// A parsed query.
pub struct ListQuery {
    pub filter: Option<Filter>,
    pub sort_by: Option<String>,
    pub sort_order: Option<String>,
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

/// The raw members of a query, from the query string or a SearchRequest.
pub struct RawQuery<'a> {
    pub filter: Option<&'a str>,
    pub sort_by: Option<&'a str>,
    pub sort_order: Option<&'a str>,
    pub start: Option<&'a Value>,
    pub count: Option<&'a Value>,
}

impl ListQuery {
    pub fn new(rt: &ResourceType, raw: RawQuery<'_>) -> Result<Self, ScimError> {
        let RawQuery {
            filter,
            sort_by,
            sort_order,
            start,
            count,
        } = raw;
        let filter = match filter.map(str::trim).filter(|f| !f.is_empty()) {
            None => None,
            Some(text) => {
                let parsed = parse_filter(text)?;
                check_filter(rt, &parsed)?;
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
            sort_by: sort_by.map(str::to_owned),
            sort_order: sort_order.map(str::to_owned),
            start: u64::try_from(start).unwrap_or(1),
            count: u64::try_from(count).unwrap_or(0).min(MAX_COUNT),
        })
    }

    /// The core's query over `A`: filter and sort translated, the page as offset and limit.
    pub fn core<A: Attrs>(&self) -> Result<Query<A>, ScimError> {
        Ok(Query {
            filter: self
                .filter
                .as_ref()
                .map(translate::filter::<A>)
                .transpose()?,
            sort: translate::sort::<A>(self.sort_by.as_deref(), self.sort_order.as_deref())?,
            offset: self.start - 1,
            limit: u32::try_from(self.count).unwrap_or(0),
        })
    }
}

/// The page of users the query names, and how many match in all: one store query, the
/// filter's equalities on userName, externalId, id, emails.value answered from indexes.
async fn page(
    dir: &Directory,
    actor: &Actor,
    q: &ListQuery,
) -> Result<(Vec<User>, u64), ScimError> {
    let page = dir.query_users(actor, &q.core::<UserAttr>()?).await?;
    Ok((page.items, page.total))
}

/// A ListResponse of `resources`.
pub fn list_response(
    total: u64,
    start: u64,
    resources: Vec<Value>,
) -> Result<ScimReply, ScimError> {
    let list = ListResponse {
        schemas: [urn::LIST_RESPONSE],
        total_results: total,
        items_per_page: resources.len() as u64,
        start_index: start,
        resources,
    };
    serde_json::to_value(list)
        .map(ScimReply::ok)
        .map_err(|_| ScimError::internal())
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
    let cx = context(req, pattern, dir, actor, &users).await?;
    let resources = users
        .iter()
        .map(|u| user_json(u, &cx).map(|v| projection.apply(&v)))
        .collect::<Result<Vec<_>, _>>()?;
    list_response(total, q.start, resources)
}

pub async fn list_users(
    ScimCaller(actor): ScimCaller,
    req: HttpRequest,
    dir: Data<Directory>,
) -> Result<ScimReply, ScimError> {
    let params = Params::of(&req)?;
    let q = query_of(&params, &USER_TYPE)?;
    let projection = params.projection(&USER_TYPE)?;
    answer(&req, "/Users", &dir, &actor, q, projection).await
}

/// The query of a GET's query string.
pub fn query_of(params: &Params, rt: &ResourceType) -> Result<ListQuery, ScimError> {
    let as_value = |name: &str| params.get(name).map(|v| Value::String(v.to_owned()));
    ListQuery::new(
        rt,
        RawQuery {
            filter: params.get("filter"),
            sort_by: params.get("sortBy"),
            sort_order: params.get("sortOrder"),
            start: as_value("startIndex").as_ref(),
            count: as_value("count").as_ref(),
        },
    )
}

/// A SearchRequest body: its query and projection over `rt`.
pub fn search_of(
    body: serde_json::Map<String, Value>,
    rt: &'static ResourceType,
) -> Result<(ListQuery, Projection), ScimError> {
    let body = crate::convert::canonical_object(body, SEARCH_MEMBERS);
    let SearchRequest {
        schemas: _,
        attributes,
        excluded_attributes,
        filter,
        sort_by,
        sort_order,
        start_index,
        count,
    } = serde_json::from_value(Value::Object(body))
        .map_err(|_| ScimError::invalid_syntax("The request body is not a SearchRequest."))?;
    let text = |name: &str, v: Option<Value>, kind: ScimType| match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ScimError::bad(kind, format!("{name} must be a string."))),
    };
    let filter = text("filter", filter, ScimType::InvalidFilter)?;
    let sort_by = text("sortBy", sort_by, ScimType::InvalidValue)?;
    let sort_order = text("sortOrder", sort_order, ScimType::InvalidValue)?;
    let q = ListQuery::new(
        rt,
        RawQuery {
            filter: filter.as_deref(),
            sort_by: sort_by.as_deref(),
            sort_order: sort_order.as_deref(),
            start: start_index.as_ref(),
            count: count.as_ref(),
        },
    )?;
    let projection = Projection::from_lists(
        rt,
        &names("attributes", attributes)?,
        &names("excludedAttributes", excluded_attributes)?,
    )?;
    Ok((q, projection))
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
    let (q, projection) = search_of(read_object(&req, payload, &limits).await?, &USER_TYPE)?;
    answer(&req, "/Users/.search", &dir, &actor, q, projection).await
}

/// The ListResponse of a query over groups; members are read only when the answer shows them.
async fn group_answer(
    req: &HttpRequest,
    pattern: &str,
    dir: &Directory,
    actor: &Actor,
    q: ListQuery,
    projection: Projection,
) -> Result<ScimReply, ScimError> {
    let members = if projection.wants("members") {
        Members::Include
    } else {
        Members::Exclude
    };
    let page = dir
        .query_groups(actor, &q.core::<GroupAttr>()?, members)
        .await?;
    let base = base_url(req, pattern);
    let resources = page
        .items
        .iter()
        .map(|g| group_json(g, &base).map(|v| projection.apply(&v)))
        .collect::<Result<Vec<_>, _>>()?;
    list_response(page.total, q.start, resources)
}

pub async fn list_groups(
    ScimCaller(actor): ScimCaller,
    req: HttpRequest,
    dir: Data<Directory>,
) -> Result<ScimReply, ScimError> {
    let params = Params::of(&req)?;
    let q = query_of(&params, &GROUP_TYPE)?;
    let projection = params.projection(&GROUP_TYPE)?;
    group_answer(&req, "/Groups", &dir, &actor, q, projection).await
}

pub async fn search_groups(
    ScimCaller(actor): ScimCaller,
    req: HttpRequest,
    payload: Payload,
    dir: Data<Directory>,
    limits: Data<Limits>,
) -> Result<ScimReply, ScimError> {
    let (q, projection) = search_of(read_object(&req, payload, &limits).await?, &GROUP_TYPE)?;
    group_answer(&req, "/Groups/.search", &dir, &actor, q, projection).await
}

/// `POST /.search`: one query over Users and then Groups (RFC 7644 section 3.4.3). The filter
/// is checked against each type; a type it names unknown attributes of contributes nothing, and
/// a filter neither type takes is the Users' `invalidFilter`. Paging runs over Users, then
/// Groups: two store queries at most.
pub async fn search_all(
    ScimCaller(actor): ScimCaller,
    req: HttpRequest,
    payload: Payload,
    dir: Data<Directory>,
    limits: Data<Limits>,
) -> Result<ScimReply, ScimError> {
    let body = read_object(&req, payload, &limits).await?;
    let users = search_of(body.clone(), &USER_TYPE);
    let groups = search_of(body, &GROUP_TYPE);
    let ((uq, up), groups) = match (users, groups) {
        (Ok(u), g) => (u, g.ok()),
        (Err(e), Err(_)) => return Err(e),
        (Err(_), Ok(g)) => {
            return group_answer(&req, "/.search", &dir, &actor, g.0, g.1).await;
        }
    };
    let start = uq.start;
    let count = uq.count;
    let page = dir.query_users(&actor, &uq.core::<UserAttr>()?).await?;
    let cx = context(&req, "/.search", &dir, &actor, &page.items).await?;
    let mut resources = page
        .items
        .iter()
        .map(|u| user_json(u, &cx).map(|v| up.apply(&v)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut total = page.total;
    if let Some((mut gq, gp)) = groups {
        // Groups start where the users end.
        gq.start = (start.saturating_sub(1).saturating_sub(page.total)) + 1;
        gq.count = count.saturating_sub(resources.len() as u64);
        let members = if gp.wants("members") {
            Members::Include
        } else {
            Members::Exclude
        };
        let groups = dir
            .query_groups(&actor, &gq.core::<GroupAttr>()?, members)
            .await?;
        total += groups.total;
        for g in &groups.items {
            resources.push(gp.apply(&group_json(g, &cx.base)?));
        }
    }
    list_response(total, start, resources)
}
