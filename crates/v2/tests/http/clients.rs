//! What real ServiceStack clients need (issue 16): DateTime members never nil in XML, the
//! `.NET` create body, `jsconfig` casing and dates, UTF-16 bodies, and the answer's format by
//! parameter, extension, Accept, else JSON.

use reqwest::Method;
use rosetta_testkit::{backend_tests, Backend};
use serde_json::{json, Value};

use crate::datacontract::*;
use crate::support::*;

impl V2 {
    /// A v2 URL with the credentials and `extra`, and no `format`.
    pub fn bare(&self, path: &str, extra: &str) -> String {
        let mut u = self.app.url(&format!(
            "{path}?CompanyId={}&IntegrationKey={}",
            self.tenant.0, self.key
        ));
        if !extra.is_empty() {
            u.push('&');
            u.push_str(extra);
        }
        u
    }

    /// Sends raw bytes; answers (status, content type, body).
    async fn raw(
        &self,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> (u16, String, String) {
        let path = url.strip_prefix(&self.app.client.base).unwrap();
        let r = self.app.client.call(method, path, headers, body).await;
        (r.status, r.content_type, r.text)
    }
}

/// The create body a .NET client's `DataContractSerializer` writes for a `User` it filled in
/// part of: every member, alphabetical, defaults and nils included.
fn dotnet_user(email: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-16"?><User xmlns:i="{NS_I}" xmlns="{NS_TYPES}"><CompanyId>0</CompanyId><CreatedDate>0001-01-01T00:00:00</CreatedDate><DoNotEmail>true</DoNotEmail><Email>{email}</Email><ExternalId i:nil="true" /><FirstName>Zoë</FirstName><Folders xmlns:d2p1="{NS_ARRAYS}"><d2p1:guid>{FOLDER}</d2p1:guid></Folders><Groups xmlns:d2p1="{NS_ARRAYS}" /><Id>00000000-0000-0000-0000-000000000000</Id><IntegrationKey i:nil="true" /><LastActivity>0001-01-01T00:00:00</LastActivity><LastName>Bloggs</LastName><LastUpdated>0001-01-01T00:00:00</LastUpdated><Password>s3cret</Password><ResetPassword>false</ResetPassword><Status i:nil="true" /><UserDevices><UserDevice><AppVersion i:nil="true" /><Id>d-1</Id><LastUsed>0001-01-01T00:00:00</LastUsed><Name i:nil="true" /><OS i:nil="true" /></UserDevice></UserDevices><WebsiteRole i:nil="true" /></User>"#
    )
}

async fn dates_are_never_nil_in_xml(backend: Backend) {
    let v2 = V2::new(backend).await;
    // A user who never signed in, with a device never used: both dates unknown.
    let mut body = full_user_json("nodate@example.com");
    body["UserDevices"] = json!([{"Id": "dev-9", "Name": "tablet"}]);
    let (status, created) = v2.post_json(&body).await;
    assert_eq!(status, 200, "{created}");
    let created: Value = serde_json::from_str(&created).unwrap();
    assert!(
        created["User"].get("LastActivity").is_none(),
        "JSON omits it"
    );
    let id = created["User"]["Id"].as_str().unwrap().to_owned();
    let (status, body) = v2
        .get(v2.url("/api/v2/user", "xml", &format!("Id={id}")))
        .await;
    assert_eq!(status, 200, "{body}");
    let user = parse_xml(&body).child("User").clone();
    assert_eq!(user.child("LastActivity").text, NO_DATE, "{body}");
    assert!(!user.child("LastActivity").is_nil());
    let device = user.child("UserDevices").child("UserDevice");
    assert_eq!(device.child("LastUsed").text, NO_DATE, "{body}");
    assert!(!body.contains(r#"<LastActivity i:nil"#), "{body}");
    let (_, body) = v2
        .get(v2.url("/api/v2/user/search", "xml", "Email=nodate@example.com"))
        .await;
    let found = parse_xml(&body).child("Users").child("User").clone();
    assert_eq!(found.child("LastActivity").text, NO_DATE, "{body}");
}

async fn a_dotnet_user_body_creates(backend: Backend) {
    let v2 = V2::new(backend).await;
    // Empty-GUID Id, 0001 dates, nil Status and IntegrationKey, CompanyId 0: all ignored.
    let (status, body) = v2
        .post(
            v2.url("/api/v2/user", "json", ""),
            Some("application/xml"),
            &dotnet_user("dotnet@example.com"),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let u: Value = serde_json::from_str(&body).unwrap();
    let u = &u["User"];
    assert_eq!(u["Status"], "Active");
    assert_eq!(u["FirstName"], "Zoë");
    assert_eq!(u["CompanyId"], v2.tenant.0);
    assert_ne!(u["Id"], "00000000-0000-0000-0000-000000000000");
    assert!(u["CreatedDate"].as_str().unwrap().starts_with("20"), "{u}");
    assert!(u.get("LastActivity").is_none(), "{u}");
    assert_eq!(
        u["UserDevices"],
        json!([{"Id": "d-1"}]),
        "LastUsed 0001 is none"
    );
    assert_eq!(u["Folders"], json!([FOLDER]));
    assert_eq!(u["Groups"], json!([]));
}

async fn jsconfig_cases_members_and_dates(backend: Backend) {
    let v2 = V2::new(backend).await;
    let (_, created) = v2.post_json(&full_user_json("case@example.com")).await;
    let id = serde_json::from_str::<Value>(&created).unwrap()["User"]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let get = |jsconfig: &str| {
        v2.get(v2.url(
            "/api/v2/user",
            "json",
            &format!("Id={id}&jsconfig={jsconfig}"),
        ))
    };

    let (status, body) = get("EmitCamelCaseNames%3Atrue").await;
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["user"]["firstName"], "Jo", "{body}");
    assert_eq!(v["user"]["userDevices"][0]["os"], "iOS 17", "{body}");
    assert_eq!(
        v["user"]["userDevices"][0]["lastUsed"],
        "2026-11-23T10:15:00Z"
    );
    assert!(
        body.starts_with(r#"{"user":{"id":""#),
        "member order kept: {body}"
    );
    assert!(!body.contains("FirstName"), "{body}");

    let (_, body) = get("TextCase:SnakeCase").await;
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["user"]["first_name"], "Jo", "{body}");
    assert_eq!(
        v["user"]["user_devices"][0]["app_version"], "5.2.1",
        "{body}"
    );

    // DataContractJsonSerializer's dates: `\/Date(ms)\/`, slashes escaped.
    let (_, body) = get("DateHandler:DCJSCompatible").await;
    assert!(
        body.contains(r#""LastUsed":"\/Date(1795428900000)\/""#),
        "{body}"
    );
    let v: Value = serde_json::from_str(&body).unwrap();
    assert!(v["User"]["CreatedDate"]
        .as_str()
        .unwrap()
        .starts_with("/Date("));
    assert_eq!(v["User"]["FirstName"], "Jo");

    // Errors too: what the TypeScript and Python clients read.
    let (status, body) = v2
        .post(
            v2.url("/api/v2/user", "json", "jsconfig=EmitCamelCaseNames:true"),
            Some("application/json"),
            r#"{"email":"x@example.com"}"#,
        )
        .await;
    assert_eq!(status, 400, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    let rs = &v["responseStatus"];
    assert_eq!(rs["errorCode"], "ValidationException", "{body}");
    assert!(rs["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(rs["errors"][0]["fieldName"], "FirstName", "{body}");
    assert_eq!(rs["errors"][1]["fieldName"], "LastName", "{body}");
    let (status, body) = v2
        .get(v2.app.url(&format!(
            "/api/v2/user/search?CompanyId={}&IntegrationKey=nope&Name=jo&jsconfig=TextCase:SnakeCase",
            v2.tenant.0
        )))
        .await;
    assert_eq!(status, 401);
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["response_status"]["error_code"], "Unauthorized", "{body}");
    assert_eq!(v["total_rows"], 0, "{body}");

    // A value it cannot read is refused, in the envelope.
    let (status, body) = get("DateHandler:Someday").await;
    assert_eq!(status, 400, "{body}");
    assert_error("json", &body, "ValidationException");
    assert!(body.contains("jsconfig"), "{body}");

    // Bodies in camelCase and snake_case are read.
    for (body, email) in [
        (
            r#"{"firstName":"Cam","lastName":"El","email":"camel@example.com","doNotEmail":true}"#,
            "camel@example.com",
        ),
        (
            r#"{"first_name":"Sna","last_name":"Ke","email":"snake@example.com","do_not_email":true}"#,
            "snake@example.com",
        ),
    ] {
        let (status, answer) = v2
            .post(
                v2.url("/api/v2/user", "json", ""),
                Some("application/json"),
                body,
            )
            .await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(
            serde_json::from_str::<Value>(&answer).unwrap()["User"]["Email"],
            email
        );
    }
    assert!(v2.app.emails().await.is_empty(), "DoNotEmail was read");
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

async fn utf16_bodies_are_read(backend: Backend) {
    let v2 = V2::new(backend).await;
    let url = v2.url("/api/v2/user", "json", "");
    let with_bom = |mut bom: Vec<u8>, rest: Vec<u8>| {
        bom.extend(rest);
        bom
    };
    let cases: [(&str, Option<&str>, Vec<u8>); 4] = [
        // What `new StringContent(xml, Encoding.Unicode, "application/xml")` sends.
        (
            "u16-nobom@example.com",
            Some("application/xml; charset=utf-16"),
            utf16le(&dotnet_user("u16-nobom@example.com")),
        ),
        (
            "u16-bom@example.com",
            Some("application/xml"),
            with_bom(
                vec![0xFF, 0xFE],
                utf16le(&dotnet_user("u16-bom@example.com")),
            ),
        ),
        (
            "u16-be@example.com",
            None,
            with_bom(
                vec![0xFE, 0xFF],
                dotnet_user("u16-be@example.com")
                    .encode_utf16()
                    .flat_map(u16::to_be_bytes)
                    .collect(),
            ),
        ),
        (
            "u16-plain@example.com",
            Some("text/xml"),
            utf16le(&dotnet_user("u16-plain@example.com")),
        ),
    ];
    for (email, ct, body) in cases {
        let headers: Vec<(&str, &str)> = ct.map(|c| ("Content-Type", c)).into_iter().collect();
        let (status, _, answer) = v2.raw(Method::POST, &url, &headers, Some(body)).await;
        assert_eq!(status, 200, "{email}: {answer}");
        let u: Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(u["User"]["Email"], email);
        assert_eq!(u["User"]["FirstName"], "Zoë", "decoded, not mangled");
    }
    // UTF-16 that does not decode: 400 in the envelope, nothing created.
    let before = v2.count().await;
    let mut broken = utf16le(&dotnet_user("broken@example.com"));
    broken.pop();
    let (status, _, answer) = v2
        .raw(
            Method::POST,
            &url,
            &[("Content-Type", "application/xml; charset=utf-16")],
            Some(broken),
        )
        .await;
    assert_eq!(status, 400, "{answer}");
    assert_error("json", &answer, "SerializationException");
    assert_eq!(v2.count().await, before);
}

async fn format_by_parameter_extension_accept_else_json(backend: Backend) {
    let v2 = V2::new(backend).await;
    let (_, created) = v2.post_json(&full_user_json("fmt@example.com")).await;
    let id = serde_json::from_str::<Value>(&created).unwrap()["User"]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let q = format!("Id={id}");
    let json_ct = "application/json; charset=utf-8";
    let xml_ct = "application/xml; charset=utf-8";
    for (path, extra, accept, want) in [
        ("/api/v2/user", q.clone(), None, json_ct),
        ("/api/v2/user", q.clone(), Some("*/*"), json_ct),
        ("/api/v2/user", q.clone(), Some("application/xml"), xml_ct),
        (
            "/api/v2/user",
            q.clone(),
            Some("text/xml, application/json;q=0.5"),
            xml_ct,
        ),
        (
            "/api/v2/user",
            q.clone(),
            Some("application/xml;q=0.4, application/json"),
            json_ct,
        ),
        ("/api/v2/user", q.clone(), Some("text/html"), json_ct),
        (
            "/api/v2/user.json",
            q.clone(),
            Some("application/xml"),
            json_ct,
        ),
        ("/api/v2/user.xml", q.clone(), None, xml_ct),
        ("/api/v2/user.json", format!("{q}&format=xml"), None, xml_ct),
        (
            "/api/v2/user",
            format!("{q}&format=json"),
            Some("application/xml"),
            json_ct,
        ),
        (
            "/api/v2/user/search.json",
            "Name=jo".to_owned(),
            None,
            json_ct,
        ),
        (
            "/api/v2/user/search.xml",
            "Name=jo".to_owned(),
            None,
            xml_ct,
        ),
    ] {
        let headers: Vec<(&str, &str)> = accept.map(|a| ("Accept", a)).into_iter().collect();
        let (status, ct, body) = v2
            .raw(Method::GET, &v2.bare(path, &extra), &headers, None)
            .await;
        assert_eq!(status, 200, "{path} {extra} {accept:?}: {body}");
        assert_eq!(ct, want, "{path} {extra} {accept:?}");
        if want == xml_ct {
            parse_xml(&body);
        } else {
            serde_json::from_str::<Value>(&body).unwrap();
        }
    }
    // Errors follow the same rule, in the path's envelope.
    let (status, ct, body) = v2
        .raw(
            Method::GET,
            &v2.bare("/api/v2/user.xml", "Id=not-a-guid"),
            &[],
            None,
        )
        .await;
    assert_eq!((status, ct.as_str()), (400, xml_ct));
    assert_error("xml", &body, "ValidationException");
    let (status, ct, body) = v2
        .raw(
            Method::GET,
            &v2.bare("/api/v2/user/search", "Name=jo&PageSize=251"),
            &[],
            None,
        )
        .await;
    assert_eq!((status, ct.as_str()), (400, json_ct));
    assert_error("json", &body, "ValidationException");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["TotalRows"],
        0
    );
    // A format that is neither: 400, in the format the rest of the request implies.
    let (status, ct, body) = v2
        .raw(
            Method::GET,
            &v2.bare("/api/v2/user", &format!("{q}&format=csv")),
            &[],
            None,
        )
        .await;
    assert_eq!((status, ct.as_str()), (400, json_ct));
    assert_error("json", &body, "ValidationException");
    // Create and delete by the extension path.
    let (status, ct, body) = v2
        .raw(
            Method::POST,
            &v2.bare("/api/v2/user.json", ""),
            &[("Content-Type", "application/json")],
            Some(br#"{"FirstName":"Ex","LastName":"Ten","Email":"ext@example.com"}"#.to_vec()),
        )
        .await;
    assert_eq!((status, ct.as_str()), (200, json_ct), "{body}");
    let ext = serde_json::from_str::<Value>(&body).unwrap()["User"]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, ct, body) = v2
        .raw(
            Method::DELETE,
            &v2.bare("/api/v2/user.xml", &format!("Id={ext}")),
            &[],
            None,
        )
        .await;
    assert_eq!((status, ct.as_str()), (200, xml_ct), "{body}");
    assert_eq!(
        parse_xml(&body).child("User").child("Email").text,
        "ext@example.com"
    );
    let (status, ct, _) = v2
        .raw(Method::PUT, &v2.bare("/api/v2/user.xml", ""), &[], None)
        .await;
    assert_eq!((status, ct.as_str()), (405, xml_ct));
}

backend_tests!(
    dates_are_never_nil_in_xml,
    a_dotnet_user_body_creates,
    jsconfig_cases_members_and_dates,
    utf16_bodies_are_read,
    format_by_parameter_extension_accept_else_json,
);
