//! The handlers. Each one finds the answer format first (so even a refused call is answered
//! in the format the client reads), authenticates, and only then reads the body for real.

use actix_web::http::StatusCode;
use actix_web::web::{self, Payload};
use actix_web::{HttpRequest, HttpResponse};
use rosetta_core::{
    Actor, CreateUserRequest, Cursor, Directory, Onboarding, Principal, Status, TenantId,
    UserFilter, UserId, UserKey,
};
use rosetta_dialect::{label_credential, media_type, read_body, BodyError, Limits};

use crate::body::{self, BodyFormat};
use crate::convert;
use crate::errors::V2Error;
use crate::pages::{self, Boundary, PageKey};
use crate::wire::{SearchInput, UserResponse, UserSearchResponse};
use crate::xml;

const DEFAULT_PAGE_SIZE: u32 = 100;
const MAX_PAGE_SIZE: u32 = 250;
/// How many deletions `IncludeDeletedUserAudits` lists (newest first).
const DELETED_AUDITS_MAX: u32 = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

/// Which envelope a path answers with, errors included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    User,
    Search,
}

/// Query parameters, looked up by name in any letter case; the first occurrence counts.
pub struct Params(Vec<(String, String)>);

impl Params {
    fn of(req: &HttpRequest) -> Result<Self, V2Error> {
        web::Query::<Vec<(String, String)>>::from_query(req.query_string())
            .map(|q| Self(q.into_inner()))
            .map_err(|_| {
                V2Error::bad_request("InvalidQueryString", "the query string is malformed")
            })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A parameter with text in it; blank counts as absent.
    fn value(&self, name: &str) -> Option<String> {
        self.get(name)
            .filter(|v| !v.trim().is_empty())
            .map(str::to_owned)
    }
}

/// The answer format. Without a usable `format` parameter the call is refused, in JSON if the
/// client's Accept names JSON, else in XML (the dialect's default body format).
fn answer_format(req: &HttpRequest, params: Option<&Params>) -> Result<Format, (Format, V2Error)> {
    let fallback = {
        let accept = req
            .headers()
            .get(actix_web::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if accept.contains("json") {
            Format::Json
        } else {
            Format::Xml
        }
    };
    let Some(params) = params else {
        return Err((
            fallback,
            V2Error::bad_request("InvalidQueryString", "the query string is malformed"),
        ));
    };
    match params.get("format").map(|f| f.trim().to_ascii_lowercase()) {
        Some(f) if f == "json" => Ok(Format::Json),
        Some(f) if f == "xml" => Ok(Format::Xml),
        _ => Err((
            fallback,
            V2Error::field("format", "InvalidValue", "format must be json or xml"),
        )),
    }
}

fn reply_user(format: Format, status: StatusCode, r: &UserResponse) -> HttpResponse {
    match format {
        Format::Json => match serde_json::to_vec(r) {
            Ok(b) => json(status, b),
            Err(e) => serialization_failed(format, &e),
        },
        Format::Xml => match xml::user_response(r) {
            Ok(b) => xml_body(status, b),
            Err(e) => serialization_failed(format, &e),
        },
    }
}

fn reply_search(format: Format, status: StatusCode, r: &UserSearchResponse) -> HttpResponse {
    match format {
        Format::Json => match serde_json::to_vec(r) {
            Ok(b) => json(status, b),
            Err(e) => serialization_failed(format, &e),
        },
        Format::Xml => match xml::search_response(r) {
            Ok(b) => xml_body(status, b),
            Err(e) => serialization_failed(format, &e),
        },
    }
}

fn json(status: StatusCode, body: Vec<u8>) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("application/json; charset=utf-8")
        .body(body)
}

fn xml_body(status: StatusCode, body: Vec<u8>) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("application/xml; charset=utf-8")
        .body(body)
}

/// Writing into memory does not fail; if it ever did, the client still gets an envelope.
fn serialization_failed(format: Format, e: &dyn std::fmt::Display) -> HttpResponse {
    tracing::error!(error = %e, "v2: could not write a response");
    let status = StatusCode::INTERNAL_SERVER_ERROR;
    match format {
        Format::Json => json(
            status,
            br#"{"ResponseStatus":{"ErrorCode":"InternalServerError","Message":"an internal error occurred","Errors":[]}}"#.to_vec(),
        ),
        Format::Xml => xml_body(
            status,
            b"<?xml version=\"1.0\" encoding=\"utf-8\"?><UserResponse xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"http://schemas.servicestack.net/types\"><ResponseStatus><ErrorCode>InternalServerError</ErrorCode><Errors/><Message>an internal error occurred</Message></ResponseStatus><User i:nil=\"true\"/></UserResponse>".to_vec(),
        ),
    }
}

pub fn error_reply(format: Format, shape: Shape, e: &V2Error) -> HttpResponse {
    let status = Some(e.response_status());
    match shape {
        Shape::User => reply_user(
            format,
            e.status,
            &UserResponse {
                user: None,
                response_status: status,
            },
        ),
        Shape::Search => reply_search(
            format,
            e.status,
            &UserSearchResponse {
                users: None,
                total_rows: 0,
                page_no: 0,
                page_size: 0,
                response_status: status,
                deleted_users: None,
            },
        ),
    }
}

/// The start of every call: parameters and answer format.
fn begin(req: &HttpRequest) -> Result<(Params, Format), (Format, V2Error)> {
    match Params::of(req) {
        Ok(params) => {
            let format = answer_format(req, Some(&params))?;
            Ok((params, format))
        }
        Err(e) => {
            let format = match answer_format(req, None) {
                Ok(f) | Err((f, _)) => f,
            };
            Err((format, e))
        }
    }
}

/// `CompanyId` and `IntegrationKey` from the query string, or from the body when the query
/// string has none. Both must name the same company; anything else is 401.
async fn authenticate(
    req: &HttpRequest,
    dir: &Directory,
    params: &Params,
    body: Option<(&[u8], BodyFormat)>,
) -> Result<Actor, V2Error> {
    let from_body = |name: &str| body.and_then(|(b, f)| body::member_in_body(b, f, name));
    let company = params
        .value("CompanyId")
        .or_else(|| from_body("CompanyId"))
        .ok_or_else(V2Error::unauthorized)?;
    let key = params
        .value("IntegrationKey")
        .or_else(|| from_body("IntegrationKey"))
        .ok_or_else(V2Error::unauthorized)?;
    let tenant = company
        .trim()
        .parse::<i64>()
        .map(TenantId)
        .map_err(|_| V2Error::unauthorized())?;
    dir.authenticate_integration_key(tenant, &key)
        .await
        .map_err(|e| match e {
            rosetta_core::CoreError::Unauthorized => V2Error::unauthorized(),
            other => V2Error::from(other),
        })?;
    label_credential(req, format!("company:{}", tenant.0));
    Ok(Actor::machine(tenant, "v2", Principal::IntegrationKey))
}

async fn body_of(
    req: &HttpRequest,
    payload: Payload,
    limits: &Limits,
) -> Result<(web::Bytes, BodyFormat), V2Error> {
    let format = body::body_format(&media_type(req))?;
    let bytes = read_body(req, payload, limits.body_bytes)
        .await
        .map_err(|e| match e {
            BodyError::TooLarge => V2Error::too_large(),
            BodyError::Broken => V2Error::bad_request(
                "SerializationException",
                "the request body could not be read",
            ),
        })?;
    Ok((bytes, format))
}

// ----- GET /api/v2/user ---------------------------------------------------------------------

pub async fn get_user(req: HttpRequest, dir: web::Data<Directory>) -> HttpResponse {
    let (params, format) = match begin(&req) {
        Ok(v) => v,
        Err((f, e)) => return error_reply(f, Shape::User, &e),
    };
    match get_user_inner(&req, &dir, &params).await {
        Ok(r) => reply_user(format, StatusCode::OK, &r),
        Err(e) => error_reply(format, Shape::User, &e),
    }
}

fn lookup_key(params: &Params) -> Result<UserKey, V2Error> {
    if let Some(id) = params.value("Id") {
        return Ok(UserKey::Uuid(body::parse_guid("Id", &id)?));
    }
    if let Some(email) = params.value("Email") {
        return Ok(UserKey::Email(email.trim().to_owned()));
    }
    if let Some(x) = params.value("ExternalId") {
        return Ok(UserKey::ExternalId(x));
    }
    Err(V2Error::field(
        "Id",
        "NotEmpty",
        "Id, Email or ExternalId is required",
    ))
}

async fn get_user_inner(
    req: &HttpRequest,
    dir: &Directory,
    params: &Params,
) -> Result<UserResponse, V2Error> {
    let actor = authenticate(req, dir, params, None).await?;
    let key = lookup_key(params)?;
    let user = dir.get_user(&actor, key).await?;
    Ok(UserResponse {
        user: Some(convert::user_to_wire(user)),
        response_status: None,
    })
}

// ----- DELETE /api/v2/user ------------------------------------------------------------------

pub async fn delete_user(req: HttpRequest, dir: web::Data<Directory>) -> HttpResponse {
    let (params, format) = match begin(&req) {
        Ok(v) => v,
        Err((f, e)) => return error_reply(f, Shape::User, &e),
    };
    match delete_user_inner(&req, &dir, &params).await {
        Ok(r) => reply_user(format, StatusCode::OK, &r),
        Err(e) => error_reply(format, Shape::User, &e),
    }
}

/// Answers the user as it was just before it was deleted.
async fn delete_user_inner(
    req: &HttpRequest,
    dir: &Directory,
    params: &Params,
) -> Result<UserResponse, V2Error> {
    let actor = authenticate(req, dir, params, None).await?;
    let id = params
        .value("Id")
        .ok_or_else(|| V2Error::field("Id", "NotEmpty", "Id is required"))?;
    let uuid = body::parse_guid("Id", &id)?;
    let user = dir.get_user(&actor, UserKey::Uuid(uuid)).await?;
    dir.delete_user(&actor, user.id).await?;
    Ok(UserResponse {
        user: Some(convert::user_to_wire(user)),
        response_status: None,
    })
}

// ----- POST /api/v2/user --------------------------------------------------------------------

pub async fn create_user(
    req: HttpRequest,
    payload: Payload,
    dir: web::Data<Directory>,
    limits: web::Data<Limits>,
) -> HttpResponse {
    let (params, format) = match begin(&req) {
        Ok(v) => v,
        Err((f, e)) => return error_reply(f, Shape::User, &e),
    };
    match create_user_inner(&req, payload, &dir, &limits, &params).await {
        Ok(r) => reply_user(format, StatusCode::OK, &r),
        Err(e) => error_reply(format, Shape::User, &e),
    }
}

async fn create_user_inner(
    req: &HttpRequest,
    payload: Payload,
    dir: &Directory,
    limits: &Limits,
    params: &Params,
) -> Result<UserResponse, V2Error> {
    let (bytes, body_format) = body_of(req, payload, limits).await?;
    let actor = authenticate(req, dir, params, Some((&bytes, body_format))).await?;
    let members = body::parse(&bytes, body_format)?;
    let input = body::user_input(members)?;
    let (new, flags) = convert::new_user(input, actor.tenant)?;
    let send = !flags.do_not_email;
    let onboarding = if flags.reset_password {
        Onboarding::Reset { email: send }
    } else {
        match new.status {
            Status::Active if send => Onboarding::Welcome,
            Status::Active | Status::Inactive => Onboarding::Plain,
            Status::Pending => Onboarding::Activation { email: send },
        }
    };
    let request = CreateUserRequest {
        user: new,
        onboarding,
    };
    let user = dir.create_user(&actor, request).await?;
    Ok(UserResponse {
        user: Some(convert::user_to_wire(user)),
        response_status: None,
    })
}

// ----- GET or POST /api/v2/user/search ------------------------------------------------------

pub async fn search_get(req: HttpRequest, dir: web::Data<Directory>) -> HttpResponse {
    let (params, format) = match begin(&req) {
        Ok(v) => v,
        Err((f, e)) => return error_reply(f, Shape::Search, &e),
    };
    let result = async {
        let actor = authenticate(&req, &dir, &params, None).await?;
        search(&dir, &actor, search_from_query(&params)).await
    }
    .await;
    match result {
        Ok(r) => reply_search(format, StatusCode::OK, &r),
        Err(e) => error_reply(format, Shape::Search, &e),
    }
}

pub async fn search_post(
    req: HttpRequest,
    payload: Payload,
    dir: web::Data<Directory>,
    limits: web::Data<Limits>,
) -> HttpResponse {
    let (params, format) = match begin(&req) {
        Ok(v) => v,
        Err((f, e)) => return error_reply(f, Shape::Search, &e),
    };
    let result = async {
        let (bytes, body_format) = body_of(&req, payload, &limits).await?;
        let has_body = !bytes.iter().all(u8::is_ascii_whitespace);
        let body = has_body.then_some((bytes.as_ref(), body_format));
        let actor = authenticate(&req, &dir, &params, body).await?;
        let mut input = search_from_query(&params);
        if has_body {
            let from_body = body::search_input(body::parse(&bytes, body_format)?)?;
            input = merge(input, from_body);
        }
        search(&dir, &actor, input).await
    }
    .await;
    match result {
        Ok(r) => reply_search(format, StatusCode::OK, &r),
        Err(e) => error_reply(format, Shape::Search, &e),
    }
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
        company_id: blank(company_id).or(query.company_id),
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
        Some(v) => body::parse_bool(&v).ok_or_else(|| {
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
async fn remembered(dir: &Directory, actor: &Actor, key: &PageKey) -> Option<UserId> {
    let b = pages::lookup(key)?;
    match dir.get_user(actor, UserKey::Id(b.after)).await {
        Ok(u) if u.uuid == b.uuid => Some(b.after),
        _ => None,
    }
}

async fn search(
    dir: &web::Data<Directory>,
    actor: &Actor,
    input: SearchInput,
) -> Result<UserSearchResponse, V2Error> {
    let SearchPlan {
        filter,
        page_no,
        page_size,
        include_deleted,
    } = plan(input, actor.tenant)?;
    let directory_id = std::ptr::from_ref::<Directory>(dir.get_ref()) as usize;
    let key = PageKey::new(directory_id, actor.tenant, &filter, page_size, page_no);
    // Without a remembered boundary a deep page is read by OFFSET, one row early: that row is
    // the boundary of the page itself, remembered so the next request for the same page (a
    // client re-reading, or paging on from here) seeks instead of counting rows off again.
    // Requests for the same page meanwhile wait for that one (`pages::finding`) and then seek.
    let mut lead = false;
    let mut _finding = None;
    let cursor = if page_no == 0 {
        Cursor::Start
    } else if let Some(after) = remembered(dir, actor, &key).await {
        Cursor::After(after)
    } else {
        _finding = pages::finding(&key).await;
        match remembered(dir, actor, &key).await {
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
        pages::remember(
            key.clone(),
            Boundary {
                after: before.id,
                uuid: before.uuid,
            },
        );
    }
    if page.users.len() == page_size as usize {
        if let Some(last) = page.users.last() {
            pages::remember(
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
    Ok(UserSearchResponse {
        users: Some(page.users.into_iter().map(convert::user_to_wire).collect()),
        total_rows: page.total,
        page_no,
        page_size,
        response_status: None,
        deleted_users,
    })
}

// ----- anything else on these paths ---------------------------------------------------------

pub async fn user_other_method(req: HttpRequest) -> HttpResponse {
    other_method(&req, Shape::User)
}

pub async fn search_other_method(req: HttpRequest) -> HttpResponse {
    other_method(&req, Shape::Search)
}

fn other_method(req: &HttpRequest, shape: Shape) -> HttpResponse {
    let format = match begin(req) {
        Ok((_, f)) => f,
        Err((f, _)) => f,
    };
    error_reply(format, shape, &V2Error::method_not_allowed())
}
