//! `GET /Users` and `POST /Users/.search`: paging, the equality filters identity providers
//! send (Entra ID's and Okta's existence check by `userName eq`), projection, and refusals.

use insta::assert_json_snapshot;
use rosetta_testkit::{backend_tests, Backend};
use serde_json::{json, Value};

use crate::support::*;

fn person(n: usize) -> Value {
    json!({"userName": format!("user{n}@example.com"), "externalId": format!("ext-{n}"),
        "name": {"givenName": "User", "familyName": format!("N{n}")}})
}

fn names(list: &Value) -> Vec<String> {
    list["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userName"].as_str().unwrap().to_owned())
        .collect()
}

async fn paging(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    for n in 1..=5 {
        scim.create_user(&person(n)).await;
    }
    let all = scim.get("/Users").await;
    assert_eq!(all.content_type, SCIM_JSON);
    let all = all.expect(200);
    assert_eq!(all["totalResults"], json!(5));
    assert_eq!(all["itemsPerPage"], json!(5));
    assert_eq!(all["startIndex"], json!(1));
    assert_eq!(names(&all).len(), 5);
    let page = scim.get("/Users?startIndex=2&count=2").await.expect(200);
    assert_eq!(names(&page), names(&all)[1..3].to_vec());
    assert_eq!(page["totalResults"], json!(5));
    assert_eq!(page["startIndex"], json!(2));
    let counted = scim.get("/Users?count=0").await.expect(200);
    assert_json_snapshot!("users_count_only", counted);
    // Below 1 is 1; a negative count is 0; past the end is an empty page.
    let low = scim.get("/Users?startIndex=0&count=1").await.expect(200);
    assert_eq!(names(&low), names(&all)[..1].to_vec());
    assert_eq!(
        scim.get("/Users?count=-3").await.expect(200)["itemsPerPage"],
        json!(0)
    );
    let past = scim.get("/Users?startIndex=9").await.expect(200);
    assert_eq!(past["Resources"], json!([]));
    let r = scim.get("/Users?count=many").await;
    assert_json_snapshot!(
        "users_bad_count",
        assert_error(&r, 400, Some("invalidValue"))
    );
}

async fn equality_filters(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let made: Vec<Value> = {
        let mut v = Vec::new();
        for n in 1..=3 {
            v.push(scim.create_user(&person(n)).await);
        }
        v
    };
    let id = made[1]["id"].as_str().unwrap();
    let filters = [
        // Entra ID's existence check, URL-encoded as it sends it; userName is caseExact false.
        "userName%20eq%20%22USER2%40example.com%22".to_owned(),
        "externalId eq \"ext-2\"".to_owned(),
        format!("id eq \"{id}\""),
        "emails.value eq \"user2@example.com\"".to_owned(),
        "emails[value eq \"user2@example.com\"]".to_owned(),
        "urn:ietf:params:scim:schemas:core:2.0:User:userName EQ \"user2@example.com\"".to_owned(),
    ];
    for f in filters {
        let r = scim.get(&format!("/Users?filter={f}")).await.expect(200);
        assert_eq!(names(&r), vec!["user2@example.com"], "{f}");
        assert_eq!(r["totalResults"], json!(1));
    }
    let found = scim
        .get("/Users?filter=userName eq \"user2@example.com\"&attributes=userName")
        .await
        .expect(200);
    assert_json_snapshot!("users_filtered", found, {".Resources[].id" => "[id]"});
    let none = scim
        .get("/Users?filter=userName eq \"nobody@example.com\"")
        .await
        .expect(200);
    assert_json_snapshot!("users_filtered_none", none);
    // externalId is caseExact.
    let none = scim
        .get("/Users?filter=externalId eq \"EXT-2\"")
        .await
        .expect(200);
    assert_eq!(none["totalResults"], json!(0));
    let none = scim.get("/Users?filter=id eq \"x\"").await.expect(200);
    assert_eq!(none["totalResults"], json!(0));

    // The same through a SearchRequest.
    let body = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": "userName eq \"user3@example.com\"", "attributes": ["userName"],
        "startIndex": 1, "count": 10});
    let r = scim.post("/Users/.search", &body).await.expect(200);
    assert_eq!(names(&r), vec!["user3@example.com"]);
    assert!(r["Resources"][0].get("emails").is_none());
    let r = scim
        .post("/Users/.search", &json!({"count": 2}))
        .await
        .expect(200);
    assert_eq!(r["totalResults"], json!(3));
    assert_eq!(r["itemsPerPage"], json!(2));
}

async fn filter_refusals(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let cases = [
        ("filter_syntax", "userName eq"),
        ("filter_unknown_attribute", "nickName eq \"x\""),
        ("filter_operator_type", "active gt true"),
    ];
    for (name, f) in cases {
        let r = scim.get(&format!("/Users?filter={f}")).await;
        assert_json_snapshot!(name, assert_error(&r, 400, Some("invalidFilter")));
    }
    let r = scim.post("/Users/.search", &json!({"filter": 5})).await;
    assert_error(&r, 400, Some("invalidFilter"));
}

async fn every_operator(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    for n in 1..=3 {
        scim.create_user(&person(n)).await;
    }
    let cases: &[(&str, &[&str])] = &[
        (
            "externalId ne \"ext-1\"",
            &["user2@example.com", "user3@example.com"],
        ),
        ("userName co \"ER2\"", &["user2@example.com"]),
        (
            "name.familyName sw \"N\"",
            &[
                "user1@example.com",
                "user2@example.com",
                "user3@example.com",
            ],
        ),
        ("emails.value ew \"3@example.com\"", &["user3@example.com"]),
        (
            "externalId pr",
            &[
                "user1@example.com",
                "user2@example.com",
                "user3@example.com",
            ],
        ),
        ("phoneNumbers pr", &[]),
        (
            "meta.created gt \"2000-01-01T00:00:00Z\"",
            &[
                "user1@example.com",
                "user2@example.com",
                "user3@example.com",
            ],
        ),
        (
            "meta.created ge \"2000-01-01T00:00:00Z\" and meta.created le \"2999-01-01T00:00:00Z\"",
            &[
                "user1@example.com",
                "user2@example.com",
                "user3@example.com",
            ],
        ),
        ("meta.lastModified lt \"2000-01-01T00:00:00Z\"", &[]),
        (
            "userName eq \"user1@example.com\" or userName eq \"user3@example.com\"",
            &["user1@example.com", "user3@example.com"],
        ),
        (
            "not (userName eq \"user1@example.com\")",
            &["user2@example.com", "user3@example.com"],
        ),
        (
            "name.familyName sw \"n\" and (externalId eq \"ext-3\" or externalId eq \"ext-9\")",
            &["user3@example.com"],
        ),
        ("emails[value co \"user2\"]", &["user2@example.com"]),
        (
            "emails[type eq \"work\" and value sw \"user1\"]",
            &["user1@example.com"],
        ),
        (
            "active eq true",
            &[
                "user1@example.com",
                "user2@example.com",
                "user3@example.com",
            ],
        ),
        (
            "roles.value eq \"2\"",
            &[
                "user1@example.com",
                "user2@example.com",
                "user3@example.com",
            ],
        ),
    ];
    for (f, want) in cases {
        let r = scim
            .get(&format!("/Users?filter={}", rosetta_testkit::enc(f)))
            .await;
        let body = r.expect(200);
        assert_eq!(names(&body), want.to_vec(), "{f}");
        assert_eq!(body["totalResults"], json!(want.len()), "{f}");
    }
    let sorted = scim
        .get("/Users?sortBy=userName&sortOrder=descending")
        .await
        .expect(200);
    assert_eq!(
        names(&sorted),
        vec![
            "user3@example.com",
            "user2@example.com",
            "user1@example.com"
        ]
    );
    let r = scim.get("/Users?sortBy=userName&sortOrder=sideways").await;
    assert_error(&r, 400, Some("invalidValue"));
}

backend_tests!(paging, equality_filters, filter_refusals, every_operator);
