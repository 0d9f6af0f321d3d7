//! `POST /api/v2/user` in JSON: what is created reads back by every key, in both formats; the
//! credentials may come in the body; `DoNotEmail` decides the activation email.

use rosetta_testkit::rosetta_core::{Actor, UserKey};
use rosetta_testkit::{backend_tests, Backend};
use serde_json::{json, Value};

use crate::datacontract::*;
use crate::support::*;

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
    // A DateTime is never nil (v2.md): an unknown one is DateTime.MinValue.
    assert_eq!(x.child("LastActivity").text, NO_DATE);
    assert_eq!(x.child("LastName").text, "O'Brien & Sons <ltd>");
    assert!(
        body.contains("O'Brien &amp; Sons &lt;ltd&gt;"),
        "escaped: {body}"
    );
    let dev = &x.child("UserDevices").children[1];
    assert_eq!(dev.names(), ["AppVersion", "Id", "LastUsed", "Name", "OS"]);
    assert!(dev.child("Name").is_nil());
    assert_eq!(dev.child("LastUsed").text, NO_DATE);
    assert_eq!(&xml_user_as_json(x), user);

    // Id is stable across reads.
    let (_, again) = v2
        .get(v2.url("/api/v2/user", "json", "Email=jo@example.com"))
        .await;
    let again: Value = serde_json::from_str(&again).unwrap();
    assert_eq!(again["User"]["Id"], id.as_str());
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
    assert!(
        v2.app.emails().await.is_empty(),
        "{:?}",
        v2.app.emails().await
    );

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
    assert_eq!(
        v2.app.emails().await.len(),
        3,
        "nothing for the DoNotEmail users"
    );
}

/// v2.md: the query's CompanyId is the one that counts. A .NET client serializes the `User` it
/// never gave a company as `<CompanyId>0</CompanyId>`; that body must not turn a good key into
/// a 401, for a create or a search (issue 16, defect 2).
async fn a_body_company_id_of_zero_is_ignored(backend: Backend) {
    let v2 = V2::new(backend).await;
    let body = "<User><CompanyId>0</CompanyId><FirstName>Zed</FirstName><LastName>Zero</LastName>\
                <Email>zed@example.com</Email><DoNotEmail>true</DoNotEmail></User>";
    let url = v2.url("/api/v2/user", "json", "");
    let (status, answer) = v2.post(url, Some("application/xml"), body).await;
    assert_eq!(status, 200, "{answer}");
    let created: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(created["User"]["CompanyId"], v2.tenant.0);
    let search = v2.url("/api/v2/user/search", "json", "");
    let (status, answer) = v2
        .post(
            search,
            Some("application/json"),
            &json!({"CompanyId": 0, "Name": "zed"}).to_string(),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        serde_json::from_str::<Value>(&answer).unwrap()["TotalRows"],
        1
    );
}

backend_tests!(
    json_create_reads_back_in_both_formats,
    key_and_company_in_the_body,
    emails_follow_do_not_email,
    a_body_company_id_of_zero_is_ignored,
);
