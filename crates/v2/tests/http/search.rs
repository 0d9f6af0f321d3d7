//! `GET`/`POST /api/v2/user/search`: pages that tile the result, the answers' shapes (deleted
//! users included), and the parameters checked.

use rosetta_testkit::rosetta_core::{Actor, Cursor, UserFilter, UserKey};
use rosetta_testkit::{backend_tests, Backend};
use serde_json::Value;

use crate::datacontract::*;
use crate::support::*;

async fn search_pages_tile_the_result(backend: Backend) {
    let v2 = V2::new(backend).await;
    for i in 0..12 {
        v2.seed(
            "Tiler",
            &format!("Number{i:02}"),
            &format!("t{i}@example.com"),
        )
        .await;
        v2.seed(
            "Other",
            &format!("Person{i:02}"),
            &format!("o{i}@example.com"),
        )
        .await;
    }
    // Walk pages of 5, creating matching users between requests: every user seen once.
    let mut seen: Vec<String> = Vec::new();
    let mut page_no = 0;
    let mut seeded = 0;
    loop {
        let (status, body) = v2
            .get(v2.url(
                "/api/v2/user/search",
                "json",
                &format!("Name=TILER&PageSize=5&PageNo={page_no}"),
            ))
            .await;
        assert_eq!(status, 200, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        let expected_total = 12 + seeded;
        assert_eq!(v["TotalRows"], expected_total, "page {page_no}: {body}");
        assert_eq!(v["PageNo"], page_no);
        assert_eq!(v["PageSize"], 5);
        let users = v["Users"].as_array().unwrap();
        for u in users {
            let name = format!("{} {}", u["FirstName"], u["LastName"]);
            assert!(name.contains("Tiler"), "{name}");
            seen.push(u["Id"].as_str().unwrap().to_owned());
        }
        if users.len() < 5 {
            break;
        }
        if page_no < 3 {
            // Two per page, so the walk outruns them and still ends.
            for n in 0..2 {
                v2.seed(
                    "Late",
                    &format!("Tiler{page_no}-{n}"),
                    &format!("late{page_no}-{n}@example.com"),
                )
                .await;
                seeded += 1;
            }
        }
        page_no += 1;
        assert!(page_no < 10, "the walk ends");
    }
    let all = v2
        .app
        .directory
        .list_users(
            &Actor::cli(v2.tenant),
            &UserFilter {
                name_contains: Some("tiler".into()),
                ..UserFilter::all()
            },
            Cursor::Start,
            1000,
        )
        .await
        .unwrap();
    let expected: Vec<String> = all.users.iter().map(|u| u.uuid.to_string()).collect();
    assert_eq!(expected.len(), 18);
    assert_eq!(page_no, 3, "pages 0..=2 full, page 3 short");
    assert_eq!(seen, expected, "no duplicate, no gap, ordered by id");

    // A page asked for directly (no walk led to it) is the same page.
    let (_, body) = v2
        .get(v2.url(
            "/api/v2/user/search",
            "json",
            "Name=tiler&PageSize=4&PageNo=2",
        ))
        .await;
    let v: Value = serde_json::from_str(&body).unwrap();
    let direct: Vec<&str> = v["Users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["Id"].as_str().unwrap())
        .collect();
    assert_eq!(
        direct,
        expected[8..12]
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );

    // POST with an XML body pages the same way; the XML envelope has its members in order.
    let (status, body) = v2
        .post(
            v2.url("/api/v2/user/search", "xml", ""),
            Some("application/xml"),
            "<UserSearch><PageSize>5</PageSize><Name>tiler</Name><PageNo>1</PageNo></UserSearch>",
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let root = parse_xml(&body);
    assert_eq!(
        root.names(),
        [
            "DeletedUsers",
            "PageNo",
            "PageSize",
            "ResponseStatus",
            "TotalRows",
            "Users"
        ]
    );
    assert!(root.child("DeletedUsers").is_nil());
    assert_eq!(root.child("TotalRows").text, "18");
    let ids: Vec<&str> = root
        .child("Users")
        .children
        .iter()
        .map(|u| u.child("Id").text.as_str())
        .collect();
    assert_eq!(
        ids,
        expected[5..10]
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );

    // JSON body, exact Email (any case), Status filter, page past the end.
    let (status, body) = v2
        .post(
            v2.url("/api/v2/user/search", "json", ""),
            Some("application/json"),
            r#"{"Email":"T3@EXAMPLE.COM","Status":"Active"}"#,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["TotalRows"], 1);
    assert_eq!(v["PageSize"], 100, "default page size");
    assert_eq!(v["Users"][0]["Email"], "t3@example.com");
    let (_, body) = v2
        .get(v2.url("/api/v2/user/search", "json", "Name=tiler&Status=Pending"))
        .await;
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["TotalRows"],
        0
    );
    let (_, body) = v2
        .get(v2.url("/api/v2/user/search", "xml", "Name=tiler&PageNo=99"))
        .await;
    let root = parse_xml(&body);
    assert!(root.child("Users").children.is_empty());
    assert_eq!(root.child("TotalRows").text, "18");

    // Several requests for the same deep page at once: one finds where it starts, the others
    // wait for it and seek; all answer the same rows.
    let q = "Name=tiler&PageSize=3&PageNo=4";
    let (a, b, c, d) = tokio::join!(
        v2.page_ids(q),
        v2.page_ids(q),
        v2.page_ids(q),
        v2.page_ids(q)
    );
    for page in [a, b, c, d] {
        assert_eq!(page, expected[12..15]);
    }

    // A user deleted between pages does not shift the next page (PageNo is answered from
    // the keyset the previous page left): page 1 starts right after page 0's last user.
    let first = v2.page_ids("Name=tiler&PageSize=3&PageNo=0").await;
    assert_eq!(first, expected[..3]);
    let (status, _) = v2
        .delete(v2.url("/api/v2/user", "json", &format!("Id={}", first[0])))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        v2.page_ids("Name=tiler&PageSize=3&PageNo=1").await,
        expected[3..6],
        "no gap after a delete"
    );
    // The page asked for directly above was read one row early and remembered where it starts:
    // asked again after that delete, it is still the same page, where OFFSET alone would now
    // start one user later.
    assert_eq!(
        v2.page_ids("Name=tiler&PageSize=4&PageNo=2").await,
        expected[8..12],
        "a deep page asked for again seeks from its own boundary"
    );
}

async fn search_shapes_for_snapshots(backend: Backend) {
    let v2 = V2::new(backend).await;
    let (_, body) = v2.post_json(&full_user_json("snap@example.com")).await;
    let id = serde_json::from_str::<Value>(&body).unwrap()["User"]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    v2.seed("Gone", "Soon", "gone@example.com").await;
    let gone = v2
        .app
        .directory
        .get_user(
            &Actor::cli(v2.tenant),
            UserKey::Email("gone@example.com".into()),
        )
        .await
        .unwrap();
    let (status, body) = v2
        .delete(v2.url("/api/v2/user", "json", &format!("Id={}", gone.uuid)))
        .await;
    assert_eq!(status, 200, "{body}");
    insta::assert_snapshot!("json_delete_response", redact(&body));
    let (status, _) = v2
        .get(v2.url("/api/v2/user", "json", &format!("Id={}", gone.uuid)))
        .await;
    assert_eq!(status, 404, "deleted");

    for format in ["json", "xml"] {
        let (status, body) = v2
            .get(v2.url(
                "/api/v2/user/search",
                format,
                "Name=jo&IncludeDeletedUserAudits=true",
            ))
            .await;
        assert_eq!(status, 200, "{body}");
        insta::assert_snapshot!(format!("{format}_search_with_deleted"), redact(&body));
        let (status, plain) = v2
            .get(v2.url("/api/v2/user/search", format, "ExternalId=SAP-0042"))
            .await;
        assert_eq!(status, 200, "{plain}");
        insta::assert_snapshot!(format!("{format}_search_response"), redact(&plain));
        if format == "json" {
            let v: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(v["Users"][0]["Id"], id.as_str());
            let d = &v["DeletedUsers"][0];
            assert_eq!(d["Id"], gone.uuid.to_string());
            assert_eq!(d["Email"], "gone@example.com");
            assert_eq!(d["DeletedBy"], "v2:integration-key");
            assert!(d["DeletedDate"].as_str().unwrap().ends_with('Z'));
            let v: Value = serde_json::from_str(&plain).unwrap();
            assert!(v.get("DeletedUsers").is_none(), "only when asked for");
            assert!(v.get("ResponseStatus").is_none());
        } else {
            let root = parse_xml(&body);
            let d = &root.child("DeletedUsers").children[0];
            assert_eq!(d.names(), ["DeletedBy", "DeletedDate", "Email", "Id"]);
            assert_eq!(d.child("Id").text, gone.uuid.to_string());
            let root = parse_xml(&plain);
            assert!(root.child("ResponseStatus").children.is_empty());
        }
    }
    let (status, body) = v2
        .delete(v2.url("/api/v2/user", "xml", &format!("Id={id}")))
        .await;
    assert_eq!(status, 200, "{body}");
    insta::assert_snapshot!("xml_delete_response", redact(&body));
    parse_xml(&body);
}

async fn search_parameters_are_checked(backend: Backend) {
    let v2 = V2::new(backend).await;
    v2.seed("Val", "Idate", "val@example.com").await;
    for format in ["json", "xml"] {
        for (extra, field) in [
            ("Name=val&PageSize=0", "PageSize"),
            ("Name=val&PageSize=251", "PageSize"),
            ("Name=val&PageSize=ten", "PageSize"),
            ("Name=val&PageNo=-1", "PageNo"),
            ("Name=val&Status=Gone", "Status"),
            ("Status=Active", "Name"),
            ("", "Name"),
            ("Name=&Email=", "Name"),
        ] {
            let (status, body) = v2.get(v2.url("/api/v2/user/search", format, extra)).await;
            assert_eq!(status, 400, "{extra}: {body}");
            assert_error(format, &body, "ValidationException");
            assert!(body.contains(field), "{extra}: {body}");
        }
        let (status, body) = v2
            .get(v2.url("/api/v2/user/search", format, "PageSize=0"))
            .await;
        assert_eq!(status, 400);
        insta::assert_snapshot!(format!("{format}_search_error"), redact(&body));
        let (status, _) = v2
            .get(v2.url("/api/v2/user/search", format, "Name=val&PageSize=250"))
            .await;
        assert_eq!(status, 200);
        let (status, _) = v2
            .get(v2.url("/api/v2/user/search", format, "Name=val&PageSize=1"))
            .await;
        assert_eq!(status, 200);
    }
}

backend_tests!(
    search_pages_tile_the_result,
    search_shapes_for_snapshots,
    search_parameters_are_checked,
);
