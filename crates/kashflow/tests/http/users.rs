//! `/users` and `/users/{number}` (alias `/user/{number}`): the seed's examples, refused
//! writes, tenants, and what the canonical directory holds.

use reqwest::Method;
use rosetta_testkit::rosetta_core::{Actor, Status, UserId, UserKey};
use rosetta_testkit::{backend_tests, Backend, Fixtures};
use serde_json::{json, Value};

use crate::support::*;

/// The seed's POST body, exactly as written (the address read as an ordinary one).
const SEED_POST: &str = r#"{
"Email": "jsmith@example.com",
"FullName": "John Smith",
"Password": "letmein",
"RoleNumber": 2,
"Username": "jsmith",
"MemorableWord": "aaaaa"
}"#;

/// The seed's PUT body, exactly as written.
const SEED_PUT: &str = r#"{
 "Number": 3,
 "Email": "jsmith@example.com",
 "FullName": "John SmithUpdated",
 "Password": "letmein",
 "RoleNumber": 2,
 "Username": "jsmith",
 "UserAccountDisabled": false
}"#;

async fn seed_examples(backend: Backend) {
    let app = spawn_app(backend).await;
    let kf = Kf::new(&app);
    let fx = fixture(&app).await;
    assert_eq!((fx.admin.id, fx.test_user.id), (UserId(1), UserId(2)));
    let token = kf.login("admin", ADMIN_PW, ADMIN_WORD).await;

    // GET of a user the seed lists, before anyone else logs in: exactly its members.
    let r = kf.get("/users/2", &token).await;
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("application/json"));
    assert_eq!(
        r.json(),
        json!({"Email": "test@test.com", "FullName": "TestUser", "UserAccountDisabled": false,
               "LastLogin": "Never", "NoOfLogins": 0, "RoleNumber": 11,
               "RoleName": "Invoices & Customers (read only)", "Number": 2, "Username": "TestUser"})
    );
    // Member order follows the seed.
    assert!(r.text.starts_with(r#"{"Email":"test@test.com","FullName":"TestUser","UserAccountDisabled":false,"LastLogin":"Never","NoOfLogins":0,"RoleNumber":11"#), "{}", r.text);
    snap("get_user", &r);

    // POST of the seed's example.
    let r = kf
        .send(
            Method::POST,
            "/users",
            Some(&token),
            &[("Content-Type", "application/json")],
            Some(SEED_POST.as_bytes().to_vec()),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.location.as_deref(), Some("/kashflow/users/3"));
    let created = json!({"Email": "jsmith@example.com", "FullName": "John Smith",
        "UserAccountDisabled": false, "LastLogin": "Never", "NoOfLogins": 0, "RoleNumber": 2,
        "RoleName": "Standard", "Number": 3, "Username": "jsmith"});
    assert_eq!(r.json(), created);
    snap("post_user_created", &r);

    // It reads back with the seed's GET members, under both spellings of the path.
    assert_eq!(kf.get("/users/3", &token).await.json(), created);
    assert_eq!(kf.get("/user/3", &token).await.json(), created);

    // The list: the seed's two users and the new one; the admin's own login shows.
    let r = kf.get("/users", &token).await;
    assert_eq!(r.status, 200);
    let list = r.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["Username"], "admin");
    assert_eq!(list[0]["FullName"], "rediff");
    assert_eq!(list[0]["RoleName"], "Full Access");
    assert_eq!(list[0]["NoOfLogins"], 1);
    assert_datetime(list[0]["LastLogin"].as_str().unwrap());
    assert_eq!(list[1]["LastLogin"], "Never");
    assert_eq!(list[2], created);
    snap("list_users", &r);

    // PUT of the seed's example, as written, to the number it names.
    let r = kf
        .send(
            Method::PUT,
            "/users/3",
            Some(&token),
            &[("Content-Type", "application/json")],
            Some(SEED_PUT.as_bytes().to_vec()),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mut updated = created.clone();
    updated["FullName"] = json!("John SmithUpdated");
    assert_eq!(r.json(), updated);
    snap("put_user", &r);
    assert_eq!(kf.get("/users/3", &token).await.json(), updated);

    // The created user logs in with the seed's password and memorable word.
    let jtoken = kf.login("jsmith", "letmein", "aaaaa").await;
    let me = kf.get("/users/3", &jtoken).await.json();
    assert_eq!(me["NoOfLogins"], 1);
    assert_datetime(me["LastLogin"].as_str().unwrap());

    // DELETE of the seed's example.
    let r = kf
        .send(Method::DELETE, "/users/3", Some(&token), &[], None)
        .await;
    assert_eq!(r.status, 204);
    assert!(r.text.is_empty());
    let r = kf.get("/users/3", &token).await;
    assert_eq!(r.error(), (404, "UserNotFound".into()));
    snap("error_user_not_found", &r);
    let r = kf
        .send(Method::DELETE, "/users/3", Some(&token), &[], None)
        .await;
    assert_eq!(r.error(), (404, "UserNotFound".into()));
    // The deleted user's session went with it.
    let r = kf.get("/users", &jtoken).await;
    assert_eq!(r.error(), (401, "InvalidSessionToken".into()));
}

fn valid_post() -> Value {
    json!({"Email": "jsmith@example.com", "FullName": "John Smith", "Password": "letmein",
           "RoleNumber": 2, "Username": "jsmith", "MemorableWord": "aaaaa"})
}

fn valid_put() -> Value {
    json!({"Number": 2, "Email": "test@test.com", "FullName": "Test User", "RoleNumber": 11,
           "Username": "TestUser"})
}

async fn bad_writes_change_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let kf = Kf::new(&app);
    fixture(&app).await;
    let token = kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
    let before = kf.get("/users", &token).await.text;
    let unchanged = || async { assert_eq!(kf.get("/users", &token).await.text, before) };

    // Each mandatory POST member missing in turn (absent, null, and blank).
    for member in [
        "FullName",
        "RoleNumber",
        "Email",
        "Username",
        "Password",
        "MemorableWord",
    ] {
        for blank in [None, Some(Value::Null), Some(json!(""))] {
            if member == "RoleNumber" && blank == Some(json!("")) {
                continue;
            }
            let mut body = valid_post();
            match &blank {
                None => {
                    body.as_object_mut().unwrap().remove(member);
                }
                Some(v) => body[member] = v.clone(),
            }
            let r = kf.json(Method::POST, "/users", Some(&token), &body).await;
            assert_eq!(
                r.error(),
                (400, "ValidationError".into()),
                "{member}: {}",
                r.text
            );
            assert_eq!(r.json()["Message"], format!("{member} is required."));
            if member == "FullName" && blank.is_none() {
                snap("error_validation_missing", &r);
            }
        }
    }
    unchanged().await;

    // Each mandatory PUT member missing in turn.
    for member in ["FullName", "RoleNumber", "Email", "Username", "Number"] {
        let mut body = valid_put();
        body.as_object_mut().unwrap().remove(member);
        let r = kf.json(Method::PUT, "/users/2", Some(&token), &body).await;
        assert_eq!(r.error(), (400, "ValidationError".into()), "{member}");
        assert_eq!(r.json()["Message"], format!("{member} is required."));
    }
    unchanged().await;

    let cases: Vec<(Method, &str, Value, &str)> = vec![
        (
            Method::PUT,
            "/users/2",
            {
                let mut b = valid_put();
                b["Number"] = json!(1);
                b
            },
            "Number",
        ),
        (
            Method::PUT,
            "/users/2",
            {
                let mut b = valid_put();
                b["RoleNumber"] = json!(99);
                b
            },
            "RoleNumber",
        ),
        (
            Method::POST,
            "/users",
            {
                let mut b = valid_post();
                b["RoleNumber"] = json!(99);
                b
            },
            "RoleNumber",
        ),
        (
            Method::POST,
            "/users",
            {
                let mut b = valid_post();
                b["RoleNumber"] = json!("six");
                b
            },
            "RoleNumber",
        ),
        (
            Method::POST,
            "/users",
            {
                let mut b = valid_post();
                b["Email"] = json!("not-an-email");
                b
            },
            "Email",
        ),
        (
            Method::PUT,
            "/users/2",
            {
                let mut b = valid_put();
                b["Email"] = json!("x@y");
                b
            },
            "Email",
        ),
        (
            Method::POST,
            "/users",
            {
                let mut b = valid_post();
                b["MemorableWord"] = json!("ab");
                b
            },
            "MemorableWord",
        ),
        (
            Method::PUT,
            "/users/2",
            {
                let mut b = valid_put();
                b["MemorableWord"] = json!("ab");
                b
            },
            "MemorableWord",
        ),
        (
            Method::PUT,
            "/users/2",
            {
                let mut b = valid_put();
                b["UserAccountDisabled"] = json!("maybe");
                b
            },
            "UserAccountDisabled",
        ),
        (Method::POST, "/users", json!([valid_post()]), "object"),
    ];
    for (method, path, body, member) in cases {
        let r = kf.json(method.clone(), path, Some(&token), &body).await;
        assert_eq!(
            r.error(),
            (400, "ValidationError".into()),
            "{member}: {}",
            r.text
        );
        assert!(
            r.json()["Message"].as_str().unwrap().contains(member),
            "{member}: {}",
            r.text
        );
        if member == "RoleNumber" && method == Method::POST && body["RoleNumber"] == 99 {
            snap("error_validation_role", &r);
        }
    }
    unchanged().await;

    // Duplicates in another letter case, on create and on update.
    let mut body = valid_post();
    body["Username"] = json!("testuser");
    let r = kf.json(Method::POST, "/users", Some(&token), &body).await;
    assert_eq!(r.error(), (409, "DuplicateUsername".into()));
    snap("error_duplicate_username", &r);
    let mut body = valid_post();
    body["Email"] = json!("TEST@Test.com");
    let r = kf.json(Method::POST, "/users", Some(&token), &body).await;
    assert_eq!(r.error(), (409, "DuplicateEmail".into()));
    snap("error_duplicate_email", &r);
    let mut body = valid_put();
    body["Username"] = json!("ADMIN");
    let r = kf.json(Method::PUT, "/users/2", Some(&token), &body).await;
    assert_eq!(r.error(), (409, "DuplicateUsername".into()));
    let mut body = valid_put();
    body["Email"] = json!("Swati_Garg05@REDIFF.com");
    let r = kf.json(Method::PUT, "/users/2", Some(&token), &body).await;
    assert_eq!(r.error(), (409, "DuplicateEmail".into()));
    unchanged().await;

    // Malformed JSON and XML, a DOCTYPE, an entity.
    let broken: Vec<(&str, &str)> = vec![
        ("application/json", r#"{"FullName": "John", "#),
        ("application/json", "not json"),
        ("application/xml", "<User><FullName>John</User>"),
        ("text/xml", "<User><FullName>John</FullName>"),
        (
            "application/xml",
            r#"<!DOCTYPE User [<!ENTITY x "y">]><User><FullName>&x;</FullName></User>"#,
        ),
        ("application/xml", "<User><FullName>&x;</FullName></User>"),
    ];
    for (ct, body) in broken {
        let r = kf
            .send(
                Method::POST,
                "/users",
                Some(&token),
                &[("Content-Type", ct)],
                Some(body.as_bytes().to_vec()),
            )
            .await;
        assert_eq!(r.error(), (400, "ValidationError".into()), "{body}");
        let r = kf
            .send(
                Method::PUT,
                "/users/2",
                Some(&token),
                &[("Content-Type", ct)],
                Some(body.as_bytes().to_vec()),
            )
            .await;
        assert_eq!(r.error(), (400, "ValidationError".into()), "{body}");
    }
    let r = kf
        .send(
            Method::POST,
            "/users",
            Some(&token),
            &[("Content-Type", "application/json")],
            Some(b"{".to_vec()),
        )
        .await;
    snap("error_malformed_json", &r);
    unchanged().await;

    // Oversize and unsupported bodies.
    let mut big = valid_post();
    big["FullName"] = json!("x".repeat(300_000));
    let r = kf.json(Method::POST, "/users", Some(&token), &big).await;
    assert_eq!(r.error(), (413, "RequestTooLarge".into()));
    snap("error_too_large", &r);
    let mut big = valid_put();
    big["FullName"] = json!("x".repeat(300_000));
    let r = kf.json(Method::PUT, "/users/2", Some(&token), &big).await;
    assert_eq!(r.error(), (413, "RequestTooLarge".into()));
    let r = kf
        .send(
            Method::POST,
            "/users",
            Some(&token),
            &[("Content-Type", "application/x-www-form-urlencoded")],
            Some(b"FullName=John".to_vec()),
        )
        .await;
    assert_eq!(r.error(), (415, "UnsupportedMediaType".into()));
    snap("error_unsupported_media_type", &r);
    unchanged().await;

    // A non-administrator may read but not write.
    let user_token = kf.login("TestUser", TEST_PW, TEST_WORD).await;
    let before = kf.get("/users", &token).await.text;
    assert_eq!(kf.get("/users/1", &user_token).await.status, 200);
    let r = kf
        .json(Method::POST, "/users", Some(&user_token), &valid_post())
        .await;
    assert_eq!(r.error(), (403, "Forbidden".into()));
    snap("error_forbidden", &r);
    let mut body = valid_put();
    body["RoleNumber"] = json!(6);
    let r = kf
        .json(Method::PUT, "/users/2", Some(&user_token), &body)
        .await;
    assert_eq!(r.error(), (403, "Forbidden".into()));
    let r = kf
        .send(Method::DELETE, "/users/1", Some(&user_token), &[], None)
        .await;
    assert_eq!(r.error(), (403, "Forbidden".into()));
    // An administrator may not delete itself (the tenant would lose its way in).
    let r = kf
        .send(Method::DELETE, "/users/1", Some(&token), &[], None)
        .await;
    assert_eq!(r.error(), (403, "Forbidden".into()));
    assert_eq!(kf.get("/users", &token).await.text, before);

    // PUT leaves the password and memorable word alone when they are not sent.
    let r = kf
        .json(Method::PUT, "/users/2", Some(&token), &valid_put())
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["FullName"], "Test User");
    kf.login("TestUser", TEST_PW, TEST_WORD).await;
    // ... and changes them when they are.
    let mut body = valid_put();
    body["Password"] = json!("Sup3r-Secret");
    body["MemorableWord"] = json!("zebracrossing");
    assert_eq!(
        kf.json(Method::PUT, "/user/2", Some(&token), &body)
            .await
            .status,
        200
    );
    assert_eq!(
        kf.start("TestUser", TEST_PW).await.error(),
        (401, "InvalidCredentials".into())
    );
    kf.login("TestUser", "Sup3r-Secret", "zebracrossing").await;
}

async fn other_tenant_is_invisible(backend: Backend) {
    let app = spawn_app(backend).await;
    let kf = Kf::new(&app);
    fixture(&app).await;
    let (other, _) = app.tenant("Other").await;
    let stranger = app
        .user_with(
            other,
            "stranger",
            "stranger@example.com",
            "Sup3r-Secret",
            |n| {
                n.memorable_word = Some("zebracrossing".into());
            },
        )
        .await;
    let token = kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
    let path = format!("/users/{}", stranger.id);
    let missing = kf.get("/users/999999", &token).await;
    let theirs = kf.get(&path, &token).await;
    assert_eq!(
        (theirs.status, &theirs.text),
        (missing.status, &missing.text)
    );
    assert_eq!(kf.get("/users/abc", &token).await.text, missing.text);
    let mut body = valid_put();
    body["Number"] = json!(stranger.id.0);
    let r = kf.json(Method::PUT, &path, Some(&token), &body).await;
    assert_eq!(r.error(), (404, "UserNotFound".into()));
    let r = kf
        .send(Method::DELETE, &path, Some(&token), &[], None)
        .await;
    assert_eq!(r.error(), (404, "UserNotFound".into()));
    let list = kf.get("/users", &token).await.json();
    assert!(!list.to_string().contains("stranger"));
    // The stranger is untouched and sees only its own tenant.
    let theirs = kf.login("stranger", "Sup3r-Secret", "zebracrossing").await;
    let list = kf.get("/users", &theirs).await.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["Email"], "stranger@example.com");
    assert_eq!(kf.get("/users/1", &theirs).await.text, missing.text);
}

async fn canonical_values(backend: Backend) {
    let app = spawn_app(backend).await;
    let kf = Kf::new(&app);
    let fx = fixture(&app).await;
    let token = kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
    let mut body = valid_post();
    body["FullName"] = json!("John Ronald Reuel Tolkien");
    body["RoleNumber"] = json!(11);
    let r = kf.json(Method::POST, "/users", Some(&token), &body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = UserId(r.json()["Number"].as_i64().unwrap());
    let cli = Actor::cli(fx.tenant);
    let u = app.directory.get_user(&cli, UserKey::Id(id)).await.unwrap();
    assert_eq!(u.tenant_id, fx.tenant);
    assert_eq!(u.names.full, "John Ronald Reuel Tolkien");
    assert_eq!(u.names.first, "John");
    assert_eq!(u.names.last, "Ronald Reuel Tolkien");
    assert_eq!(u.username.as_str(), "jsmith");
    assert_eq!(u.email.as_str(), "jsmith@example.com");
    assert_eq!(u.status, Status::Active);
    assert_eq!(u.role_number, 11);
    assert!(u.perms.is_empty());
    assert!(u.has_password && u.has_memorable_word);
    assert!(u.last_login_at.is_none());

    // Disabled and enabled again through UserAccountDisabled.
    let put = |disabled: bool| {
        json!({"Number": id.0, "Email": "jsmith@example.com", "FullName": "Solo", "RoleNumber": 6,
               "Username": "jsmith", "UserAccountDisabled": disabled})
    };
    assert_eq!(
        kf.json(
            Method::PUT,
            &format!("/users/{id}"),
            Some(&token),
            &put(true)
        )
        .await
        .status,
        200
    );
    let u = app.directory.get_user(&cli, UserKey::Id(id)).await.unwrap();
    assert_eq!(u.status, Status::Inactive);
    assert_eq!(
        (u.names.first.as_str(), u.names.last.as_str()),
        ("Solo", "")
    );
    assert_eq!(u.role_number, 6);
    assert_eq!(
        kf.json(
            Method::PUT,
            &format!("/users/{id}"),
            Some(&token),
            &put(false)
        )
        .await
        .status,
        200
    );
    let u = app.directory.get_user(&cli, UserKey::Id(id)).await.unwrap();
    assert_eq!(u.status, Status::Active);

    // A pending user made elsewhere shows as disabled; the role catalogue renames show here.
    let pending = app
        .user_with(
            fx.tenant,
            "pending",
            "pending@example.com",
            "Sup3r-Secret",
            |n| {
                n.status = Status::Pending;
            },
        )
        .await;
    let r = kf
        .get(&format!("/users/{}", pending.id), &token)
        .await
        .json();
    assert_eq!(r["UserAccountDisabled"], true);
    app.directory
        .set_role(
            fx.tenant,
            rosetta_testkit::rosetta_core::Role {
                number: 6,
                name: "Boss".into(),
                admin: true,
            },
        )
        .await
        .unwrap();
    assert_eq!(kf.get("/users/1", &token).await.json()["RoleName"], "Boss");
    // The gateway keeps the catalogue in memory; a change made by another process on the same
    // database (here a second directory, as `rosetta role set` would be) shows on the next call,
    // and so does an administrator role losing its rights.
    let other = app.reopen().await;
    other
        .set_role(
            fx.tenant,
            rosetta_testkit::rosetta_core::Role {
                number: 6,
                name: "Chief".into(),
                admin: false,
            },
        )
        .await
        .unwrap();
    assert_eq!(kf.get("/users/1", &token).await.json()["RoleName"], "Chief");
    let r = kf
        .send(
            Method::DELETE,
            &format!("/users/{}", pending.id),
            Some(&token),
            &[],
            None,
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.text);
    other
        .set_role(
            fx.tenant,
            rosetta_testkit::rosetta_core::Role {
                number: 6,
                name: "Boss".into(),
                admin: true,
            },
        )
        .await
        .unwrap();

    // The audit trail names this dialect.
    let r = kf
        .send(
            Method::DELETE,
            &format!("/users/{id}"),
            Some(&token),
            &[],
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    let audits = app.directory.deleted_audits(&cli, 10).await.unwrap();
    assert!(audits
        .iter()
        .any(|a| a.user_id == id && a.dialect == "kashflow" && a.actor == "user:1"));
}

backend_tests!(
    seed_examples,
    bad_writes_change_nothing,
    other_tenant_is_invisible,
    canonical_values,
);
