//! Usage per caller (migration.md): two gateways (`rosetta_server::start` twice) on one
//! database add to the same daily buckets, and `rosetta usage`, `rosetta usage callers` and
//! `rosetta deprecation status` report them from another process.

use reqwest::Method;
use rosetta_e2e::TestGateway;
use rosetta_testkit::callers::{admin_clients, Kf, Usr, V2};
use rosetta_testkit::{backend_tests, Backend, Client};
use serde_json::Value;

use crate::process::{json, rosetta};

async fn usage_per_caller_from_two_gateways(backend: Backend) {
    let mut app = TestGateway::start(backend).await;
    let second = rosetta_server::start(&app.config).await.unwrap();
    let gw2 = Client::new(format!("http://{}", second.main_addr().unwrap()));
    let (tenant, c) = admin_clients(&app, &app.client, "Acme", "root", "root@acme.test").await;
    let (usr2, kf2) = (
        Usr::new(&gw2, &c.usr.token),
        Kf::with_token(&gw2, &c.kf.token),
    );
    let v2_2 = V2::new(&gw2, c.v2.company, &c.v2.key);
    for _ in 0..2 {
        assert_eq!(
            c.usr.send(Method::GET, "/usr/999999", None).await.status,
            404
        );
    }
    for _ in 0..3 {
        assert_eq!(
            usr2.send(Method::GET, "/usr/999999", None).await.status,
            404
        );
    }
    assert_eq!(c.kf.get("/users").await.status, 200);
    assert_eq!(kf2.get("/users").await.status, 200);
    assert_eq!(kf2.get("/users").await.status, 200);
    assert_eq!(v2_2.by_email("root@acme.test").await.status, 200);
    app.client.call(Method::GET, "/healthz", &[], None).await;
    second.stop().await; // each flushes what it still holds
    app.stop().await;

    let (dir, url) = (app.database.dir(), app.config.database.url.clone());
    let callers = |dialect: &str| {
        let v = json(&rosetta(
            dir,
            &url,
            &["usage", "callers", "--dialect", dialect, "--json"],
        ));
        assert_eq!(v["dialect"], dialect);
        v["callers"].as_array().unwrap().clone()
    };
    let usr = callers("usr");
    assert_eq!(usr.len(), 1, "{usr:?}");
    assert_eq!(usr[0]["tenant"], tenant.0);
    assert!(usr[0]["caller"]
        .as_str()
        .unwrap()
        .starts_with("credential:"));
    assert_eq!(usr[0]["label"], "test", "the credential's name");
    assert_eq!(usr[0]["calls"], 5, "both gateways' calls");
    assert_eq!(usr[0]["routes"], serde_json::json!(["/usr/{userId}"]));
    assert!(usr[0]["first_seen"].as_str().unwrap() <= usr[0]["last_seen"].as_str().unwrap());

    let kf = callers("kashflow");
    assert_eq!(kf.len(), 1, "{kf:?}");
    assert!(kf[0]["caller"].as_str().unwrap().starts_with("user:"));
    assert_eq!(kf[0]["label"], "root", "the username");
    // The two steps of the login, then three lists.
    assert_eq!(kf[0]["calls"], 5, "{kf:?}");
    assert_eq!(
        kf[0]["routes"],
        serde_json::json!(["/kashflow/sessiontoken", "/kashflow/users"])
    );

    let v2 = callers("v2");
    assert_eq!(
        v2[0]["caller"],
        format!("integration-key:tenant-{}", tenant.0)
    );
    assert_eq!(v2[0]["label"], "Acme", "the tenant's name");

    let by_route = json(&rosetta(
        dir,
        &url,
        &[
            "usage",
            "--dialect",
            "usr",
            "--tenant",
            &tenant.0.to_string(),
            "--json",
        ],
    ));
    let rows = by_route["calls"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{by_route}");
    assert_eq!(rows[0]["route"], "/usr/{userId}");
    assert_eq!(rows[0]["statuses"]["4xx"], 5);
    assert_eq!(by_route["total"], 5);
    let other_tenant = json(&rosetta(dir, &url, &["usage", "--tenant", "999", "--json"]));
    assert_eq!(other_tenant["total"], 0);
    let everything = json(&rosetta(dir, &url, &["usage", "--json"]));
    let total: i64 = everything["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["calls"].as_i64().unwrap())
        .sum();
    assert_eq!(everything["total"], total);
    assert!(everything["calls"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["dialect"] != "gateway" && r["route"] != "/healthz"));

    let bad = rosetta(dir, &url, &["usage", "callers", "--dialect", "nope"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown dialect 'nope'"));

    // `deprecation status` reads the configuration and the same figures.
    let config = dir.join("deprecated.toml");
    std::fs::write(
        &config,
        "[dialects.usr.deprecation]\ndeprecated_at = \"2026-06-01T00:00:00Z\"\n\
         sunset = \"2099-06-01T00:00:00Z\"\nlink = \"https://example.com/m\"\n\
         brownouts = [\"2099-01-15T10:00:00Z/PT4H\"]\n\
         [[dialects.kashflow.deprecation.routes]]\nmethod = \"GET\"\npath = \"/users\"\n\
         deprecated_at = \"2026-06-01T00:00:00Z\"\n",
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let status = json(&rosetta(
        dir,
        &url,
        &["--config", config, "deprecation", "status", "--json"],
    ));
    let rows = status["deprecations"].as_array().unwrap();
    let find = |dialect: &str| -> &Value { rows.iter().find(|r| r["dialect"] == dialect).unwrap() };
    let usr = find("usr");
    assert!(usr["route"].is_null(), "the whole dialect");
    assert_eq!(usr["deprecated_at"], "2026-06-01T00:00:00Z");
    assert_eq!(usr["sunset"], "2099-06-01T00:00:00Z");
    assert_eq!(usr["brownout"]["start"], "2099-01-15T10:00:00Z");
    assert_eq!(usr["brownout"]["end"], "2099-01-15T14:00:00Z");
    assert_eq!(usr["brownout"]["current"], false);
    assert_eq!(usr["state"], "serving");
    assert_eq!(usr["calls_7d"], 5);
    let kf = find("kashflow");
    assert_eq!(kf["route"], "GET /users");
    assert_eq!(kf["calls_7d"], 3, "the route's calls only");
    assert_eq!(rows.len(), 2, "{status}");
    let text = rosetta(dir, &url, &["--config", config, "deprecation", "status"]);
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("usr") && text.contains("5 call(s) in 7d"),
        "{text}"
    );
}

backend_tests!(usage_per_caller_from_two_gateways);
