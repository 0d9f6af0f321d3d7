//! `GET`/`DELETE /api/v2/user`: parameter names in any case, and tenants apart.

use rosetta_testkit::{backend_tests, Backend, Fixtures};
use serde_json::Value;

use crate::datacontract::*;
use crate::support::*;

async fn parameter_names_in_any_case(backend: Backend) {
    let v2 = V2::new(backend).await;
    v2.seed("Cas", "Ing", "case@example.com").await;
    let url = v2.app.url(&format!(
        "/api/v2/user?FORMAT=Json&companyid={}&INTEGRATIONKEY={}&email=case@example.com",
        v2.tenant.0, v2.key
    ));
    let (status, body) = v2.get(url).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.starts_with(r#"{"User":{"Id":""#), "{body}");
    let url = v2.app.url(&format!(
        "/api/v2/user/search?Format=XML&CompanyID={}&integrationkey={}&NAME=cas",
        v2.tenant.0, v2.key
    ));
    let (status, body) = v2.get(url).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(parse_xml(&body).child("TotalRows").text, "1");
}

async fn tenants_do_not_see_each_other(backend: Backend) {
    let v2 = V2::new(backend).await;
    let (other, other_key) = v2.app.tenant("Other Co").await;
    let (_, body) = v2.post_json(&full_user_json("mine@example.com")).await;
    let id = serde_json::from_str::<Value>(&body).unwrap()["User"]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let base = |path: &str| {
        v2.app.url(&format!(
            "{path}?format=json&CompanyId={}&IntegrationKey={other_key}",
            other.0
        ))
    };
    let (status, _) = v2.get(format!("{}&Id={id}", base("/api/v2/user"))).await;
    assert_eq!(status, 404);
    let (status, _) = v2.delete(format!("{}&Id={id}", base("/api/v2/user"))).await;
    assert_eq!(status, 404);
    let (_, body) = v2
        .get(format!(
            "{}&Email=mine@example.com",
            base("/api/v2/user/search")
        ))
        .await;
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["TotalRows"],
        0
    );
    // The same email is free in the other tenant.
    let (status, body) = v2
        .post(
            base("/api/v2/user"),
            Some("application/json"),
            &full_user_json("mine@example.com").to_string(),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = v2
        .get(v2.url("/api/v2/user", "json", &format!("Id={id}")))
        .await;
    assert_eq!(status, 200, "still there");
}

backend_tests!(parameter_names_in_any_case, tenants_do_not_see_each_other);
