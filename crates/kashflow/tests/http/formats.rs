//! XML in and out, negotiated by `Content-Type` and `Accept`.

use reqwest::Method;
use rosetta_testkit::{backend_tests, Backend};

use crate::support::*;

async fn xml_formats(backend: Backend) {
    let app = spawn_app(backend).await;
    let kf = Kf::new(&app);
    fixture(&app).await;

    // The login in XML.
    let r = kf
        .xml(
            Method::POST,
            "/sessiontoken",
            None,
            Some(&format!(
                "<Login><UserName>admin</UserName><Password>{ADMIN_PW}</Password></Login>"
            )),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    snap_xml("xml_temporary_token", &r);
    let temp = between(&r.text, "<TemporaryToken>", "</TemporaryToken>");
    let positions: Vec<usize> = r
        .text
        .split("<Position>")
        .skip(1)
        .map(|s| s[..s.find('<').unwrap()].parse().unwrap())
        .collect();
    assert_eq!(positions.len(), 3);
    let word: Vec<char> = ADMIN_WORD.chars().collect();
    let items: String = positions
        .iter()
        .map(|&p| {
            format!(
                "<MemorableWord><Position>{p}</Position><Value>{}</Value></MemorableWord>",
                word[p - 1]
            )
        })
        .collect();
    let r = kf
        .xml(
            Method::PUT,
            "/sessiontoken",
            None,
            Some(&format!(
                "<?xml version=\"1.0\"?><Login><TemporaryToken>{temp}</TemporaryToken><MemorableWordList>{items}</MemorableWordList></Login>"
            )),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    snap_xml("xml_session_token", &r);
    let token = between(&r.text, "<SessionToken>", "</SessionToken>");

    // Reads.
    let r = kf.xml(Method::GET, "/users", Some(&token), None).await;
    assert_eq!(r.status, 200);
    assert!(r
        .text
        .contains("<ArrayOfUser><User><Email>swati_garg05@rediff.com</Email>"));
    snap_xml("xml_list_users", &r);
    let r = kf.xml(Method::GET, "/users/2", Some(&token), None).await;
    snap_xml("xml_get_user", &r);
    let r = kf
        .send(
            Method::GET,
            "/users/2",
            Some(&token),
            &[("Accept", "text/xml")],
            None,
        )
        .await;
    assert!(r.content_type.starts_with("text/xml"));
    assert!(r
        .text
        .contains("<RoleName>Invoices &amp; Customers (read only)</RoleName>"));

    // A create in XML, answered in XML.
    let body = "<User xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"><Email>jsmith@example.com</Email><FullName>John &amp; Smith</FullName><Password>letmein</Password><RoleNumber>2</RoleNumber><Username>jsmith</Username><MemorableWord>aaaaa</MemorableWord><Number i:nil=\"true\"/></User>";
    let r = kf
        .xml(Method::POST, "/users", Some(&token), Some(body))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.location.as_deref(), Some("/kashflow/users/3"));
    snap_xml("xml_post_user_created", &r);
    // An XML body answered in JSON (no Accept).
    let r = kf
        .send(
            Method::PUT,
            "/users/3",
            Some(&token),
            &[("Content-Type", "text/xml; charset=utf-8")],
            Some(b"<User><Number>3</Number><Email>jsmith@example.com</Email><FullName>John Smith</FullName><RoleNumber>6</RoleNumber><Username>jsmith</Username><UserAccountDisabled>true</UserAccountDisabled></User>".to_vec()),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["RoleName"], "Full Access");
    assert_eq!(r.json()["UserAccountDisabled"], true);

    // Errors in XML when XML was asked.
    let r = kf.xml(Method::GET, "/users/999", Some(&token), None).await;
    assert_eq!(r.status, 404);
    snap_xml("xml_error_not_found", &r);
    let r = kf.xml(Method::GET, "/users", Some("nope"), None).await;
    assert_eq!(r.status, 401);
    snap_xml("xml_error_invalid_session_token", &r);
    let r = kf
        .xml(
            Method::POST,
            "/users",
            Some(&token),
            Some("<User><FullName>x</User>"),
        )
        .await;
    assert_eq!(r.status, 400);
    snap_xml("xml_error_malformed", &r);
    assert_eq!(
        kf.get("/users", &token)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

fn between(text: &str, open: &str, close: &str) -> String {
    let start = text.find(open).unwrap() + open.len();
    let end = start + text[start..].find(close).unwrap();
    text[start..end].to_owned()
}

backend_tests!(xml_formats);
