//! A `--keaz-columns` export is a file keaz's own CSV import takes, on both backends.

use rosetta_core::NameInput;
use rosetta_e2e::TestGateway;
use rosetta_testkit::callers::Keaz;
use rosetta_testkit::{backend_tests, Backend, Fixtures};
use serde_json::Value;

use crate::transfer::{run, PASSWORD};

/// `--keaz-columns` writes a file keaz's own `POST /import/users` takes as it is.
async fn keaz_columns_reimport_through_keaz(backend: Backend) {
    let gw = TestGateway::start(backend).await;
    let (source, _) = gw.tenant("Source").await;
    for i in 0..3 {
        gw.user_with(
            source,
            &format!("p{i}"),
            &format!("p{i}@example.com"),
            PASSWORD,
            |n| {
                n.name = NameInput::Full(format!("Pat Smith{i}"));
                n.perms = vec!["fleet".into(), "view".into()];
                n.license_types = vec!["B".into(), "C1".into()];
                n.profile.contact_number = Some("+44 1,234 \"home\"".into());
                n.profile.cost_centre_id = Some("CC, North".into());
            },
        )
        .await;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keaz.csv");
    let src = source.0.to_string();
    let out = run(
        &gw,
        &[
            "user",
            "export",
            "--tenant",
            &src,
            "--format",
            "csv",
            "--keaz-columns",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let csv = std::fs::read(&file).unwrap();

    let (target, _) = gw.tenant("Target").await;
    gw.user_with(target, "boss", "boss@example.com", PASSWORD, |n| {
        n.perms = vec!["admin".into(), "keaz".into()];
    })
    .await;
    let keaz = Keaz::login(&gw.client, "boss@example.com", PASSWORD).await;
    let r = gw
        .client
        .call(
            reqwest::Method::POST,
            "/keaz/import/users",
            &[("token", keaz.token.as_str()), ("Content-Type", "text/csv")],
            Some(csv),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let body: Value = serde_json::from_str(&r.text).unwrap();
    assert_eq!(body.as_array().unwrap().len(), 3);
    assert_eq!(body[1]["contact_number"], "+44 1,234 \"home\"");
    assert_eq!(body[1]["cost-centre_id"], "CC, North");
    assert_eq!(body[1]["perms"], serde_json::json!(["fleet", "view"]));
}

backend_tests!(keaz_columns_reimport_through_keaz);
