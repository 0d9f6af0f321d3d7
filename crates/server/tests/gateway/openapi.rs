//! `/openapi/<dialect>.json`: each mounted dialect's document, its paths under the mount's
//! prefix, one operation for every route of the dialect's table. Read with a plain client: a
//! document names `Password` members (with their schema), which the testkit's leak scan would
//! rightly refuse in a dialect's answer.

use rosetta_dialect::join;
use rosetta_e2e::TestGateway;
use rosetta_server::app::DIALECTS;
use rosetta_server::config::DialectMount;
use rosetta_testkit::{backend_tests, Backend};
use serde_json::Value;

async fn get(app: &TestGateway, path: &str) -> reqwest::Response {
    reqwest::get(app.url(path)).await.unwrap()
}

async fn each_dialect_serves_its_document(backend: Backend) {
    let app = TestGateway::start(backend).await;
    for d in DIALECTS {
        let r = get(&app, &format!("/openapi/{}.json", d.name)).await;
        assert_eq!(r.status(), 200, "{}", d.name);
        assert_eq!(r.headers()["content-type"], "application/json");
        let doc: Value = r.json().await.unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        for route in d.routes {
            let path = join(d.default_prefix, route.path);
            let method = route.method.as_str().to_ascii_lowercase();
            let op = &doc["paths"][&path][&method];
            assert!(
                op.is_object(),
                "{}: {} {path} missing",
                d.name,
                route.method
            );
            for status in ["405", "408"] {
                assert!(op["responses"][status].is_object(), "{path} {status}");
            }
        }
        insta::assert_json_snapshot!(format!("openapi_{}", d.name), doc);
    }
    assert_eq!(get(&app, "/openapi/nothing.json").await.status(), 404);
}

async fn a_document_follows_its_mount(backend: Backend) {
    let app = TestGateway::start_with(backend, |c| {
        c.dialects.insert(
            "kashflow".into(),
            DialectMount {
                prefix: Some("/kf".into()),
                ..DialectMount::default()
            },
        );
    })
    .await;
    let doc: Value = get(&app, "/openapi/kashflow.json")
        .await
        .json()
        .await
        .unwrap();
    assert!(doc["paths"]["/kf/users"]["get"].is_object(), "{doc}");
    assert!(doc["paths"]["/kashflow/users"].is_null());
}

backend_tests!(
    each_dialect_serves_its_document,
    a_document_follows_its_mount
);
