//! Search terms are bounded (MAPPING.md Text: 256 characters): a longer `Name`, `Email` or
//! `ExternalId` is 400 in v2's shape naming the member, never a 5xx (SQLite refuses a LIKE
//! pattern past 50,000 bytes, and `_` is escaped into two). `_` and `%` stay literal.

use rosetta_testkit::{backend_tests, Backend};
use serde_json::{json, Value};

use crate::support::*;

async fn search_terms_over_256_characters_are_refused(backend: Backend) {
    let v2 = V2::new(backend).await;
    v2.seed("Val", "Idate", "val@example.com").await;
    let search = |format: &str| v2.url("/api/v2/user/search", format, "");
    for format in ["json", "xml"] {
        for (member, value) in [
            ("Name", "a".repeat(49_999)),
            ("Name", "_".repeat(25_000)),
            ("Name", "%".repeat(257)),
            ("Email", format!("{}@example.com", "e".repeat(250))),
            ("ExternalId", "x".repeat(257)),
        ] {
            let (status, body) = v2
                .post(
                    search(format),
                    Some("application/json"),
                    &json!({ member: value }).to_string(),
                )
                .await;
            assert_eq!(status, 400, "{member} of {}: {body}", value.len());
            assert_error(format, &body, "ValidationException");
            assert!(body.contains(member), "{body}");
            assert!(body.contains("256"), "{body}");
        }
        // In the query string too.
        let (status, body) = v2
            .get(v2.url(
                "/api/v2/user/search",
                format,
                &format!("Name={}", "n".repeat(257)),
            ))
            .await;
        assert_eq!(status, 400, "{body}");
        assert_error(format, &body, "ValidationException");
        assert!(body.contains("Name"), "{body}");
    }
    // 256 is still a term, and `_` and `%` match only themselves.
    for term in ["_".repeat(256), "%".repeat(256), "_".into(), "%".into()] {
        let (status, body) = v2
            .get(v2.url(
                "/api/v2/user/search",
                "json",
                &format!("Name={}", term.replace('%', "%25")),
            ))
            .await;
        assert_eq!(status, 200, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["TotalRows"], 0, "{term}: {body}");
    }
    let (status, body) = v2
        .get(v2.url("/api/v2/user/search", "json", "Name=idate"))
        .await;
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["TotalRows"], 1, "{body}");
}

backend_tests!(search_terms_over_256_characters_are_refused);
