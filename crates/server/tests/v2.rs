#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The v2 dialect over HTTP, on a real gateway and database: JSON and DataContract XML.

use quick_xml::events::Event;
use quick_xml::Reader;
use regex::Regex;
use rosetta_testkit::rosetta_core::{
    Actor, CreateUserRequest, Cursor, NameInput, NewUser, Onboarding, Status, TenantId, UserFilter,
    UserKey,
};
use rosetta_testkit::{backend_tests, spawn_app, Backend, TestApp};
use serde_json::{json, Value};

const NS_I: &str = "http://www.w3.org/2001/XMLSchema-instance";
const NS_TYPES: &str = "http://schemas.servicestack.net/types";
const NS_ARRAYS: &str = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";
const FOLDER: &str = "6f9619ff-8b86-d011-b42d-00c04fc964ff";
const GROUP_A: &str = "0b5e5f37-2f4c-4c55-9d6e-2f0d2b7c1a10";
const GROUP_B: &str = "c3a1e4f2-9d8b-4a6f-8e2d-7b1c0a9f5e33";

struct V2 {
    app: TestApp,
    tenant: TenantId,
    key: String,
}

impl V2 {
    async fn new(backend: Backend) -> Self {
        let app = spawn_app(backend).await;
        let (tenant, key) = app.tenant("Acme Forms").await;
        Self { app, tenant, key }
    }

    /// A v2 URL with format and credentials, plus `extra` (already encoded).
    fn url(&self, path: &str, format: &str, extra: &str) -> String {
        let mut u = self.app.url(&format!(
            "{path}?format={format}&CompanyId={}&IntegrationKey={}",
            self.tenant.0, self.key
        ));
        if !extra.is_empty() {
            u.push('&');
            u.push_str(extra);
        }
        u
    }

    async fn get(&self, url: String) -> (u16, String) {
        let r = self.app.client.get(url).send().await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    async fn delete(&self, url: String) -> (u16, String) {
        let r = self.app.client.delete(url).send().await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    async fn post(&self, url: String, content_type: Option<&str>, body: &str) -> (u16, String) {
        let mut req = self.app.client.post(url).body(body.to_owned());
        if let Some(ct) = content_type {
            req = req.header("Content-Type", ct);
        }
        let r = req.send().await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    async fn post_json(&self, body: &Value) -> (u16, String) {
        self.post(
            self.url("/api/v2/user", "json", ""),
            Some("application/json"),
            &body.to_string(),
        )
        .await
    }

    /// The Ids of one JSON search page.
    async fn page_ids(&self, extra: &str) -> Vec<String> {
        let (status, body) = self
            .get(self.url("/api/v2/user/search", "json", extra))
            .await;
        assert_eq!(status, 200, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        v["Users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["Id"].as_str().unwrap().to_owned())
            .collect()
    }

    /// How many users the tenant has, read straight from the directory.
    async fn count(&self) -> u64 {
        self.app
            .directory
            .list_users(
                &Actor::cli(self.tenant),
                &UserFilter::all(),
                Cursor::Start,
                1,
            )
            .await
            .unwrap()
            .total
    }

    /// A user made directly in the directory (fast set-up for searches).
    async fn seed(&self, first: &str, last: &str, email: &str) {
        let mut new = NewUser::new(
            email,
            NameInput::Parts {
                first: first.into(),
                last: last.into(),
            },
        );
        new.status = Status::Active;
        self.app
            .directory
            .create_user(
                &Actor::cli(self.tenant),
                CreateUserRequest {
                    user: new,
                    onboarding: Onboarding::Plain,
                },
            )
            .await
            .unwrap();
    }
}

// ----- reading XML answers ------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn child(&self, name: &str) -> &Node {
        self.children
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("{} has no {name}: {self:?}", self.name))
    }

    fn names(&self) -> Vec<&str> {
        self.children.iter().map(|c| c.name.as_str()).collect()
    }

    fn is_nil(&self) -> bool {
        self.attr("i:nil") == Some("true")
    }
}

/// Parses an answer with quick-xml (so it is well-formed) into a tree, and checks the
/// declaration the spec asks for.
fn parse_xml(body: &str) -> Node {
    assert!(
        body.starts_with(r#"<?xml version="1.0" encoding="utf-8"?>"#),
        "no XML declaration: {body}"
    );
    let mut reader = Reader::from_str(body);
    let mut stack: Vec<Node> = Vec::new();
    let mut root = None;
    let node = |e: &quick_xml::events::BytesStart<'_>| Node {
        name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                (
                    String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                    a.unescape_value().unwrap().into_owned(),
                )
            })
            .collect(),
        children: Vec::new(),
        text: String::new(),
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => stack.push(node(&e)),
            Event::Empty(e) => {
                let n = node(&e);
                match stack.last_mut() {
                    Some(p) => p.children.push(n),
                    None => root = Some(n),
                }
            }
            Event::Text(t) => {
                let t = t.unescape().unwrap();
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t);
                } else {
                    assert!(t.trim().is_empty(), "text outside the root");
                }
            }
            Event::End(_) => {
                let n = stack.pop().unwrap();
                match stack.last_mut() {
                    Some(p) => p.children.push(n),
                    None => root = Some(n),
                }
            }
            Event::Eof => break,
            Event::Decl(_) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(stack.is_empty());
    let root = root.expect("a root element");
    check_datacontract(&root);
    root
}

const LISTS: &[(&str, &str)] = &[
    ("Users", "User"),
    ("UserDevices", "UserDevice"),
    ("DeletedUsers", "DeletedUser"),
    ("Errors", "ResponseError"),
    ("Folders", "d3p1:guid"),
    ("Groups", "d3p1:guid"),
];

/// The spec's XML rules: root namespaces, members in ordinal order within each type, lists of
/// items named after their type, GUID lists in the Arrays namespace, nil only on empty
/// elements.
fn check_datacontract(root: &Node) {
    assert_eq!(
        root.attrs,
        vec![
            ("xmlns:i".to_owned(), NS_I.to_owned()),
            ("xmlns".to_owned(), NS_TYPES.to_owned())
        ],
        "root namespaces"
    );
    fn walk(n: &Node) {
        if n.is_nil() {
            assert!(n.children.is_empty() && n.text.is_empty(), "{n:?}");
            assert_eq!(n.attrs.len(), 1, "{n:?}");
        }
        if let Some((_, item)) = LISTS.iter().find(|(list, _)| *list == n.name) {
            if n.name == "Folders" || n.name == "Groups" {
                assert_eq!(n.attr("xmlns:d3p1"), Some(NS_ARRAYS), "{n:?}");
            }
            for c in &n.children {
                assert_eq!(c.name, *item, "items of {}", n.name);
            }
        } else if !n.children.is_empty() {
            let names = n.names();
            let mut sorted = names.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(names, sorted, "members of {} in ordinal order", n.name);
        }
        for c in &n.children {
            walk(c);
        }
    }
    walk(root);
}

/// A `<User>` element as the JSON object the same user is in JSON (nil members omitted).
fn xml_user_as_json(u: &Node) -> Value {
    let mut map = serde_json::Map::new();
    for c in &u.children {
        if c.is_nil() {
            continue;
        }
        let v = match c.name.as_str() {
            "CompanyId" => json!(c.text.parse::<i64>().unwrap()),
            "Folders" | "Groups" => Value::Array(
                c.children
                    .iter()
                    .map(|g| Value::String(g.text.clone()))
                    .collect(),
            ),
            "UserDevices" => Value::Array(
                c.children
                    .iter()
                    .map(|d| {
                        let mut m = serde_json::Map::new();
                        for f in &d.children {
                            if !f.is_nil() {
                                m.insert(f.name.clone(), Value::String(f.text.clone()));
                            }
                        }
                        Value::Object(m)
                    })
                    .collect(),
            ),
            _ => Value::String(c.text.clone()),
        };
        map.insert(c.name.clone(), v);
    }
    Value::Object(map)
}

fn redact(body: &str) -> String {
    let guid = Regex::new(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").unwrap();
    let date = Regex::new(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").unwrap();
    let body = guid.replace_all(body, "[guid]");
    date.replace_all(&body, "[date]").into_owned()
}

/// An error answer in either format: ResponseStatus with ErrorCode and Message, no trace.
fn assert_error(format: &str, body: &str, code: &str) {
    assert!(!body.contains("StackTrace"), "{body}");
    assert!(
        !body.contains("panicked") && !body.contains(".rs:"),
        "{body}"
    );
    if format == "json" {
        let v: Value = serde_json::from_str(body).unwrap();
        let rs = &v["ResponseStatus"];
        assert_eq!(rs["ErrorCode"], code, "{body}");
        assert!(
            rs["Message"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}"
        );
        assert!(rs["Errors"].is_array(), "{body}");
        assert!(
            v.get("User").is_none() && v.get("Users").is_none(),
            "{body}"
        );
    } else {
        let root = parse_xml(body);
        let rs = root.child("ResponseStatus");
        assert_eq!(rs.names(), ["ErrorCode", "Errors", "Message"], "{body}");
        assert_eq!(rs.child("ErrorCode").text, code, "{body}");
        assert!(!rs.child("Message").text.is_empty(), "{body}");
        let payload = if root.name == "UserResponse" {
            "User"
        } else {
            "Users"
        };
        assert!(root.child(payload).is_nil(), "{body}");
    }
}

fn full_user_json(email: &str) -> Value {
    json!({
        "FirstName": "Jo",
        "LastName": "O'Brien & Sons <ltd>",
        "Email": email,
        "ExternalId": "SAP-0042",
        "WebsiteRole": "Admin",
        "Folders": [FOLDER],
        "Groups": [GROUP_B, GROUP_A],
        "UserDevices": [
            {"Id": "dev-1", "Name": "Jo's phone", "OS": "iOS 17", "AppVersion": "5.2.1", "LastUsed": "2026-11-23T10:15:00Z"},
            {"Id": "dev-2"}
        ],
        "Password": "s3cret",
        "DoNotEmail": true
    })
}

// ----- tests --------------------------------------------------------------------------------

async fn json_create_reads_back_in_both_formats(backend: Backend) {
    let v2 = V2::new(backend).await;
    let (status, body) = v2.post_json(&full_user_json("jo@example.com")).await;
    assert_eq!(status, 200, "{body}");
    insta::assert_snapshot!("json_user_response", redact(&body));
    let created: Value = serde_json::from_str(&body).unwrap();
    assert!(
        created.get("ResponseStatus").is_none(),
        "omitted on success"
    );
    let user = &created["User"];
    let id = user["Id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 36);
    assert_eq!(id, id.to_lowercase());
    assert_eq!(user["Status"], "Active");
    assert_eq!(user["CompanyId"], v2.tenant.0);
    assert_eq!(user["Folders"], json!([FOLDER]));
    assert_eq!(user["Groups"], json!([GROUP_B, GROUP_A]), "order kept");
    assert!(user.get("Password").is_none() && user.get("DoNotEmail").is_none());
    assert!(user.get("LastActivity").is_none(), "null omitted");
    assert_eq!(user["UserDevices"][0]["LastUsed"], "2026-11-23T10:15:00Z");

    // JSON read-back by each key.
    for extra in [
        format!("Id={id}"),
        format!("id={}", id.to_uppercase()),
        "Email=JO@example.com".to_owned(),
        "ExternalId=SAP-0042".to_owned(),
    ] {
        let (status, body) = v2.get(v2.url("/api/v2/user", "json", &extra)).await;
        assert_eq!(status, 200, "{extra}: {body}");
        let read: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(&read["User"], user, "{extra}");
    }

    // XML read-back: the same values, in DataContract shape.
    let (status, body) = v2
        .get(v2.url("/api/v2/user", "xml", &format!("Id={id}")))
        .await;
    assert_eq!(status, 200, "{body}");
    insta::assert_snapshot!("xml_user_response", redact(&body));
    let root = parse_xml(&body);
    assert_eq!(root.name, "UserResponse");
    assert_eq!(root.names(), ["ResponseStatus", "User"]);
    let rs = root.child("ResponseStatus");
    assert!(
        rs.children.is_empty() && rs.attrs.is_empty(),
        "empty on success"
    );
    let x = root.child("User");
    assert_eq!(
        x.names(),
        [
            "CompanyId",
            "CreatedDate",
            "Email",
            "ExternalId",
            "FirstName",
            "Folders",
            "Groups",
            "Id",
            "LastActivity",
            "LastName",
            "LastUpdated",
            "Status",
            "UserDevices",
            "WebsiteRole"
        ]
    );
    assert!(x.child("LastActivity").is_nil(), "null is i:nil");
    assert_eq!(x.child("LastName").text, "O'Brien & Sons <ltd>");
    assert!(
        body.contains("O'Brien &amp; Sons &lt;ltd&gt;"),
        "escaped: {body}"
    );
    let dev = &x.child("UserDevices").children[1];
    assert_eq!(dev.names(), ["AppVersion", "Id", "LastUsed", "Name", "OS"]);
    assert!(dev.child("Name").is_nil());
    assert_eq!(&xml_user_as_json(x), user);

    // Id is stable across reads.
    let (_, again) = v2
        .get(v2.url("/api/v2/user", "json", "Email=jo@example.com"))
        .await;
    let again: Value = serde_json::from_str(&again).unwrap();
    assert_eq!(again["User"]["Id"], id.as_str());
}

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

        // A CompanyId in the body that is not the key's.
        let mut mismatched = full_user_json("new@example.com");
        mismatched["CompanyId"] = json!(other_tenant.0);
        let (status, body) = v2
            .post(
                v2.url("/api/v2/user", format, ""),
                Some("application/json"),
                &mismatched.to_string(),
            )
            .await;
        assert_eq!(status, 401, "{body}");

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
        let r = v2
            .app
            .client
            .put(v2.url("/api/v2/user", format, ""))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 405);
        assert_error(format, &r.text().await.unwrap(), "MethodNotAllowed");
    }

    // Without a usable format: 400, in XML unless the client accepts JSON.
    let (status, body) = v2
        .get(v2.app.url(&format!(
            "/api/v2/user?CompanyId={}&IntegrationKey={}&Id={id}",
            v2.tenant.0, v2.key
        )))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_error("xml", &body, "ValidationException");
    let r = v2
        .app
        .client
        .get(v2.url("/api/v2/user", "csv", &format!("Id={id}")))
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert_error("json", &r.text().await.unwrap(), "ValidationException");

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
    assert!(v2.app.emails().is_empty(), "{:?}", v2.app.emails());
}

fn uuid_like() -> String {
    "3f2504e0-4f89-41d3-9a0c-0305e82c3301".into()
}

async fn key_and_company_in_the_body(backend: Backend) {
    let v2 = V2::new(backend).await;
    let url = v2.app.url("/api/v2/user?format=json");
    let body = format!(
        "<User><CompanyId>{}</CompanyId><IntegrationKey>{}</IntegrationKey>\
         <FirstName>Kay</FirstName><LastName>Body</LastName><Email>kay@example.com</Email>\
         <DoNotEmail>true</DoNotEmail></User>",
        v2.tenant.0, v2.key
    );
    let (status, answer) = v2.post(url.clone(), Some("application/xml"), &body).await;
    assert_eq!(status, 200, "{answer}");
    assert!(!answer.contains(&v2.key), "the key is never echoed");
    let wrong = body.replace(&v2.key, "nope");
    let (status, answer) = v2.post(url, Some("application/xml"), &wrong).await;
    assert_eq!(status, 401, "{answer}");
    let search = v2.app.url("/api/v2/user/search?format=json");
    let (status, answer) = v2
        .post(
            search,
            Some("application/json"),
            &json!({"CompanyId": v2.tenant.0, "IntegrationKey": v2.key, "Name": "kay"}).to_string(),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        serde_json::from_str::<Value>(&answer).unwrap()["TotalRows"],
        1
    );
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

async fn emails_follow_do_not_email(backend: Backend) {
    let v2 = V2::new(backend).await;
    let base = |email: &str| json!({"FirstName": "Pat", "LastName": "Jones", "Email": email});
    // DoNotEmail true: nothing, with or without a password.
    let mut quiet = base("quiet@example.com");
    quiet["DoNotEmail"] = json!(true);
    assert_eq!(v2.post_json(&quiet).await.0, 200);
    let mut quiet2 = base("quiet2@example.com");
    quiet2["DoNotEmail"] = json!(true);
    quiet2["Password"] = json!("pw12");
    assert_eq!(v2.post_json(&quiet2).await.0, 200);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(v2.app.emails().is_empty(), "{:?}", v2.app.emails());

    // Pending (no password), DoNotEmail false: the activation email with its ticket.
    let (status, body) = v2.post_json(&base("pat@example.com")).await;
    assert_eq!(status, 200, "{body}");
    let emails = v2.app.wait_for_emails(1).await;
    assert_eq!(emails.len(), 1, "{emails:?}");
    assert_eq!(emails[0].to, "pat@example.com");
    assert_eq!(emails[0].subject, "Activate your Acme Forms account");
    assert!(
        emails[0].body.contains("Hello Pat Jones"),
        "{}",
        emails[0].body
    );
    let ticket = emails[0].ticket().unwrap();
    assert!(v2.app.directory.ticket_valid(&ticket).await.unwrap());

    // Active (password), DoNotEmail false (by default): a welcome.
    let mut active = base("welcome@example.com");
    active["Password"] = json!("pw12");
    assert_eq!(v2.post_json(&active).await.0, 200);
    let emails = v2.app.wait_for_emails(2).await;
    assert_eq!(emails.len(), 2, "{emails:?}");
    let welcome = emails
        .iter()
        .find(|e| e.to == "welcome@example.com")
        .unwrap();
    assert_eq!(welcome.subject, "Welcome to Acme Forms");
    assert!(welcome.ticket().is_none(), "{welcome:?}");

    // ResetPassword: active but expired, with a ticket and the activation email.
    let mut reset = base("reset@example.com");
    reset["Password"] = json!("old-pw");
    reset["ResetPassword"] = json!(true);
    let (status, body) = v2.post_json(&reset).await;
    assert_eq!(status, 200, "{body}");
    let emails = v2.app.wait_for_emails(3).await;
    let mail = emails.iter().find(|e| e.to == "reset@example.com").unwrap();
    assert!(mail.subject.starts_with("Activate"), "{mail:?}");
    let user = v2
        .app
        .directory
        .get_user(
            &Actor::cli(v2.tenant),
            UserKey::Email("reset@example.com".into()),
        )
        .await
        .unwrap();
    assert!(user.password_expired);
    assert!(v2
        .app
        .directory
        .ticket_valid(&mail.ticket().unwrap())
        .await
        .unwrap());

    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(v2.app.emails().len(), 3, "nothing for the DoNotEmail users");
}

backend_tests!(
    json_create_reads_back_in_both_formats,
    xml_create_reads_back_in_both_formats,
    parameter_names_in_any_case,
    search_pages_tile_the_result,
    search_shapes_for_snapshots,
    search_parameters_are_checked,
    refused_calls_change_nothing,
    tenants_do_not_see_each_other,
    key_and_company_in_the_body,
    emails_follow_do_not_email,
);
