//! Refused calls on every route, in both formats: each answers in v2's envelope and changes
//! nothing.

use reqwest::Method;
use rosetta_testkit::{backend_tests, Backend, Fixtures};
use serde_json::{json, Value};

use crate::support::*;

async fn refused_calls_change_nothing(backend: Backend) {
    let v2 = V2::new(backend).await;
    let (other_tenant, other_key) = v2.app.tenant("Other Co").await;
    let (status, body) = v2.post_json(&full_user_json("keep@example.com")).await;
    assert_eq!(status, 200, "{body}");
    let id = serde_json::from_str::<Value>(&body).unwrap()["User"]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = v2.count().await;
    let new_user = full_user_json("new@example.com").to_string();
    let xml_user = "<User><FirstName>X</FirstName><LastName>Y</LastName><Email>x@example.com</Email><DoNotEmail>true</DoNotEmail></User>";

    for format in ["json", "xml"] {
        let wrong_key = v2.app.url(&format!(
            "/api/v2/user?format={format}&CompanyId={}&IntegrationKey=nope",
            v2.tenant.0
        ));
        let other_company = v2.app.url(&format!(
            "/api/v2/user?format={format}&CompanyId={}&IntegrationKey={}",
            other_tenant.0, v2.key
        ));
        let no_key = v2.app.url(&format!(
            "/api/v2/user?format={format}&CompanyId={}",
            v2.tenant.0
        ));
        let other_keys_company = v2.app.url(&format!(
            "/api/v2/user?format={format}&CompanyId={}&IntegrationKey={}",
            v2.tenant.0, other_key
        ));
        for base in [&wrong_key, &other_company, &no_key, &other_keys_company] {
            let (status, body) = v2.get(format!("{base}&Id={id}")).await;
            assert_eq!(status, 401, "{base}: {body}");
            assert_error(format, &body, "Unauthorized");
            let (status, body) = v2
                .post(base.clone(), Some("application/json"), &new_user)
                .await;
            assert_eq!(status, 401, "{body}");
            assert_error(format, &body, "Unauthorized");
            let (status, body) = v2.delete(format!("{base}&Id={id}")).await;
            assert_eq!(status, 401, "{body}");
            let search = base.replace("/api/v2/user?", "/api/v2/user/search?");
            let (status, body) = v2.get(format!("{search}&Name=jo")).await;
            assert_eq!(status, 401, "{body}");
            assert_error(format, &body, "Unauthorized");
        }
        let (_, body) = v2.get(format!("{wrong_key}&Id={id}")).await;
        insta::assert_snapshot!(format!("{format}_unauthorized"), body);

        // A CompanyId in the body that is not the key's is ignored (v2.md: the query's counts),
        // so the answer is about the user itself: this one exists already (its ExternalId).
        let mut mismatched = full_user_json("new@example.com");
        mismatched["CompanyId"] = json!(other_tenant.0);
        let (status, body) = v2
            .post(
                v2.url("/api/v2/user", format, ""),
                Some("application/json"),
                &mismatched.to_string(),
            )
            .await;
        assert_eq!(status, 409, "{body}");

        // Unknown and malformed Ids.
        let unknown = uuid_like();
        let (status, body) = v2
            .get(v2.url("/api/v2/user", format, &format!("Id={unknown}")))
            .await;
        assert_eq!(status, 404, "{body}");
        assert_error(format, &body, "NotFound");
        insta::assert_snapshot!(format!("{format}_not_found"), redact(&body));
        let (status, body) = v2
            .delete(v2.url("/api/v2/user", format, &format!("Id={unknown}")))
            .await;
        assert_eq!(status, 404, "{body}");
        for bad in ["Id=not-a-guid", "Id=6f9619ff-8b86-d011-b42d-00c04fc964f"] {
            let (status, body) = v2.get(v2.url("/api/v2/user", format, bad)).await;
            assert_eq!(status, 400, "{body}");
            assert_error(format, &body, "ValidationException");
            let (status, body) = v2.delete(v2.url("/api/v2/user", format, bad)).await;
            assert_eq!(status, 400, "{body}");
            assert_error(format, &body, "ValidationException");
        }
        let (_, body) = v2
            .get(v2.url("/api/v2/user", format, "Id=not-a-guid"))
            .await;
        insta::assert_snapshot!(format!("{format}_malformed_guid"), body);
        let (status, body) = v2.get(v2.url("/api/v2/user", format, "")).await;
        assert_eq!(status, 400, "{body}");

        // Malformed bodies.
        for (ct, bad_body) in [
            (None, "<User><FirstName>X</FirstName>"),
            (
                Some("application/xml"),
                "<User><FirstName>X</LastName></User>",
            ),
            (
                Some("application/xml"),
                "<User><FirstName>&bogus;</FirstName></User>",
            ),
            (Some("application/json"), "{\"FirstName\": "),
            (Some("application/json"), "[1,2]"),
            (None, ""),
        ] {
            let (status, body) = v2
                .post(v2.url("/api/v2/user", format, ""), ct, bad_body)
                .await;
            assert_eq!(status, 400, "{bad_body}: {body}");
            assert_error(format, &body, "SerializationException");
        }
        let (_, body) = v2
            .post(
                v2.url("/api/v2/user", format, ""),
                None,
                "<User><FirstName>",
            )
            .await;
        insta::assert_snapshot!(format!("{format}_malformed_xml"), body);

        // DOCTYPE and entity declarations: refused before anything is read.
        for evil in [
            format!("<?xml version=\"1.0\"?><!DOCTYPE User [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>{}", xml_user.replace("<FirstName>X", "<FirstName>&xxe;")),
            format!("<!DOCTYPE User [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>{xml_user}"),
            format!("<!DOCTYPE User SYSTEM \"http://example.com/u.dtd\">{xml_user}"),
        ] {
            let (status, body) = v2
                .post(v2.url("/api/v2/user", format, ""), Some("application/xml"), &evil)
                .await;
            assert_eq!(status, 400, "{body}");
            assert_error(format, &body, "SerializationException");
            assert!(body.contains("DOCTYPE"), "{body}");
            assert!(!body.contains("root:"), "{body}");
        }

        // Validation: required members, bad GUID in a list, bad email.
        let (status, body) = v2
            .post(
                v2.url("/api/v2/user", format, ""),
                Some("application/json"),
                r#"{"Email":"","DoNotEmail":true}"#,
            )
            .await;
        assert_eq!(status, 400, "{body}");
        assert_error(format, &body, "ValidationException");
        insta::assert_snapshot!(format!("{format}_validation_error"), body);
        let (status, body) = v2
            .post(
                v2.url("/api/v2/user", format, ""),
                Some("application/json"),
                r#"{"FirstName":"A","LastName":"B","Email":"a@example.com","Folders":["nope"]}"#,
            )
            .await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("Folders"), "{body}");
        let (status, body) = v2
            .post(
                v2.url("/api/v2/user", format, ""),
                Some("application/json"),
                r#"{"FirstName":"A","LastName":"B","Email":"not an email"}"#,
            )
            .await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("Email"), "{body}");
        let (status, body) = v2
            .post(v2.url("/api/v2/user", format, ""), Some("text/plain"), "hi")
            .await;
        assert_eq!(status, 415, "{body}");
        assert_error(format, &body, "UnsupportedMediaType");

        // Conflict on the email (any case) and on the ExternalId: 409, and still one user.
        let mut same_email = full_user_json("KEEP@example.com");
        same_email["ExternalId"] = json!("SAP-9999");
        let (status, body) = v2
            .post(
                v2.url("/api/v2/user", format, ""),
                Some("application/json"),
                &same_email.to_string(),
            )
            .await;
        assert_eq!(status, 409, "{body}");
        assert_error(format, &body, "Conflict");
        assert!(body.contains("Email"), "{body}");
        insta::assert_snapshot!(format!("{format}_conflict"), body);
        let (status, body) = v2
            .post(
                v2.url("/api/v2/user", format, ""),
                Some("application/json"),
                &full_user_json("other@example.com").to_string(),
            )
            .await;
        assert_eq!(status, 409, "{body}");
        assert!(body.contains("ExternalId"), "{body}");

        // A body over the limit: 413 in the envelope.
        let big = format!(
            "<User><FirstName>{}</FirstName></User>",
            "x".repeat(300 * 1024)
        );
        let (status, body) = v2
            .post(
                v2.url("/api/v2/user", format, ""),
                Some("application/xml"),
                &big,
            )
            .await;
        assert_eq!(status, 413, "{body}");
        assert_error(format, &body, "RequestEntityTooLarge");

        // A PUT is no v2 call.
        let (status, body) = v2
            .send(Method::PUT, v2.url("/api/v2/user", format, ""), &[], None)
            .await;
        assert_eq!(status, 405);
        assert_error(format, &body, "MethodNotAllowed");
    }

    // A format that is neither json nor xml: 400, in the format Accept names (else JSON).
    let url = v2.url("/api/v2/user", "csv", &format!("Id={id}"));
    let (status, body) = v2
        .send(Method::GET, url, &[("Accept", "text/xml")], None)
        .await;
    assert_eq!(status, 400, "{body}");
    assert_error("xml", &body, "ValidationException");
    let url = v2.url("/api/v2/user", "csv", &format!("Id={id}"));
    let (status, body) = v2
        .send(Method::GET, url, &[("Accept", "application/json")], None)
        .await;
    assert_eq!(status, 400);
    assert_error("json", &body, "ValidationException");

    // Nothing changed: same users, the kept one intact, no email sent.
    assert_eq!(v2.count().await, before);
    let (status, body) = v2
        .get(v2.url("/api/v2/user", "json", &format!("Id={id}")))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["User"]["Email"],
        "keep@example.com"
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        v2.app.emails().await.is_empty(),
        "{:?}",
        v2.app.emails().await
    );
}

fn uuid_like() -> String {
    "3f2504e0-4f89-41d3-9a0c-0305e82c3301".into()
}

backend_tests!(refused_calls_change_nothing);
