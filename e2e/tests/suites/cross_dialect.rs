//! One person in every dialect. For each dialect as the writer: a user created with every
//! shared field reads the same (MAPPING.md) through the other three; a change through another
//! dialect shows everywhere at once; a delete through a third gives every dialect's own
//! not-found. Passwords and administrator rights are checked by using them, through other
//! dialects than the one that set them. Every answer is leak-scanned at the end.

use reqwest::Method;
use rosetta_e2e::TestGateway;
use rosetta_testkit::callers::{admin_clients, Clients, Keaz, Kf};
use rosetta_testkit::{backend_tests, enc, Backend};
use serde_json::{json, Value};

/// What MAPPING.md says every dialect must show of one person.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub(crate) id: i64,
    pub(crate) full: String,
    pub(crate) first: String,
    pub(crate) last: String,
    pub(crate) email: String,
    pub(crate) username: String,
    /// `active`, `pending` or `inactive`.
    pub(crate) status: &'static str,
    pub(crate) role: (i64, &'static str),
    pub(crate) perms: Vec<&'static str>,
    pub(crate) account: Option<i64>,
}

impl Person {
    pub(crate) fn named(&mut self, first: &str, last: &str) {
        self.first = first.into();
        self.last = last.into();
        self.full = format!("{first} {last}");
    }
}

fn capitalised(status: &str) -> String {
    let mut c = status.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Reads `p` through all four dialects, one by one and in their lists; gives the v2 `Id`.
pub(crate) async fn check_everywhere(c: &Clients, p: &Person) -> String {
    let ctx = format!("{p:?}");

    // kashflow
    let k = c.kf.user(p.id).await.expect(200);
    assert_eq!(k["Number"], p.id, "{ctx}");
    assert_eq!(k["FullName"], p.full, "{ctx}");
    assert_eq!(k["Email"], p.email, "{ctx}");
    assert_eq!(k["Username"], p.username, "{ctx}");
    assert_eq!(k["UserAccountDisabled"], p.status != "active", "{ctx}");
    assert_eq!(k["RoleNumber"], p.role.0, "{ctx}");
    assert_eq!(k["RoleName"], p.role.1, "{ctx}");
    let list = c.kf.get("/users").await.expect(200);
    let listed: Vec<&Value> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["Number"] == p.id)
        .collect();
    assert_eq!(listed, vec![&k], "kashflow list: {ctx}");

    // usr
    let u = c.usr.user(p.id).await.expect(200);
    assert_eq!(
        u,
        json!({"id": p.id, "contactName": p.full, "emailAddress": p.email,
               "defaultAccountId": p.account, "username": p.username,
               "active": i32::from(p.status == "active")}),
        "{ctx}"
    );
    if let Some(acc) = p.account {
        let list = c
            .usr
            .send(Method::GET, &format!("/pub/usr/acc/{acc}"), None)
            .await
            .expect(200);
        assert!(list.as_array().unwrap().contains(&u), "usr list: {ctx}");
    }

    // keaz
    let z = c.keaz.user(p.id).await.expect(200);
    assert_eq!(z["id"], p.id, "{ctx}");
    assert_eq!(z["name"], p.full, "{ctx}");
    assert_eq!(z["email"], p.email, "{ctx}");
    assert_eq!(z["status"], p.status, "{ctx}");
    assert_eq!(z["perms"], json!(p.perms), "{ctx}");
    assert_eq!(z["company_id"], c.v2.company, "{ctx}");
    let by_email = c
        .keaz
        .send(
            Method::GET,
            &format!("/user/byemail?email={}", enc(&p.email.to_uppercase())),
            None,
        )
        .await
        .expect(200);
    assert_eq!(by_email, z, "{ctx}");
    let (in_default, in_inactive) = (
        keaz_list_has(c, "/users", p.id).await,
        keaz_list_has(c, "/users?inactive", p.id).await,
    );
    assert_eq!(in_default, p.status != "inactive", "keaz /users: {ctx}");
    assert_eq!(
        in_inactive,
        p.status == "inactive",
        "keaz /users?inactive: {ctx}"
    );

    // v2
    let v = c.v2.by_email(&p.email).await.expect(200)["User"].clone();
    assert_eq!(v["FirstName"], p.first, "{ctx}");
    assert_eq!(v["LastName"], p.last, "{ctx}");
    assert_eq!(v["Email"], p.email, "{ctx}");
    assert_eq!(v["Status"], capitalised(p.status), "{ctx}");
    assert_eq!(v["CompanyId"], c.v2.company, "{ctx}");
    let uuid = v["Id"].as_str().unwrap().to_owned();
    assert_eq!(c.v2.by_id(&uuid).await.expect(200)["User"], v, "{ctx}");
    let found =
        c.v2.send(
            Method::GET,
            "/api/v2/user/search",
            &format!("Name={}", enc(&p.last.to_lowercase())),
            None,
        )
        .await
        .expect(200);
    assert!(
        found["Users"].as_array().unwrap().contains(&v),
        "v2 search: {ctx}: {found}"
    );
    uuid
}

async fn keaz_list_has(c: &Clients, path: &str, id: i64) -> bool {
    let list = c.keaz.send(Method::GET, path, None).await.expect(200);
    list.as_array().unwrap().iter().any(|u| u["id"] == id)
}

/// After a delete: every dialect answers its own not-found, and no list holds the user.
pub(crate) async fn gone_everywhere(c: &Clients, id: i64, uuid: &str, email: &str) {
    let r = c.kf.user(id).await;
    assert_eq!(r.expect(404)["Error"], "UserNotFound");
    let r = c.kf.send(Method::GET, &format!("/user/{id}"), None).await;
    assert_eq!(r.expect(404)["Error"], "UserNotFound");
    let r = c.usr.user(id).await;
    assert_eq!(r.expect(404)["error"]["code"], "not_found");
    let r = c.keaz.user(id).await;
    assert_eq!(r.expect(404)["error"], "not_found");
    let r = c
        .keaz
        .send(
            Method::GET,
            &format!("/user/byemail?email={}", enc(email)),
            None,
        )
        .await;
    assert_eq!(r.expect(404)["error"], "not_found");
    let r = c.v2.by_id(uuid).await;
    assert_eq!(r.expect(404)["ResponseStatus"]["ErrorCode"], "NotFound");
    let r = c.v2.by_email(email).await;
    assert_eq!(r.expect(404)["ResponseStatus"]["ErrorCode"], "NotFound");

    let list = c.kf.get("/users").await.expect(200);
    assert!(list.as_array().unwrap().iter().all(|u| u["Number"] != id));
    assert!(!keaz_list_has(c, "/users", id).await);
    assert!(!keaz_list_has(c, "/users?inactive", id).await);
    let found =
        c.v2.send(
            Method::GET,
            "/api/v2/user/search",
            &format!("Email={}", enc(email)),
            None,
        )
        .await
        .expect(200);
    assert_eq!(found["TotalRows"], 0, "{found}");
}

/// The number a user got, found by email through keaz (for users v2 made: v2 shows no id).
pub(crate) async fn id_of(c: &Clients, email: &str) -> i64 {
    let z = c
        .keaz
        .send(
            Method::GET,
            &format!("/user/byemail?email={}", enc(email)),
            None,
        )
        .await
        .expect(200);
    z["id"].as_i64().unwrap()
}

// ---------------------------------------------------------------------------------------------

/// kashflow writes (role 6, a memorable word); usr updates (and deactivates); keaz deletes.
async fn kashflow_writes(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let gw = app.client.clone();
    let (_, c) = admin_clients(&app, &gw, "Acme", "root", "root@acme.test").await;
    let pw = gw.secret("Kf-Wr1ter-pw");
    let word = gw.secret("quokkaish");

    let created =
        c.kf.send(
            Method::POST,
            "/users",
            Some(
                &json!({"Email": "kf.writer@acme.test", "FullName": "Karl Friedrich Gauss",
                         "Password": pw, "RoleNumber": 6, "Username": "kgauss",
                         "MemorableWord": word}),
            ),
        )
        .await
        .expect(201);
    let mut p = Person {
        id: created["Number"].as_i64().unwrap(),
        full: "Karl Friedrich Gauss".into(),
        first: "Karl".into(),
        last: "Friedrich Gauss".into(),
        email: "kf.writer@acme.test".into(),
        username: "kgauss".into(),
        status: "active",
        role: (6, "Full Access"),
        perms: vec![],
        account: None,
    };
    check_everywhere(&c, &p).await;

    // Password, memorable word and administrator rights, used through two dialects.
    let step1 = Kf::start(&gw, "kgauss", &pw).await.expect(200);
    assert_eq!(step1["IsAdmin"], true);
    Kf::login(&gw, "kgauss", &pw, &word).await;
    let as_karl = Keaz::login(&gw, &p.email, &pw).await;
    as_karl
        .send(
            Method::PUT,
            &format!("/user/{}", p.id),
            Some(&json!({"contact_number": "0123 456"})),
        )
        .await
        .expect(200);

    // usr renames, re-addresses and deactivates.
    c.usr
        .send(
            Method::POST,
            &format!("/usr/{}", p.id),
            Some(
                &json!({"contactName": "Carl Gauss", "emailAddress": "carl.gauss@acme.test",
                         "username": "cgauss", "active": 0}),
            ),
        )
        .await
        .expect(200);
    p.named("Carl", "Gauss");
    p.email = "carl.gauss@acme.test".into();
    p.username = "cgauss".into();
    p.status = "inactive";
    let uuid = check_everywhere(&c, &p).await;
    let r = Kf::start(&gw, "cgauss", &pw).await;
    assert_eq!(
        r.expect(401)["Error"],
        "InvalidCredentials",
        "inactive: no login"
    );
    assert_eq!(Keaz::try_login(&gw, &p.email, &pw).await.status, 401);

    // keaz deletes.
    let r = c
        .keaz
        .send(Method::DELETE, &format!("/user/{}", p.id), None)
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    gone_everywhere(&c, p.id, &uuid, &p.email).await;

    // Username and email are free again.
    c.kf.send(
        Method::POST,
        "/users",
        Some(
            &json!({"Email": "carl.gauss@acme.test", "FullName": "Carl Again",
                     "Password": pw, "RoleNumber": 2, "Username": "cgauss",
                     "MemorableWord": word}),
        ),
    )
    .await
    .expect(201);
    gw.assert_no_leaks();
}

/// usr writes (an account id, a password); keaz updates (name, email, perms, inactive); v2
/// deletes.
async fn usr_writes(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let gw = app.client.clone();
    let (_, c) = admin_clients(&app, &gw, "Acme", "root", "root@acme.test").await;
    let pw = gw.secret("Usr-Wr1ter-pw");

    let created = c
        .usr
        .send(
            Method::POST,
            "/usr/new",
            Some(&json!({"contactName": "Ulla Maria Svensson",
                         "emailAddress": "usr.writer@acme.test", "defaultAccountId": 42,
                         "username": "usvensson", "password": pw})),
        )
        .await
        .expect(201);
    let mut p = Person {
        id: created["id"].as_i64().unwrap(),
        full: "Ulla Maria Svensson".into(),
        first: "Ulla".into(),
        last: "Maria Svensson".into(),
        email: "usr.writer@acme.test".into(),
        username: "usvensson".into(),
        status: "active",
        role: (2, "Standard"),
        perms: vec![],
        account: Some(42),
    };
    check_everywhere(&c, &p).await;

    // The password works in kashflow (no memorable word: an empty list) and keaz; role 2
    // without perms is no administrator anywhere.
    let step1 = Kf::start(&gw, "usvensson", &pw).await.expect(200);
    assert_eq!(step1["IsAdmin"], false);
    assert_eq!(step1["MemorableWordList"], json!([]));
    Kf::login(&gw, "usvensson", &pw, "").await;
    let as_ulla = Keaz::login(&gw, &p.email, &pw).await;
    let r = as_ulla
        .send(
            Method::PUT,
            &format!("/user/{}", p.id),
            Some(&json!({"name": "Mallory"})),
        )
        .await;
    assert_eq!(r.expect(403)["error"], "forbidden");

    // keaz renames, re-addresses, grants admin and deactivates in one PUT.
    let z = c
        .keaz
        .send(
            Method::PUT,
            &format!("/user/{}", p.id),
            Some(
                &json!({"name": "Ulla Svensson Berg", "email": "ulla@acme.test",
                         "perms": ["admin"], "status": "inactive"}),
            ),
        )
        .await
        .expect(200);
    assert_eq!(z["status"], "inactive");
    p.named("Ulla", "Svensson Berg");
    p.email = "ulla@acme.test".into();
    p.perms = vec!["admin"];
    p.status = "inactive";
    check_everywhere(&c, &p).await;

    // Back to active through keaz: the granted perm makes her an administrator in kashflow.
    c.keaz
        .send(
            Method::PUT,
            &format!("/user/{}", p.id),
            Some(&json!({"status": "active"})),
        )
        .await
        .expect(200);
    p.status = "active";
    let uuid = check_everywhere(&c, &p).await;
    let step1 = Kf::start(&gw, "usvensson", &pw).await.expect(200);
    assert_eq!(step1["IsAdmin"], true);

    // v2 deletes, answering the user as it was.
    let v =
        c.v2.send(Method::DELETE, "/api/v2/user", &format!("Id={uuid}"), None)
            .await
            .expect(200);
    assert_eq!(v["User"]["Email"], "ulla@acme.test");
    gone_everywhere(&c, p.id, &uuid, &p.email).await;
    let list = c
        .usr
        .send(Method::GET, "/pub/usr/acc/42", None)
        .await
        .expect(200);
    assert_eq!(list, json!([]));
    let r = Keaz::try_login(&gw, &p.email, &pw).await;
    assert_eq!(r.status, 401);
    gw.assert_no_leaks();
}

/// keaz writes a pending user (perms, a profile member); activation through the emailed
/// ticket shows in all three other dialects at once; kashflow updates (role, username,
/// disabled); usr deletes.
async fn keaz_writes(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let gw = app.client.clone();
    let (_, c) = admin_clients(&app, &gw, "Acme", "root", "root@acme.test").await;
    let pw = gw.secret("Keaz-Wr1ter-pw");

    let created = c
        .keaz
        .send(
            Method::POST,
            "/user",
            Some(
                &json!({"name": "Kim Lee Park", "email": "keaz.writer@acme.test",
                         "perms": ["admin", "fleet-view"], "employee_id": "E-77"}),
            ),
        )
        .await
        .expect(201);
    assert_eq!(created["status"], "pending");
    let mut p = Person {
        id: created["id"].as_i64().unwrap(),
        full: "Kim Lee Park".into(),
        first: "Kim".into(),
        last: "Lee Park".into(),
        email: "keaz.writer@acme.test".into(),
        username: "keaz.writer@acme.test".into(),
        status: "pending",
        role: (2, "Standard"),
        perms: vec!["admin", "fleet-view"],
        account: None,
    };
    // Pending: UserAccountDisabled true, active 0, Status Pending.
    check_everywhere(&c, &p).await;
    assert_eq!(Keaz::try_login(&gw, &p.email, &pw).await.status, 401);

    // The ticket from the email activates the user: all three change at once.
    let emails = app.wait_for_emails(1).await;
    let mail = emails
        .iter()
        .find(|m| m.to.contains("keaz.writer@acme.test"))
        .unwrap_or_else(|| panic!("no activation email: {emails:?}"));
    let ticket = mail.ticket().unwrap();
    let z = Keaz::activate(&gw, &ticket, &pw).await.expect(200);
    assert_eq!(z["status"], "active");
    p.status = "active";
    check_everywhere(&c, &p).await;
    let r = Keaz::activate(&gw, &ticket, &pw).await;
    assert_eq!(
        r.expect(404)["error"],
        "not_found",
        "a ticket is single use"
    );

    // The chosen password and the `admin` perm work in kashflow too.
    let step1 = Kf::start(&gw, "keaz.writer@acme.test", &pw)
        .await
        .expect(200);
    assert_eq!(step1["IsAdmin"], true);
    let as_kim = Kf::login(&gw, "keaz.writer@acme.test", &pw, "").await;
    as_kim.get("/users").await.expect(200);

    // kashflow changes name, username, email, role, and disables.
    let k =
        c.kf.send(
            Method::PUT,
            &format!("/users/{}", p.id),
            Some(&json!({"Number": p.id, "Email": "kim.park@acme.test",
                         "FullName": "Kimberly Park", "RoleNumber": 11, "Username": "kpark",
                         "UserAccountDisabled": true})),
        )
        .await
        .expect(200);
    assert_eq!(k["UserAccountDisabled"], true);
    p.named("Kimberly", "Park");
    p.email = "kim.park@acme.test".into();
    p.username = "kpark".into();
    p.role = (11, "Invoices & Customers (read only)");
    p.status = "inactive";
    let uuid = check_everywhere(&c, &p).await;
    // Disabling ended the session kashflow had given Kim.
    let r = as_kim.get("/users").await;
    assert_eq!(r.expect(401)["Error"], "InvalidSessionToken");
    // The keaz-only member survived the kashflow write.
    let z = c.keaz.user(p.id).await.expect(200);
    assert_eq!(z["employee_id"], "E-77");
    assert_eq!(z["contact_number"], Value::Null);

    // usr deletes.
    let r = c
        .usr
        .send(Method::DELETE, &format!("/usr/{}", p.id), None)
        .await;
    assert_eq!(r.expect(200), json!({"id": p.id, "deleted": true}));
    gone_everywhere(&c, p.id, &uuid, &p.email).await;
    gw.assert_no_leaks();
}

/// v2 writes (first and last name, a password, ExternalId, WebsiteRole); usr updates the name
/// and the password; kashflow deletes, and the v2 audit names it.
async fn v2_writes(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let gw = app.client.clone();
    let (_, c) = admin_clients(&app, &gw, "Acme", "root", "root@acme.test").await;
    let pw = gw.secret("V2-Wr1ter-pw");
    let new_pw = gw.secret("V2-Changed-pw");

    let user = json!({"FirstName": "Vera", "LastName": "van der Berg",
                      "Email": "v2.writer@acme.test", "Password": pw, "ExternalId": "EXT-9",
                      "WebsiteRole": "Admin", "DoNotEmail": true});
    let created =
        c.v2.send(Method::POST, "/api/v2/user", "", Some(&user))
            .await
            .expect(200);
    assert_eq!(created["User"]["Status"], "Active");
    let uuid = created["User"]["Id"].as_str().unwrap().to_owned();
    let mut p = Person {
        id: id_of(&c, "v2.writer@acme.test").await,
        full: "Vera van der Berg".into(),
        first: "Vera".into(),
        last: "van der Berg".into(),
        email: "v2.writer@acme.test".into(),
        username: "v2.writer@acme.test".into(),
        status: "active",
        role: (2, "Standard"),
        perms: vec![],
        account: None,
    };
    assert_eq!(check_everywhere(&c, &p).await, uuid);

    // The password works in keaz and kashflow; "Admin" as WebsiteRole is only text.
    Keaz::login(&gw, &p.email, &pw).await;
    let step1 = Kf::start(&gw, &p.email, &pw).await.expect(200);
    assert_eq!(step1["IsAdmin"], false);

    // usr changes the name (first word / the rest) and the password.
    c.usr
        .send(
            Method::PUT,
            &format!("/usr/{}", p.id),
            Some(&json!({"contactName": "Vera Berg", "password": new_pw})),
        )
        .await
        .expect(200);
    p.named("Vera", "Berg");
    check_everywhere(&c, &p).await;
    assert_eq!(Keaz::try_login(&gw, &p.email, &pw).await.status, 401);
    Keaz::login(&gw, &p.email, &new_pw).await;
    // v2-only members survived the usr write.
    let v =
        c.v2.send(Method::GET, "/api/v2/user", "ExternalId=EXT-9", None)
            .await
            .expect(200);
    assert_eq!(v["User"]["Id"], uuid);
    assert_eq!(v["User"]["WebsiteRole"], "Admin");

    // kashflow deletes; the v2 audit records it.
    let r =
        c.kf.send(Method::DELETE, &format!("/users/{}", p.id), None)
            .await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert_eq!(r.text, "");
    gone_everywhere(&c, p.id, &uuid, &p.email).await;
    let found =
        c.v2.send(
            Method::GET,
            "/api/v2/user/search",
            "Email=nobody%40acme.test&IncludeDeletedUserAudits=true",
            None,
        )
        .await
        .expect(200);
    let deleted = found["DeletedUsers"].as_array().unwrap();
    assert!(
        deleted.iter().any(|d| d["Id"] == uuid
            && d["Email"] == p.email
            && d["DeletedBy"].as_str().unwrap().starts_with("kashflow:")),
        "{found}"
    );

    // Email and ExternalId are free again.
    c.v2.send(Method::POST, "/api/v2/user", "", Some(&user))
        .await
        .expect(200);
    gw.assert_no_leaks();
}

backend_tests!(kashflow_writes, usr_writes, keaz_writes, v2_writes);
