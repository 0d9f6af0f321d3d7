//! `/api/v2/user/search` (GET, or POST with the same members in a body): a page of the
//! company's users by Name, Email or ExternalId, and optionally its recent deletions.

use actix_web::web::Data;
use rosetta_core::{Actor, Cursor, Directory, TenantId, UserFilter, UserId, UserKey};

use crate::auth::{V2Caller, V2Post};
use crate::body;
use crate::boolean::parse_bool;
use crate::convert;
use crate::errors::V2Error;
use crate::format::Params;
use crate::inputs::search_input;
use crate::pages::{Boundary, PageKey, Pages};
use crate::reply::Reply;
use crate::wire::{SearchInput, UserSearchResponse};

const DEFAULT_PAGE_SIZE: u32 = 100;
const MAX_PAGE_SIZE: u32 = 250;
/// How many deletions `IncludeDeletedUserAudits` lists (newest first).
const DELETED_AUDITS_MAX: u32 = 1000;

pub async fn search_get(
    V2Caller { actor, params }: V2Caller,
    dir: Data<Directory>,
    pages: Data<Pages>,
) -> Result<Reply<UserSearchResponse>, V2Error> {
    search(&dir, &pages, &actor, search_from_query(&params)).await
}

pub async fn search_post(
    post: V2Post,
    dir: Data<Directory>,
    pages: Data<Pages>,
) -> Result<Reply<UserSearchResponse>, V2Error> {
    let mut input = search_from_query(&post.caller.params);
    if post.has_body() {
        let from_body = search_input(body::parse(&post.body, post.format)?)?;
        input = merge(input, from_body);
    }
    search(&dir, &pages, &post.caller.actor, input).await
}

fn search_from_query(p: &Params) -> SearchInput {
    SearchInput {
        name: p.value("Name"),
        email: p.value("Email"),
        external_id: p.value("ExternalId"),
        status: p.value("Status"),
        page_no: p.value("PageNo"),
        page_size: p.value("PageSize"),
        include_deleted_user_audits: p.value("IncludeDeletedUserAudits"),
        company_id: p.value("CompanyId"),
        integration_key: p.value("IntegrationKey"),
    }
}

/// A member in the body wins over the same parameter in the query string.
fn merge(query: SearchInput, body: SearchInput) -> SearchInput {
    let SearchInput {
        name,
        email,
        external_id,
        status,
        page_no,
        page_size,
        include_deleted_user_audits,
        company_id,
        integration_key,
    } = body;
    let blank = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    SearchInput {
        name: blank(name).or(query.name),
        email: blank(email).or(query.email),
        external_id: blank(external_id).or(query.external_id),
        status: blank(status).or(query.status),
        page_no: blank(page_no).or(query.page_no),
        page_size: blank(page_size).or(query.page_size),
        include_deleted_user_audits: blank(include_deleted_user_audits)
            .or(query.include_deleted_user_audits),
        // The query's CompanyId is the one that counts (v2.md): a body's 0 from a .NET client
        // that never set it must not turn a good key into a 401.
        company_id: query.company_id.or(blank(company_id)),
        integration_key: blank(integration_key).or(query.integration_key),
    }
}

struct SearchPlan {
    filter: UserFilter,
    page_no: u64,
    page_size: u32,
    include_deleted: bool,
}

fn plan(input: SearchInput, tenant: TenantId) -> Result<SearchPlan, V2Error> {
    let SearchInput {
        name,
        email,
        external_id,
        status,
        page_no,
        page_size,
        include_deleted_user_audits,
        company_id,
        integration_key: _,
    } = input;
    if let Some(c) = company_id {
        if c.trim().parse::<i64>().ok() != Some(tenant.0) {
            return Err(V2Error::unauthorized());
        }
    }
    if name.is_none() && email.is_none() && external_id.is_none() {
        return Err(V2Error::fields(
            ["Name", "Email", "ExternalId"]
                .iter()
                .map(|f| {
                    (
                        (*f).to_owned(),
                        "NotEmpty".to_owned(),
                        "at least one of Name, Email or ExternalId is required".to_owned(),
                    )
                })
                .collect(),
        ));
    }
    let statuses = match status {
        None => Vec::new(),
        Some(s) => s
            .split(',')
            .filter(|p| !p.trim().is_empty())
            .map(convert::parse_status)
            .collect::<Result<Vec<_>, _>>()?,
    };
    let page_no = match page_no {
        None => 0,
        Some(p) => p
            .trim()
            .parse::<u64>()
            .map_err(|_| V2Error::field("PageNo", "InvalidValue", "PageNo must be 0 or more"))?,
    };
    let page_size = match page_size {
        None => DEFAULT_PAGE_SIZE,
        Some(p) => p
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
            .ok_or_else(|| {
                V2Error::field(
                    "PageSize",
                    "InclusiveBetween",
                    format!("PageSize must be between 1 and {MAX_PAGE_SIZE}"),
                )
            })?,
    };
    let offset_fits = page_no
        .checked_mul(u64::from(page_size))
        .is_some_and(|o| i64::try_from(o).is_ok());
    if !offset_fits {
        return Err(V2Error::field(
            "PageNo",
            "InvalidValue",
            "PageNo is too large",
        ));
    }
    let include_deleted = match include_deleted_user_audits {
        None => false,
        Some(v) => parse_bool(&v).ok_or_else(|| {
            V2Error::field(
                "IncludeDeletedUserAudits",
                "InvalidValue",
                "IncludeDeletedUserAudits must be true or false",
            )
        })?,
    };
    Ok(SearchPlan {
        filter: UserFilter {
            statuses,
            default_account_id: None,
            name_contains: name,
            email: email.map(|e| e.trim().to_owned()),
            external_id,
        },
        page_no,
        page_size,
        include_deleted,
    })
}

/// Where a remembered page starts, if its boundary user is still the same one (same uuid);
/// otherwise the page might start somewhere the client never saw.
async fn remembered(
    dir: &Directory,
    pages: &Pages,
    actor: &Actor,
    key: &PageKey,
) -> Option<UserId> {
    let b = pages.lookup(key)?;
    match dir.get_user(actor, UserKey::Id(b.after)).await {
        Ok(u) if u.uuid == b.uuid => Some(b.after),
        _ => None,
    }
}

async fn search(
    dir: &Directory,
    pages: &Pages,
    actor: &Actor,
    input: SearchInput,
) -> Result<Reply<UserSearchResponse>, V2Error> {
    let SearchPlan {
        filter,
        page_no,
        page_size,
        include_deleted,
    } = plan(input, actor.tenant)?;
    let key = PageKey::new(actor.tenant, &filter, page_size, page_no);
    // Without a remembered boundary a deep page is read by OFFSET, one row early: that row is
    // the boundary of the page itself, remembered so the next request for the same page (a
    // client re-reading, or paging on from here) seeks instead of counting rows off again.
    // Requests for the same page meanwhile wait for that one (`Pages::finding`) and then seek.
    let mut lead = false;
    let mut _finding = None;
    let cursor = if page_no == 0 {
        Cursor::Start
    } else if let Some(after) = remembered(dir, pages, actor, &key).await {
        Cursor::After(after)
    } else {
        _finding = pages.finding(&key).await;
        match remembered(dir, pages, actor, &key).await {
            Some(after) => Cursor::After(after),
            None => {
                lead = true;
                Cursor::Offset(page_no.saturating_mul(u64::from(page_size)) - 1)
            }
        }
    };
    let fetch = if lead { page_size + 1 } else { page_size };
    let mut page = dir.list_users(actor, &filter, cursor, fetch).await?;
    if lead && !page.users.is_empty() {
        let before = page.users.remove(0);
        pages.remember(
            key.clone(),
            Boundary {
                after: before.id,
                uuid: before.uuid,
            },
        );
    }
    if page.users.len() == page_size as usize {
        if let Some(last) = page.users.last() {
            pages.remember(
                key.next(),
                Boundary {
                    after: last.id,
                    uuid: last.uuid,
                },
            );
        }
    }
    let deleted_users = if include_deleted {
        let audits = dir.deleted_audits(actor, DELETED_AUDITS_MAX).await?;
        Some(audits.into_iter().map(convert::deleted_to_wire).collect())
    } else {
        None
    };
    Ok(Reply(UserSearchResponse {
        users: Some(page.users.into_iter().map(convert::user_to_wire).collect()),
        total_rows: page.total,
        page_no,
        page_size,
        response_status: None,
        deleted_users,
    }))
}
