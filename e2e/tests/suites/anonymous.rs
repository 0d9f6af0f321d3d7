//! A caller without a credential is told so first, on every route of every dialect that has a
//! caller, whatever else is wrong with the request: a path id that is no number, a body of a
//! type the route refuses, or one over the size limit. Nothing about the directory (not even
//! that an id cannot exist) reaches an anonymous caller. The routes come from the dialects' own
//! tables, so a route added there is tried here.
//!
//! Callers are extractors, and actix polls all of a handler's extractors together: an extractor
//! that failed at once (a typed path, a typed body) would answer before the caller's lookup in
//! the database. This suite is what would catch that.

use reqwest::Method;
use rosetta_e2e::TestGateway;
use rosetta_server::app::DIALECTS;
use rosetta_testkit::{backend_tests, Backend};
use serde_json::Value;

/// Routes that have no caller: a login, or a ticket that is its own credential.
const NO_CALLER: &[(&str, &str, &str)] = &[
    ("kashflow", "POST", "/sessiontoken"),
    ("kashflow", "PUT", "/sessiontoken"),
    ("keaz", "POST", "/login"),
    ("keaz", "GET", "/login"),
    ("keaz", "POST", "/activate/{ticket}"),
    ("keaz", "GET", "/activate/{ticket}"),
];

/// The route's path with every `{segment}` a word that is no number.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|s| if s.starts_with('{') { "nan" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

/// No credential, and one that is well-formed but unknown (which takes a database lookup to
/// refuse): header, and what goes after the path.
fn credentials(dialect: &str) -> [(Option<(&'static str, &'static str)>, &'static str); 2] {
    match dialect {
        "kashflow" => [(None, ""), (Some(("Authorization", "KfToken nobody")), "")],
        "usr" => [(None, ""), (Some(("Authorization", "Bearer nobody")), "")],
        "keaz" => [(None, ""), (Some(("token", "nobody")), "")],
        "v2" => [(None, ""), (None, "&CompanyId=1&IntegrationKey=nobody")],
        "scim" => [(None, ""), (Some(("Authorization", "Bearer nobody")), "")],
        other => panic!("unknown dialect {other}"),
    }
}

/// Whether `body` is the dialect's "not authenticated" envelope.
fn says_unauthenticated(dialect: &str, body: &Value) -> bool {
    match dialect {
        "kashflow" => body["Error"] == "InvalidSessionToken",
        "usr" => body["error"]["code"] == "unauthorized",
        "keaz" => body["error"] == "unauthorized",
        "v2" => body["ResponseStatus"]["ErrorCode"] == "Unauthorized",
        "scim" => {
            body["schemas"][0] == "urn:ietf:params:scim:api:messages:2.0:Error"
                && body["status"] == "401"
        }
        other => panic!("unknown dialect {other}"),
    }
}

async fn anonymous_callers_are_refused_first(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let gw = app.client.clone();
    let oversize = vec![b'x'; app.config.limits.body_bytes + 1];
    let mut tried = 0;
    for dialect in DIALECTS {
        for route in dialect.routes {
            let method = route.method.as_str();
            if NO_CALLER.contains(&(dialect.name, method, route.path)) {
                continue;
            }
            let mut path = format!("{}{}", dialect.default_prefix, concrete(route.path));
            let writes = matches!(method, "POST" | "PUT");
            // v2 reads a POST's body before its caller (the key may be in it), so its type and
            // size come first there; every other route's come after the caller.
            let bodies: Vec<(&str, Option<Vec<u8>>)> = if dialect.name == "v2" {
                path.push_str("?format=json");
                vec![("application/json", None)]
            } else if writes {
                vec![
                    ("text/plain", Some(b"nan".to_vec())),
                    ("application/json", Some(oversize.clone())),
                ]
            } else {
                vec![("application/json", None)]
            };
            for (header, query) in credentials(dialect.name) {
                for (content_type, body) in &bodies {
                    let m = Method::from_bytes(method.as_bytes()).unwrap();
                    let mut headers = vec![("Content-Type", *content_type)];
                    headers.extend(header);
                    let path = format!("{path}{query}");
                    let r = gw.call(m, &path, &headers, body.clone()).await;
                    let what = format!("{} {method} {path} {headers:?}", dialect.name);
                    assert_eq!(r.status, 401, "{what}: {}", r.text);
                    assert!(
                        says_unauthenticated(dialect.name, &r.json()),
                        "{what}: {}",
                        r.text
                    );
                    tried += 1;
                }
            }
        }
    }
    // Every route of the four tables but the six without a caller, with two credentials,
    // writes with two bodies.
    assert!(tried >= 80, "only {tried} requests were tried");
    // kashflow answers its refusal in the format asked for, as any of its errors.
    let r = gw
        .call(
            Method::GET,
            "/kashflow/users/nan",
            &[
                ("Accept", "application/xml"),
                ("Authorization", "KfToken nobody"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, 401);
    assert!(
        r.content_type.starts_with("application/xml"),
        "{}",
        r.content_type
    );
    assert!(
        r.text.contains("<Error>InvalidSessionToken</Error>"),
        "{}",
        r.text
    );
    gw.assert_no_leaks();
}

backend_tests!(anonymous_callers_are_refused_first);
