//! `POST /api/v2/user` in XML, namespaced as a .NET client writes it or plain.

use rosetta_testkit::{backend_tests, Backend};
use serde_json::{json, Value};

use crate::datacontract::*;
use crate::support::*;

async fn xml_create_reads_back_in_both_formats(backend: Backend) {
    let v2 = V2::new(backend).await;
    // DataContract as a .NET client writes it, members out of order, no Content-Type.
    let namespaced = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<User xmlns:i="{NS_I}" xmlns="{NS_TYPES}">
  <Groups xmlns:d3p1="{NS_ARRAYS}"><d3p1:guid>{GROUP_A}</d3p1:guid></Groups>
  <LastName>Smith</LastName>
  <FirstName>Ann</FirstName>
  <ExternalId i:nil="true"/>
  <Email>ann@example.com</Email>
  <Folders xmlns:d3p1="{NS_ARRAYS}"><d3p1:guid>{FOLDER}</d3p1:guid><d3p1:guid>{GROUP_B}</d3p1:guid></Folders>
  <DoNotEmail>true</DoNotEmail>
  <UserDevices><UserDevice><OS>Android</OS><Id>a-1</Id></UserDevice></UserDevices>
</User>"#
    );
    let (status, body) = v2
        .post(v2.url("/api/v2/user", "xml", ""), None, &namespaced)
        .await;
    assert_eq!(status, 200, "{body}");
    let root = parse_xml(&body);
    let created = xml_user_as_json(root.child("User"));
    assert_eq!(created["Status"], "Pending", "no password: pending");
    assert_eq!(created["Folders"], json!([FOLDER, GROUP_B]));
    assert_eq!(created["Groups"], json!([GROUP_A]));
    assert!(root.child("User").child("ExternalId").is_nil());
    let id = created["Id"].as_str().unwrap().to_owned();

    // Plain XML, no namespaces, with a Content-Type.
    let plain = "<User><Email>bo@example.com</Email><FirstName>Bo</FirstName>\
                 <LastName>Li</LastName><Password>pw12</Password><DoNotEmail>1</DoNotEmail>\
                 <Folders/></User>";
    let (status, body) = v2
        .post(
            v2.url("/api/v2/user", "json", ""),
            Some("text/xml; charset=utf-8"),
            plain,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let bo: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(bo["User"]["Status"], "Active");
    assert_eq!(bo["User"]["Folders"], json!([]));

    // Both formats read the XML-created user the same.
    let (_, json_body) = v2
        .get(v2.url("/api/v2/user", "json", &format!("Id={id}")))
        .await;
    let read: Value = serde_json::from_str(&json_body).unwrap();
    assert_eq!(read["User"], created);
    let (_, xml_body) = v2
        .get(v2.url("/api/v2/user", "xml", &format!("Id={id}")))
        .await;
    assert_eq!(
        xml_user_as_json(parse_xml(&xml_body).child("User")),
        created
    );
    assert_eq!(read["User"]["Id"], id.as_str());
}

backend_tests!(xml_create_reads_back_in_both_formats);
