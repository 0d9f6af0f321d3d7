#![allow(clippy::unwrap_used)]

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::http::{Method, StatusCode};
use actix_web::test::{call_service, init_service, read_body, TestRequest};
use actix_web::web::{self, Data, Path};
use actix_web::{App, FromRequest, HttpRequest, HttpResponse, ResponseError};
use futures_util::future::LocalBoxFuture;
use rosetta_core::{Actor, CoreError, Principal, TenantId};

use super::*;
use crate::{render, Admin, Caller, DialectError};

/// Renders itself as `<format>:<message>`, the format taken from the request's `x-format`.
#[derive(Debug)]
struct TestError(&'static str);

impl fmt::Display for TestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl ResponseError for TestError {
    fn status_code(&self) -> StatusCode {
        StatusCode::IM_A_TEAPOT
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code()).body(format!("default:{}", self.0))
    }
}

impl From<CoreError> for TestError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::Forbidden(_) => TestError("not an administrator"),
            _ => TestError("core error"),
        }
    }
}

impl From<crate::miss::Miss> for TestError {
    fn from(miss: crate::miss::Miss) -> Self {
        match miss {
            crate::miss::Miss::MethodNotAllowed { .. } => TestError("method"),
            _ => TestError("unmatched"),
        }
    }
}

impl DialectError for TestError {
    fn render(&self, req: &HttpRequest) -> HttpResponse {
        let format = req
            .headers()
            .get("x-format")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("none");
        HttpResponse::build(self.status_code()).body(format!("{format}:{}", self.0))
    }
}

/// A caller named by the `x-who` header (`admin` or `user`), found only after a yield, as a
/// database lookup would be.
struct Who(Actor);

impl FromRequest for Who {
    type Error = TestError;
    type Future = LocalBoxFuture<'static, Result<Self, TestError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let who = req
            .headers()
            .get("x-who")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Box::pin(async move {
            tokio_yield().await;
            let mut actor = Actor::machine(TenantId(1), "t", Principal::IntegrationKey);
            match who.as_deref() {
                Some("admin") => {}
                Some("user") => actor.admin = false,
                _ => return Err(TestError("anonymous")),
            }
            Ok(Who(actor))
        })
    }
}

impl Caller for Who {
    fn actor(&self) -> &Actor {
        &self.0
    }
}

async fn tokio_yield() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            std::task::Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    })
    .await;
}

static STATES: AtomicUsize = AtomicUsize::new(0);

struct Counter(usize);

fn state() -> AppData {
    AppData::none().with(Data::new(Counter(STATES.fetch_add(1, Ordering::SeqCst))))
}

async fn list(counter: Data<Counter>) -> HttpResponse {
    HttpResponse::Ok().body(format!("list {}", counter.0))
}

async fn named() -> HttpResponse {
    HttpResponse::Ok().body("new")
}

async fn one(_: Who, id: Path<String>) -> Result<HttpResponse, TestError> {
    let id = crate::path::number(&id, crate::path::NumberRule::Digits)
        .ok_or(TestError("no such thing"))?;
    Ok(HttpResponse::Ok().body(format!("one {id}")))
}

async fn change(_: Admin<Who>) -> HttpResponse {
    HttpResponse::Ok().body("changed")
}

async fn other(req: HttpRequest) -> Result<HttpResponse, TestError> {
    Err(if req.method() == Method::PATCH {
        TestError("patch")
    } else {
        TestError("other")
    })
}

const ROUTES: &[Route] = &[
    Route::new(Method::GET, "/things", |r| r.to(list)),
    Route::new(Method::GET, "/things/new", |r| r.to(named)),
    Route::new(Method::GET, "/things/{id}", |r| r.to(one)),
    Route::new(Method::PUT, "/things/{id}", |r| r.to(change)),
];

const OTHER: &[OtherMethods] = &[OtherMethods::new("/things/{id}", |r| r.to(other))];

const TEST: Dialect = Dialect {
    name: "test",
    default_prefix: "/t",
    routes: ROUTES,
    other_methods: OTHER,
    render: render::<TestError>,
    unmatched: crate::miss::answer::<TestError>,
    state,
    openapi: utoipa::openapi::OpenApi::default,
};

/// Status and body text of one request.
macro_rules! ask {
    ($app:expr, $req:expr) => {{
        let res = call_service(&$app, $req.to_request()).await;
        let status = res.status();
        let body = read_body(res).await;
        (status, String::from_utf8(body.to_vec()).unwrap())
    }};
}

#[actix_web::test]
async fn the_table_is_what_is_served() {
    let mounted = TEST.mount();
    let app =
        init_service(App::new().service(web::scope("/t").configure(|cfg| mounted.configure(cfg))))
            .await;
    let (status, body) = ask!(app, TestRequest::get().uri("/t/things"));
    assert_eq!(status, StatusCode::OK);
    assert!(body.starts_with("list "), "{body}");
    // `/things/new` is listed before `/things/{id}`, so it is matched first.
    let (_, body) = ask!(
        app,
        TestRequest::get()
            .uri("/t/things/new")
            .insert_header(("x-who", "user"))
    );
    assert_eq!(body, "new");
    let (_, body) = ask!(
        app,
        TestRequest::get()
            .uri("/t/things/7")
            .insert_header(("x-who", "user"))
    );
    assert_eq!(body, "one 7");
    // A path without other methods answers in the dialect's shape, with `Allow` from the
    // table (actix's own answer is an empty 405).
    let res = call_service(
        &app,
        TestRequest::post()
            .uri("/t/things")
            .insert_header(("x-format", "json"))
            .to_request(),
    )
    .await;
    assert_eq!(res.headers().get("allow").unwrap(), "GET");
    assert_eq!(read_body(res).await, "json:method");
    // One that has them answers with them, rendered like any error of the dialect.
    let (status, body) = ask!(
        app,
        TestRequest::patch()
            .uri("/t/things/7")
            .insert_header(("x-format", "xml"))
    );
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::IM_A_TEAPOT, "xml:patch")
    );
}

#[actix_web::test]
async fn errors_are_rendered_for_the_request_and_in_order() {
    let mounted = TEST.mount();
    let app = init_service(App::new().configure(|cfg| mounted.configure(cfg))).await;
    // Not a number, and no caller: the caller is answered first, although the path could be
    // refused before the caller is found.
    let (_, body) = ask!(
        app,
        TestRequest::get()
            .uri("/things/x")
            .insert_header(("x-format", "json"))
    );
    assert_eq!(body, "json:anonymous");
    let (_, body) = ask!(
        app,
        TestRequest::get()
            .uri("/things/x")
            .insert_header(("x-who", "user"))
    );
    assert_eq!(body, "none:no such thing");
    let (_, body) = ask!(app, TestRequest::put().uri("/things/1"));
    assert_eq!(body, "none:anonymous");
    let (_, body) = ask!(
        app,
        TestRequest::put()
            .uri("/things/1")
            .insert_header(("x-who", "user"))
    );
    assert_eq!(body, "none:not an administrator");
    let (status, body) = ask!(
        app,
        TestRequest::put()
            .uri("/things/1")
            .insert_header(("x-who", "admin"))
    );
    assert_eq!((status, body.as_str()), (StatusCode::OK, "changed"));
}

#[actix_web::test]
async fn each_mount_has_its_own_state_shared_by_its_workers() {
    let (a, b) = (TEST.mount(), TEST.mount());
    let worker_1 = init_service(App::new().configure(|cfg| a.configure(cfg))).await;
    let worker_2 = init_service(App::new().configure(|cfg| a.configure(cfg))).await;
    let other = init_service(App::new().configure(|cfg| b.configure(cfg))).await;
    let (_, one) = ask!(worker_1, TestRequest::get().uri("/things"));
    let (_, two) = ask!(worker_2, TestRequest::get().uri("/things"));
    let (_, three) = ask!(other, TestRequest::get().uri("/things"));
    assert_eq!(one, two);
    assert_ne!(one, three);
}

#[test]
fn overlap() {
    assert!(paths_overlap("/users/{n}", "/users/5"));
    assert!(paths_overlap("/users", "/users"));
    assert!(!paths_overlap("/users", "/users/{n}"));
    assert!(!paths_overlap("/kashflow/users", "/keaz/users"));
    assert!(paths_overlap("/usr/{id}", "/usr/new"));
}

#[test]
fn joins() {
    assert_eq!(join("/kashflow", "/users"), "/kashflow/users");
    assert_eq!(join("", "/users"), "/users");
    assert_eq!(join("/x/", "/users"), "/x/users");
}

/// A dialect that has no shape of its own for a withdrawn call (`TestError` keeps the default
/// `DialectError::withdrawn`) answers the generic JSON, with the headers, and no handler runs;
/// a route's own policy applies to its method only.
#[actix_web::test]
async fn a_deprecated_mount_without_a_shape_of_its_own_answers_the_generic_refusal() {
    use crate::deprecation::{AfterSunset, Deprecations, Policy, RoutePolicy, Window};
    let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc();
    let policy = Policy {
        deprecated_at: at("2026-06-01T00:00:00Z"),
        sunset: None,
        link: Some("https://example.com/m".into()),
        after_sunset: AfterSunset::Serve,
        brownouts: vec![Window {
            start: at("2026-12-01T10:00:00Z"),
            end: at("2026-12-01T11:00:00Z"),
        }],
        brownout_status: StatusCode::SERVICE_UNAVAILABLE,
    };
    let open = Policy {
        brownouts: Vec::new(),
        ..policy.clone()
    };
    let deprecations = Deprecations {
        dialect: Some(policy),
        routes: vec![RoutePolicy {
            method: Method::GET,
            path: "/things/{id}".into(),
            policy: open,
        }],
        clock: crate::Clock::from_fn(move || at("2026-12-01T10:59:59.500Z")),
    };
    let mounted = TEST.mount().with_deprecations(&deprecations).unwrap();
    let app =
        init_service(App::new().service(web::scope("/t").configure(|cfg| mounted.configure(cfg))))
            .await;
    let res = call_service(
        &app,
        TestRequest::put()
            .uri("/t/things/7")
            .insert_header(("x-who", "admin"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.headers().get("retry-after").unwrap(), "1");
    assert_eq!(res.headers().get("deprecation").unwrap(), "@1780272000");
    let body: serde_json::Value = serde_json::from_slice(&read_body(res).await).unwrap();
    assert_eq!(body["error"], "unavailable");
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("https://example.com/m"));
    // GET of the same path has a policy of its own, without the window: served.
    let res = call_service(
        &app,
        TestRequest::get()
            .uri("/t/things/7")
            .insert_header(("x-who", "user"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers().get("deprecation").unwrap(), "@1780272000");
    assert!(res.headers().get("sunset").is_none());
}

/// A path under a dialect, and for a dialect at `""` one whose first segment is one of its
/// routes', belongs to it; the longest prefix wins.
#[test]
fn unmatched_paths_belong_to_the_dialect_of_their_prefix() {
    let root = Dialect {
        name: "root",
        default_prefix: "",
        ..TEST
    };
    let owners = crate::unmatched::Owners::new([("/t".to_owned(), TEST), (String::new(), root)]);
    let owner = |path| owners.of(path).map(|d| d.name);
    assert_eq!(owner("/t/nothing/here"), Some("test"));
    assert_eq!(owner("/t"), Some("test"));
    assert_eq!(owner("/things/7/x"), Some("root"));
    assert_eq!(owner("/tea"), None);
    assert_eq!(owner("/elsewhere"), None);
    assert_eq!(owner("/"), None);
}
