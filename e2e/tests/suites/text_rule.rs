//! The text rule of MAPPING.md through every dialect: a value no dialect can carry (a NUL, a C0
//! control, a noncharacter) is refused with 400 naming the field, in each dialect's own shape,
//! so nothing stored can make another dialect's XML ill-formed; the same characters in a
//! look-up or a login are "not found" / "invalid credentials", never a 5xx (PostgreSQL refuses
//! a NUL in a parameter). Free text keeps tab, line feed and carriage return.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use reqwest::Method;
use rosetta_e2e::TestGateway;
use rosetta_testkit::callers::{admin_clients, Clients, Keaz, Kf};
use rosetta_testkit::{backend_tests, enc, Backend, Resp};
use serde_json::{json, Value};

/// The XML answer parses strictly (roxmltree is a conforming, non-validating parser).
#[track_caller]
fn well_formed(what: &str, r: &Resp) {
    assert_eq!(r.status, 200, "{what}: {}", r.text);
    if let Err(e) = roxmltree::Document::parse(&r.text) {
        panic!("{what} is not well-formed XML ({e}): {:?}", r.text);
    }
}

/// Every XML list of the tenant is still well-formed.
async fn xml_lists_are_well_formed(app: &TestGateway, c: &Clients) {
    let kf = app
        .client
        .call(
            Method::GET,
            "/kashflow/users",
            &[
                ("Authorization", &format!("KfToken {}", c.kf.token)),
                ("Accept", "application/xml"),
            ],
            None,
        )
        .await;
    well_formed("kashflow users", &kf);
    // The search needs a term: one letter of every name written here.
    for name in ["a", "u", "k", "l"] {
        let url = format!(
            "/api/v2/user/search?format=xml&CompanyId={}&IntegrationKey={}&Name={name}",
            c.v2.company, c.v2.key
        );
        let v2 = app.client.call(Method::GET, &url, &[], None).await;
        well_formed("v2 search", &v2);
    }
}

/// A kashflow create body with every mandatory member.
fn kf_user(email: &str, full_name: &str, username: &str) -> Value {
    json!({"Email": email, "FullName": full_name, "Username": username, "RoleNumber": 2,
           "Password": "Text-rule-pw1", "MemorableWord": "pineapple"})
}

#[track_caller]
fn refused(what: &str, r: &Resp, member: &str) -> Value {
    assert_eq!(r.status, 400, "{what}: {}", r.text);
    assert!(r.text.contains(member), "{what} names {member}: {}", r.text);
    r.json()
}

/// Each dialect's writes refuse what another dialect could not write, naming the field.
async fn every_text_field_follows_the_rule(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let gw = app.client.clone();
    let (_, c) = admin_clients(&app, &gw, "Acme", "root", "root@acme.test").await;

    // The case: usr with a noncharacter in contactName.
    let r = c
        .usr
        .send(
            Method::POST,
            "/usr/new",
            Some(
                &json!({"contactName": "A \u{ffff}", "emailAddress": "a@acme.test",
                          "username": "a1", "defaultAccountId": 42,
                          "password": "Text-rule-pw1"}),
            ),
        )
        .await;
    let e = refused("usr contactName U+FFFF", &r, "contactName");
    assert_eq!(e["error"]["field"], "contactName", "{e}");
    xml_lists_are_well_formed(&app, &c).await;

    // kashflow
    for (member, body) in [
        ("FullName", kf_user("k1@acme.test", "K \u{fdd0}", "k1")),
        ("Username", kf_user("k2@acme.test", "K", "k\u{0}")),
        ("Email", kf_user("k3\u{1}@acme.test", "K", "k3")),
    ] {
        let r = c.kf.send(Method::POST, "/users", Some(&body)).await;
        refused(&format!("kashflow {member}"), &r, member);
    }

    // keaz: profile fields, name, perms, license types, asset tags.
    for (member, body) in [
        (
            "employee_id",
            json!({"name": "Kim", "email": "z1@acme.test", "employee_id": "E\u{0}1"}),
        ),
        (
            "contact_number",
            json!({"name": "Kim", "email": "z2@acme.test", "contact_number": "1\u{1fffe}"}),
        ),
        (
            "license-types",
            json!({"name": "Kim", "email": "z3@acme.test", "license-types": ["B\u{7}"]}),
        ),
    ] {
        let r = c.keaz.send(Method::POST, "/user", Some(&body)).await;
        refused(&format!("keaz {member}"), &r, member);
    }
    let z = c
        .keaz
        .send(
            Method::POST,
            "/user",
            Some(&json!({"name": "Kim", "email": "zok@acme.test",
                         "contact_number": "line 1\r\nline 2\tend"})),
        )
        .await
        .expect(201);
    assert_eq!(
        z["contact_number"], "line 1\r\nline 2\tend",
        "free text keeps tab, CR, LF"
    );
    let id = z["id"].as_i64().unwrap();
    let r = c
        .keaz
        .send(
            Method::PUT,
            &format!("/user/{id}"),
            Some(&json!({"cost-centre_id": "C\u{0}"})),
        )
        .await;
    refused("keaz PUT cost-centre_id", &r, "cost-centre_id");
    let r = c
        .keaz
        .send(
            Method::PUT,
            &format!("/user/{id}"),
            Some(&json!({"employee_id": "E\t1"})),
        )
        .await;
    refused("keaz PUT employee_id with a tab", &r, "employee_id");

    // v2: every text member, UserDevices included.
    for (member, user) in [
        (
            "Email",
            json!({"FirstName": "V", "LastName": "W", "Email": "v\u{0}@acme.test"}),
        ),
        (
            "FirstName",
            json!({"FirstName": "V\u{1b}", "LastName": "W", "Email": "v1@acme.test"}),
        ),
        (
            "LastName",
            json!({"FirstName": "V", "LastName": "\u{fffe}", "Email": "v2@acme.test"}),
        ),
        (
            "ExternalId",
            json!({"FirstName": "V", "LastName": "W", "Email": "v3@acme.test", "ExternalId": "X\u{0}"}),
        ),
        (
            "WebsiteRole",
            json!({"FirstName": "V", "LastName": "W", "Email": "v4@acme.test", "WebsiteRole": "R\u{10ffff}"}),
        ),
        (
            "UserDevices",
            json!({"FirstName": "V", "LastName": "W", "Email": "v5@acme.test",
                               "UserDevices": [{"Id": "d\u{0}"}]}),
        ),
        (
            "UserDevices",
            json!({"FirstName": "V", "LastName": "W", "Email": "v6@acme.test",
                               "UserDevices": [{"Id": "d", "Name": "phone\u{1}"}]}),
        ),
    ] {
        let r =
            c.v2.send(Method::POST, "/api/v2/user", "", Some(&user))
                .await;
        refused(&format!("v2 {member}"), &r, member);
    }

    // Nothing of the above was stored: every XML answer is still well-formed.
    xml_lists_are_well_formed(&app, &c).await;
    gw.assert_no_leaks();
}

/// A NUL or a noncharacter in a login or a look-up matches nobody: the dialect's own "not
/// found" or "invalid credentials", never a 5xx.
async fn hostile_lookups_find_nothing(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let gw = app.client.clone();
    let (_, c) = admin_clients(&app, &gw, "Acme", "root", "root@acme.test").await;

    let unknown = Keaz::try_login(&gw, "nobody@acme.test", "whatever-pw").await;
    assert_eq!(unknown.status, 401, "{}", unknown.text);
    for email in ["a\u{0}@acme.test", "\u{ffff}"] {
        let r = Keaz::try_login(&gw, email, "whatever-pw").await;
        assert_eq!(
            (r.status, r.json()),
            (401, unknown.json()),
            "keaz login {email:?}"
        );
    }
    let unknown = Kf::start(&gw, "nobody", "whatever-pw").await;
    for name in ["a\u{0}", "b\u{fdef}"] {
        let r = Kf::start(&gw, name, "whatever-pw").await;
        assert_eq!(
            (r.status, r.json()),
            (unknown.status, unknown.json()),
            "kashflow {name:?}"
        );
    }

    let r = c
        .keaz
        .send(
            Method::GET,
            &format!("/user/byemail?email={}", enc("a\u{0}@acme.test")),
            None,
        )
        .await;
    assert_eq!(r.status, 404, "keaz byemail: {}", r.text);
    let me = c
        .keaz
        .send(Method::GET, "/user/byemail?email=root%40acme.test", None)
        .await
        .expect(200);
    let r = c
        .keaz
        .send(
            Method::GET,
            &format!("/user/{}/assets/a%00b", me["id"]),
            None,
        )
        .await;
    assert_eq!(r.status, 404, "keaz asset tag: {}", r.text);

    for query in [
        "Email=a%00%40acme.test",
        "ExternalId=x%00",
        "Email=%EF%BF%BF%40a.b",
    ] {
        let r = c.v2.send(Method::GET, "/api/v2/user", query, None).await;
        assert_eq!(r.status, 404, "v2 {query}: {}", r.text);
    }
    for query in ["Name=a%00", "Email=a%00%40acme.test", "ExternalId=%00"] {
        let r =
            c.v2.send(Method::GET, "/api/v2/user/search", query, None)
                .await;
        assert_eq!(r.status, 200, "v2 search {query}: {}", r.text);
        assert_eq!(r.json()["Users"], json!([]), "v2 search {query}");
    }
    gw.assert_no_leaks();
}

/// Any character, the ones the rule is about drawn often.
fn any_text() -> impl Strategy<Value = String> {
    let c = prop_oneof![
        2 => any::<char>(),
        1 => prop::sample::select(vec![
            '\0', '\u{1}', '\t', '\n', '\r', '\u{1b}', '\u{85}', '\u{fdd0}', '\u{fffe}',
            '\u{ffff}', '\u{10ffff}', '<', '&', '"',
        ]),
        2 => prop::char::range('a', 'z'),
    ];
    prop::collection::vec(c, 1..12).prop_map(|cs| cs.into_iter().collect())
}

/// The property over HTTP, with few cases: whatever generated text a dialect accepts, every
/// dialect's XML answers stay well-formed and the free text reads back as written; what it
/// refuses is a 400, never a 5xx.
async fn generated_text_keeps_every_answer_well_formed(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let gw = app.client.clone();
    let (_, c) = admin_clients(&app, &gw, "Acme", "root", "root@acme.test").await;
    let mut runner = TestRunner::new(Config::with_cases(12));
    let strategy = any_text();
    let mut accepted = 0;
    for i in 0..12 {
        let v = strategy.new_tree(&mut runner).unwrap().current();
        let ctx = format!("case {i}: {v:?}");
        let writes = [
            c.usr
                .send(
                    Method::POST,
                    "/usr/new",
                    Some(&json!({"contactName": format!("U {v}"),
                                 "emailAddress": format!("u{i}@acme.test"),
                                 "username": format!("u{i}"), "password": "Text-rule-pw1",
                                 "defaultAccountId": 42})),
                )
                .await,
            c.kf.send(
                Method::POST,
                "/users",
                Some(&kf_user(
                    &format!("k{i}@acme.test"),
                    &format!("K {v}"),
                    &format!("k{i}"),
                )),
            )
            .await,
            c.v2.send(
                Method::POST,
                "/api/v2/user",
                "",
                Some(&json!({"FirstName": "V", "LastName": format!("L {v}"),
                             "Email": format!("v{i}@acme.test"), "WebsiteRole": v,
                             "UserDevices": [{"Id": v}], "DoNotEmail": true})),
            )
            .await,
        ];
        for r in &writes {
            assert!(
                matches!(r.status, 200 | 201 | 400),
                "{ctx}: {} {}",
                r.status,
                r.text
            );
            accepted += usize::from(r.status != 400);
        }
        let z = c
            .keaz
            .send(
                Method::POST,
                "/user",
                Some(&json!({"name": "Kim", "email": format!("z{i}@acme.test"),
                             "contact_number": v})),
            )
            .await;
        match z.status {
            201 => {
                let id = z.json()["id"].as_i64().unwrap();
                let read = c.keaz.user(id).await.expect(200);
                assert_eq!(read["contact_number"], v, "{ctx}: free text round-trips");
            }
            400 => {}
            other => panic!("{ctx}: keaz {other} {}", z.text),
        }
        xml_lists_are_well_formed(&app, &c).await;
    }
    assert!(
        accepted > 0,
        "no generated text was accepted: the property tested nothing"
    );
    gw.assert_no_leaks();
}

backend_tests!(
    every_text_field_follows_the_rule,
    hostile_lookups_find_nothing,
    generated_text_keeps_every_answer_well_formed
);
