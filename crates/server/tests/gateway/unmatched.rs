//! Requests no route takes, answered in the shape of the dialect whose path they are under
//! (issue 17, defect 6): before, each was an empty 404, 405, 400 or 431.

use reqwest::Method;
use rosetta_e2e::TestGateway;
use rosetta_testkit::{backend_tests, Backend};

async fn unmatched_requests_answer_in_the_dialects_shape(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let ask = |method: Method, path: String, headers: Vec<(&'static str, String)>| {
        let client = &app.client;
        async move {
            let headers: Vec<(&str, &str)> =
                headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            client.call(method, &path, &headers, None).await
        }
    };
    let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();

    let r = ask(Method::GET, "/kashflow/users/1/x".into(), vec![]).await;
    assert_eq!(r.status, 404);
    assert_eq!(json(&r.text)["Error"], "NotFound");

    let r = ask(Method::PATCH, "/kashflow/users/1".into(), vec![]).await;
    assert_eq!(r.status, 405);
    assert_eq!(r.headers["allow"], "GET, PUT, DELETE");
    assert_eq!(json(&r.text)["Error"], "MethodNotAllowed");

    let r = ask(Method::GET, "/usr/".into(), vec![]).await;
    assert_eq!(r.status, 404);
    assert_eq!(json(&r.text)["error"]["code"], "not_found");

    let r = ask(Method::GET, "/keaz/no/such/thing".into(), vec![]).await;
    assert_eq!(r.status, 404);
    assert_eq!(json(&r.text)["error"], "not_found");

    let r = ask(Method::GET, "/api/v2/nothing?format=json".into(), vec![]).await;
    assert_eq!(r.status, 404);
    assert_eq!(json(&r.text)["ResponseStatus"]["ErrorCode"], "NotFound");

    let long = format!("/kashflow/users?q={}", "a".repeat(9000));
    let r = ask(Method::GET, long, vec![]).await;
    assert_eq!(r.status, 414);
    assert_eq!(json(&r.text)["Error"], "UriTooLong");

    let r = ask(
        Method::GET,
        "/usr/1".into(),
        vec![("x-big", "b".repeat(40_000))],
    )
    .await;
    assert_eq!(r.status, 431);
    assert_eq!(json(&r.text)["error"]["code"], "headers_too_large");

    // A path of nobody's stays the gateway's own empty 404.
    let r = ask(Method::GET, "/nobody/here".into(), vec![]).await;
    assert_eq!((r.status, r.text.as_str()), (404, ""));
}

backend_tests!(unmatched_requests_answer_in_the_dialects_shape);
