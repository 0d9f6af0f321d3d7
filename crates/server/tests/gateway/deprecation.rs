//! Deprecation and sunset (migration.md) through real HTTP on both backends: the headers on
//! every answer of every deprecated dialect exactly as RFC 9745 and RFC 8594 format them,
//! brownout windows in the past, present and future by an injected clock, refusal after a
//! refusing sunset, per-route overrides, and nothing changed by a refused write.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use reqwest::Method;
use rosetta_dialect::Clock;
use rosetta_e2e::TestGateway;
use rosetta_server::Config;
use rosetta_testkit::callers::{admin_clients, Clients};
use rosetta_testkit::{backend_tests, Backend, Resp};
use serde_json::json;

const DEPRECATION: &str = "@1780272000"; // 2026-06-01T00:00:00Z
const SUNSET: &str = "Tue, 01 Jun 2027 00:00:00 GMT";
const LINK: &str = "<https://example.com/migrate>; rel=\"deprecation\"; type=\"text/html\"";

fn at(s: &str) -> i64 {
    DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis()
}

/// A clock the test moves.
fn manual_clock(start: &str) -> (Clock, Arc<AtomicI64>) {
    let now = Arc::new(AtomicI64::new(at(start)));
    let read = now.clone();
    let clock = Clock::from_fn(move || {
        DateTime::<Utc>::from_timestamp_millis(read.load(Ordering::SeqCst)).unwrap()
    });
    (clock, now)
}

async fn start(backend: Backend, toml: &str, clock: Clock) -> (TestGateway, Clients) {
    let parsed = Config::from_sources(Some(toml), Vec::new()).unwrap();
    let app = TestGateway::start_with(backend, move |c| {
        c.dialects = parsed.dialects;
        c.clock = clock;
    })
    .await;
    let (_, clients) = admin_clients(&app, &app.client, "Acme", "root", "root@acme.test").await;
    (app, clients)
}

#[track_caller]
fn assert_deprecated(r: &Resp, what: &str) {
    assert_eq!(r.header("deprecation"), Some(DEPRECATION), "{what}: {r:?}");
    assert_eq!(r.header("sunset"), Some(SUNSET), "{what}: {r:?}");
    let links: Vec<&str> = r
        .headers
        .get_all("link")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(links.contains(&LINK), "{what}: {links:?}");
}

#[track_caller]
fn assert_not_deprecated(r: &Resp, what: &str) {
    assert!(r.header("deprecation").is_none(), "{what}: {r:?}");
    assert!(r.header("sunset").is_none(), "{what}: {r:?}");
}

const KEYS: &str = "deprecated_at = \"2026-06-01T00:00:00Z\"\nsunset = \"2027-06-01T00:00:00Z\"\n\
                    link = \"https://example.com/migrate\"\n";

/// Three dialects deprecated as a whole, v2 by one route: every answer carries the headers,
/// errors included, and nothing else does.
async fn headers_on_every_answer_of_every_deprecated_dialect(backend: Backend) {
    let toml = format!(
        "[dialects.kashflow.deprecation]\n{KEYS}[dialects.usr.deprecation]\n{KEYS}\
         [dialects.keaz.deprecation]\n{KEYS}[dialects.v2.deprecation]\n\
         [[dialects.v2.deprecation.routes]]\nmethod = \"GET\"\npath = \"/api/v2/user\"\n{KEYS}"
    );
    let (clock, _) = manual_clock("2026-12-01T00:00:00Z");
    let (app, c) = start(backend, &toml, clock).await;
    let gw = &app.client;

    let ok = c.kf.get("/users").await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_deprecated(&ok, "kashflow 200");
    let missing = c.kf.user(999_999).await;
    assert_eq!(missing.status, 404);
    assert_deprecated(&missing, "kashflow 404");
    let xml = gw
        .call(
            Method::GET,
            "/kashflow/users",
            &[("Accept", "application/xml")],
            None,
        )
        .await;
    assert_eq!(xml.status, 401);
    assert_deprecated(&xml, "kashflow 401 in XML");
    let wrong_method = gw.call(Method::PATCH, "/kashflow/users", &[], None).await;
    assert_deprecated(&wrong_method, "kashflow, a method the path does not serve");

    let me = c.usr.send(Method::GET, "/usr/999999", None).await;
    assert_eq!(me.status, 404);
    assert_deprecated(&me, "usr 404");
    let anonymous = gw.call(Method::GET, "/usr/1", &[], None).await;
    assert_eq!(anonymous.status, 401);
    assert_deprecated(&anonymous, "usr 401");

    let users = c.keaz.send(Method::GET, "/users", None).await;
    assert_eq!(users.status, 200, "{}", users.text);
    assert_deprecated(&users, "keaz 200");
    let login = gw
        .call(
            Method::POST,
            "/keaz/login",
            &[("Content-Type", "application/json")],
            Some(br#"{"email":"root@acme.test","password":"wrong"}"#.to_vec()),
        )
        .await;
    assert_eq!(login.status, 401);
    assert_deprecated(&login, "keaz failed login");

    // v2: only the deprecated route carries the headers.
    let found = c.v2.by_email("root@acme.test").await;
    assert_eq!(found.status, 200, "{}", found.text);
    assert_deprecated(&found, "v2 GET /api/v2/user");
    let search =
        c.v2.send(Method::GET, "/api/v2/user/search", "", None)
            .await;
    assert_not_deprecated(&search, "v2 search, not deprecated");
    let create =
        c.v2.send(Method::POST, "/api/v2/user", "", Some(&json!({})))
            .await;
    assert_eq!(create.status, 400);
    assert_not_deprecated(&create, "v2 POST /api/v2/user, another method");

    for path in ["/healthz", "/readyz", "/metrics"] {
        let r = gw.call(Method::GET, path, &[], None).await;
        assert_eq!(r.status, 200, "{path}");
        assert_not_deprecated(&r, path);
    }
}

/// kashflow and usr brown out in one window (410), keaz (503) and v2 (410) in a later one.
async fn brownouts_in_the_past_present_and_future(backend: Backend) {
    let first = "brownouts = [\"2026-12-01T10:00:00Z/PT1H\"]\n";
    let second = "brownouts = [\"2026-12-01T12:00:00Z/2026-12-01T12:30:00Z\"]\n";
    let toml = format!(
        "[dialects.kashflow.deprecation]\n{KEYS}{first}[dialects.usr.deprecation]\n{KEYS}{first}\
         [dialects.keaz.deprecation]\n{KEYS}{second}brownout_status = 503\n\
         [dialects.v2.deprecation]\n{KEYS}{second}"
    );
    let (clock, now) = manual_clock("2026-12-01T09:00:00Z");
    let (app, c) = start(backend, &toml, clock).await;
    let gw = &app.client;
    let all_served = |when: &'static str| {
        let c = &c;
        async move {
            assert_eq!(c.kf.get("/users").await.status, 200, "kashflow {when}");
            assert_eq!(
                c.usr.send(Method::GET, "/usr/999999", None).await.status,
                404,
                "usr {when}"
            );
            assert_eq!(
                c.keaz.send(Method::GET, "/users", None).await.status,
                200,
                "keaz {when}"
            );
            assert_eq!(
                c.v2.by_email("root@acme.test").await.status,
                200,
                "v2 {when}"
            );
        }
    };
    all_served("before every window").await;

    // Inside the first window, 10 minutes in.
    now.store(at("2026-12-01T10:10:00Z"), Ordering::SeqCst);
    let kf = c.kf.get("/users").await;
    assert_eq!(kf.status, 410);
    assert_deprecated(&kf, "kashflow in a brownout");
    let body = kf.json();
    assert_eq!(body["Error"], "Gone", "{body}");
    let message = body["Message"].as_str().unwrap();
    assert!(message.contains("https://example.com/migrate"), "{message}");
    assert!(message.contains("2026-12-01T11:00:00Z"), "{message}");
    assert!(kf.header("retry-after").is_none(), "410 has no Retry-After");
    let xml = gw
        .call(
            Method::GET,
            "/kashflow/users",
            &[("Accept", "application/xml")],
            None,
        )
        .await;
    assert_eq!(xml.status, 410);
    assert!(xml.content_type.contains("xml"), "{}", xml.content_type);
    assert!(xml.text.contains("<Error>Gone</Error>"), "{}", xml.text);
    // A write is refused before its handler: nothing is created.
    let create = c
        .kf
        .send(
            Method::POST,
            "/users",
            Some(&json!({"Email": "new@acme.test", "FullName": "New One", "Username": "newone", "Password": "Secret-pw-1"})),
        )
        .await;
    assert_eq!(create.status, 410, "{}", create.text);
    let usr = c.usr.send(Method::GET, "/usr/999999", None).await;
    assert_eq!(usr.status, 410);
    assert_eq!(usr.json()["error"]["code"], "gone");
    assert!(usr.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("https://example.com/migrate"));
    // The others, and the operational endpoints, are not in this window.
    assert_eq!(c.keaz.send(Method::GET, "/users", None).await.status, 200);
    assert_eq!(
        c.v2.by_email("new@acme.test").await.status,
        404,
        "the refused write wrote nothing"
    );
    assert_eq!(
        gw.call(Method::GET, "/healthz", &[], None).await.status,
        200
    );
    assert_eq!(gw.call(Method::GET, "/readyz", &[], None).await.status, 200);

    now.store(at("2026-12-01T11:00:00Z"), Ordering::SeqCst);
    all_served("at the end of the first window").await;
    now.store(at("2026-12-01T11:30:00Z"), Ordering::SeqCst);
    all_served("between the windows").await;

    // Inside the second window, 20 minutes and a half before its end.
    now.store(at("2026-12-01T12:09:30Z"), Ordering::SeqCst);
    let keaz = c.keaz.send(Method::GET, "/users", None).await;
    assert_eq!(keaz.status, 503);
    assert_eq!(keaz.header("retry-after"), Some("1230"));
    assert_deprecated(&keaz, "keaz in a brownout");
    assert_eq!(keaz.json()["error"], "unavailable", "{}", keaz.text);
    assert!(keaz.json()["message"]
        .as_str()
        .unwrap()
        .contains("https://example.com/migrate"));
    let v2 = c.v2.by_email("root@acme.test").await;
    assert_eq!(v2.status, 410);
    assert_eq!(
        v2.json()["ResponseStatus"]["ErrorCode"],
        "Gone",
        "{}",
        v2.text
    );
    let v2_xml = gw
        .call(
            Method::GET,
            &format!(
                "/api/v2/user/search?format=xml&CompanyId={}&IntegrationKey={}",
                c.v2.company, c.v2.key
            ),
            &[],
            None,
        )
        .await;
    assert_eq!(v2_xml.status, 410);
    assert!(
        v2_xml.text.contains("<ErrorCode>Gone</ErrorCode>"),
        "{}",
        v2_xml.text
    );
    assert_eq!(c.kf.get("/users").await.status, 200);

    now.store(at("2026-12-02T00:00:00Z"), Ordering::SeqCst);
    all_served("after every window").await;
}

/// Past a refusing sunset every call is refused, except a route whose override serves; a
/// route may also brown out on its own.
async fn refusal_after_sunset_and_route_overrides(backend: Backend) {
    let toml = format!(
        "[dialects.kashflow.deprecation]\n{KEYS}after_sunset = \"refuse\"\n\
         [[dialects.kashflow.deprecation.routes]]\nmethod = \"GET\"\npath = \"/users/{{number}}\"\n\
         after_sunset = \"serve\"\n\
         [[dialects.kashflow.deprecation.routes]]\nmethod = \"GET\"\npath = \"/users\"\n\
         brownouts = [\"2026-12-01T10:00:00Z/PT1H\"]\nbrownout_status = 503\n"
    );
    let (clock, now) = manual_clock("2026-12-01T10:30:00Z");
    let (app, c) = start(backend, &toml, clock).await;
    let list = c.kf.get("/users").await;
    assert_eq!(list.status, 503, "the route's own brownout");
    assert_eq!(list.header("retry-after"), Some("1800"));
    assert_eq!(list.json()["Error"], "ServiceUnavailable");
    let users = c.kf.user(999_999).await;
    assert_eq!(users.status, 404, "the dialect is not in a brownout");

    now.store(at("2027-06-01T00:00:00Z"), Ordering::SeqCst);
    // The route keeps its own status past the sunset too, with no window to wait for.
    let list = c.kf.get("/users").await;
    assert_eq!(list.status, 503, "{}", list.text);
    assert!(list.json()["Message"].as_str().unwrap().contains("retired"));
    assert!(list.header("retry-after").is_none());
    assert_deprecated(&list, "refused after the sunset");
    let create = c
        .kf
        .send(
            Method::POST,
            "/users",
            Some(&json!({"Email": "late@acme.test", "FullName": "Late", "Username": "late", "Password": "Secret-pw-1"})),
        )
        .await;
    assert_eq!(create.status, 410, "{}", create.text);
    assert_eq!(create.json()["Error"], "Gone");
    assert_eq!(
        c.v2.by_email("late@acme.test").await.status,
        404,
        "nothing written"
    );
    let one = c.kf.user(999_999).await;
    assert_eq!(one.status, 404, "the override keeps serving");
    assert_deprecated(&one, "served past the sunset");
    assert_eq!(c.keaz.send(Method::GET, "/users", None).await.status, 200);
    drop(app);
}

backend_tests!(
    headers_on_every_answer_of_every_deprecated_dialect,
    brownouts_in_the_past_present_and_future,
    refusal_after_sunset_and_route_overrides,
);
