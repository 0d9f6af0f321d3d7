//! SCIM on the same directory as the four legacy dialects: a user SCIM creates reads the same
//! through kashflow, usr, keaz and v2 (the shared check of `cross_dialect`), each of them
//! changes it and SCIM sees the change at once (with a new version: a stale `If-Match` is
//! 412); users the other dialects create are found and changed through SCIM; memberships
//! written by SCIM are v2's `Groups` and the other way round (v2 has no update: it writes
//! `Groups` when it creates); a delete through v2 is SCIM's 404 and a SCIM delete is gone
//! everywhere.

use reqwest::Method;
use rosetta_e2e::TestGateway;
use rosetta_testkit::callers::{admin_clients, Clients, Keaz};
use rosetta_testkit::{backend_tests, Backend};
use serde_json::{json, Value};

use super::{error, member_ids, patched, Scim, USER_SCHEMA};
use crate::cross_dialect::{check_everywhere, gone_everywhere, id_of, Person};

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// What SCIM must show of `p` (scim.md's user mapping), by id and by `userName eq`.
async fn scim_shows(scim: &Scim, p: &Person, uuid: &str) -> Value {
    let ctx = format!("{p:?}");
    let u = scim.get(&format!("/Users/{uuid}")).await.expect(200);
    assert_eq!(u["id"], uuid, "{ctx}");
    assert_eq!(u["userName"], p.username, "{ctx}: {u}");
    assert_eq!(u["name"]["givenName"], p.first, "{ctx}: {u}");
    assert_eq!(u["name"]["familyName"], p.last, "{ctx}: {u}");
    assert_eq!(u["name"]["formatted"], p.full, "{ctx}: {u}");
    assert_eq!(u["emails"][0]["value"], p.email, "{ctx}: {u}");
    assert_eq!(u["active"], p.status == "active", "{ctx}: {u}");
    assert_eq!(u["roles"][0]["value"], p.role.0.to_string(), "{ctx}: {u}");
    let perms: Vec<&str> = u["entitlements"]
        .as_array()
        .map(|e| e.iter().map(|x| x["value"].as_str().unwrap()).collect())
        .unwrap_or_default();
    assert_eq!(perms, p.perms, "{ctx}: {u}");
    assert!(u.get("password").is_none(), "{u}");
    // `emails.primary` and the role's name are returned when asked for (crates/scim's README:
    // derived values, not written back).
    let asked = scim
        .get(&format!(
            "/Users/{uuid}?attributes={}",
            rosetta_testkit::enc("emails.primary,roles.display")
        ))
        .await
        .expect(200);
    assert_eq!(asked["emails"][0]["primary"], true, "{ctx}: {asked}");
    assert_eq!(asked["roles"][0]["display"], p.role.1, "{ctx}: {asked}");
    let found = scim
        .the_user(&format!("userName eq \"{}\"", p.username))
        .await;
    assert_eq!(found, u, "filtered and read by id alike: {ctx}");
    u
}

fn patch(ops: Value) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops})
}

/// SCIM writes every mapped field; kashflow, usr, keaz and v2 change it in turn; SCIM deletes.
async fn scim_writes(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let gw = app.client.clone();
    let (tenant, c) = admin_clients(&app, &gw, "Acme", "root", "root@acme.test").await;
    let scim = Scim::of(&app, &gw, tenant).await;
    let pw = gw.secret("Sc1m-Wr1ter-pw");

    let r = scim
        .send(
            Method::POST,
            "/Users",
            Some(&json!({
                "schemas": [USER_SCHEMA, ENTERPRISE],
                "userName": "ghopper",
                "externalId": "SCIM-EXT-1",
                "name": {"givenName": "Grace", "familyName": "Brewster Hopper"},
                "emails": [{"value": "scim.writer@acme.test", "type": "work", "primary": true}],
                "phoneNumbers": [{"value": "0123 456", "type": "work"}],
                "active": true,
                "password": pw,
                "roles": [{"value": "6"}],
                "entitlements": [{"value": "fleet-view"}],
                ENTERPRISE: {"employeeNumber": "E-42", "costCenter": "CC-7"}
            })),
        )
        .await;
    let created = r.expect(201);
    let uuid = created["id"].as_str().unwrap().to_owned();
    let etag = r.header("etag").unwrap().to_owned();
    let mut p = Person {
        id: id_of(&c, "scim.writer@acme.test").await,
        full: "Grace Brewster Hopper".into(),
        first: "Grace".into(),
        last: "Brewster Hopper".into(),
        email: "scim.writer@acme.test".into(),
        username: "ghopper".into(),
        status: "active",
        role: (6, "Full Access"),
        perms: vec!["fleet-view"],
        account: None,
    };
    assert_eq!(check_everywhere(&c, &p).await, uuid);
    scim_shows(&scim, &p, &uuid).await;
    let z = c.keaz.user(p.id).await.expect(200);
    assert_eq!(z["employee_id"], "E-42", "{z}");
    assert_eq!(z["cost-centre_id"], "CC-7", "{z}");
    assert_eq!(z["contact_number"], "0123 456", "{z}");
    let v = c.v2.by_id(&uuid).await.expect(200)["User"].clone();
    assert_eq!(v["ExternalId"], "SCIM-EXT-1");
    // The password SCIM set works in keaz and kashflow; role 6 is an administrator there.
    Keaz::login(&gw, &p.email, &pw).await;
    let step1 = rosetta_testkit::callers::Kf::start(&gw, "ghopper", &pw)
        .await
        .expect(200);
    assert_eq!(step1["IsAdmin"], true);

    // kashflow renames and re-addresses: SCIM sees it, with a new version.
    c.kf.send(
        Method::PUT,
        &format!("/users/{}", p.id),
        Some(
            &json!({"Number": p.id, "Email": "grace@acme.test", "FullName": "Grace Hopper",
                     "RoleNumber": 6, "Username": "grace", "UserAccountDisabled": false}),
        ),
    )
    .await
    .expect(200);
    p.named("Grace", "Hopper");
    p.email = "grace@acme.test".into();
    p.username = "grace".into();
    let u = scim_shows(&scim, &p, &uuid).await;
    assert_ne!(u["meta"]["version"], created["meta"]["version"]);
    // A PATCH made against the version SCIM read before kashflow's write is refused.
    let r = scim
        .call(
            Method::PATCH,
            &format!("/Users/{uuid}"),
            Some(&patch(
                json!([{"op": "replace", "path": "displayName", "value": "Stale"}]),
            )),
            &[("If-Match", &etag)],
        )
        .await;
    error(&r, 412);
    let fresh = scim.get(&format!("/Users/{uuid}")).await;
    let etag = fresh.header("etag").unwrap().to_owned();
    assert_eq!(
        scim.call(
            Method::GET,
            &format!("/Users/{uuid}"),
            None,
            &[("If-None-Match", &etag)]
        )
        .await
        .status,
        304
    );

    // usr deactivates; keaz changes perms and reactivates; v2 renames.
    c.usr
        .send(
            Method::PUT,
            &format!("/usr/{}", p.id),
            Some(&json!({"active": 0})),
        )
        .await
        .expect(200);
    p.status = "inactive";
    scim_shows(&scim, &p, &uuid).await;
    c.keaz
        .send(
            Method::PUT,
            &format!("/user/{}", p.id),
            Some(&json!({"perms": ["admin", "fleet-view"], "status": "active"})),
        )
        .await
        .expect(200);
    p.perms = vec!["admin", "fleet-view"];
    p.status = "active";
    scim_shows(&scim, &p, &uuid).await;
    // (v2 has no update: it creates, reads and deletes; its writes are tried below.)
    check_everywhere(&c, &p).await;

    // Memberships: a SCIM group's member shows in v2 Groups; a GUID v2 writes is a SCIM group.
    let g = scim
        .send(
            Method::POST,
            "/Groups",
            Some(
                &json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                "displayName": "Engineers", "members": [{"value": uuid}]}),
            ),
        )
        .await
        .expect(201);
    let gid = g["id"].as_str().unwrap().to_owned();
    let v = c.v2.by_id(&uuid).await.expect(200)["User"].clone();
    assert_eq!(v["Groups"], json!([gid]), "{v}");
    // v2 creates a user in that group and in a group no one made yet: SCIM sees both.
    let fresh_guid = "5e1f0a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b";
    let made =
        c.v2.send(
            Method::POST,
            "/api/v2/user",
            "",
            Some(
                &json!({"FirstName": "Vera", "LastName": "Berg", "Email": "v2@acme.test",
                         "Password": pw, "DoNotEmail": true, "Groups": [gid, fresh_guid]}),
            ),
        )
        .await
        .expect(200);
    let vera = made["User"]["Id"].as_str().unwrap().to_owned();
    let fresh = scim.get(&format!("/Groups/{fresh_guid}")).await.expect(200);
    assert_eq!(fresh["displayName"], fresh_guid, "{fresh}");
    assert_eq!(member_ids(&fresh), vec![vera.clone()]);
    let mut both = vec![uuid.clone(), vera.clone()];
    both.sort();
    let eng = scim.get(&format!("/Groups/{gid}")).await.expect(200);
    assert_eq!(member_ids(&eng), both, "{eng}");
    let u = scim.get(&format!("/Users/{vera}")).await.expect(200);
    let mut in_groups: Vec<&str> = u["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["value"].as_str().unwrap())
        .collect();
    in_groups.sort();
    // The group v2 made shows its name (the GUID's text) beside its id.
    let fresh_ref = u["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["value"] == fresh_guid)
        .unwrap();
    assert_eq!(fresh_ref["display"], fresh_guid, "{u}");
    let mut want = vec![gid.as_str(), fresh_guid];
    want.sort();
    assert_eq!(in_groups, want, "{u}");
    // SCIM removes Vera from Engineers; v2 sees one group left.
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Groups/{gid}"),
            Some(&patch(
                json!([{"op": "remove", "path": format!("members[value eq \"{vera}\"]")}]),
            )),
        )
        .await;
    patched(&r);
    let v = c.v2.by_id(&vera).await.expect(200)["User"].clone();
    assert_eq!(v["Groups"], json!([fresh_guid]), "{v}");

    // v2 deletes the user SCIM made: SCIM's 404, and Engineers loses its member.
    c.v2.send(Method::DELETE, "/api/v2/user", &format!("Id={uuid}"), None)
        .await
        .expect(200);
    gone_everywhere(&c, p.id, &uuid, &p.email).await;
    error(&scim.get(&format!("/Users/{uuid}")).await, 404);
    let eng = scim.get(&format!("/Groups/{gid}")).await.expect(200);
    assert!(member_ids(&eng).is_empty(), "{eng}");

    // SCIM deletes the user v2 made: every dialect's own not-found; its group is empty.
    let vera_id = id_of(&c, "v2@acme.test").await;
    let r = scim
        .send(Method::DELETE, &format!("/Users/{vera}"), None)
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    gone_everywhere(&c, vera_id, &vera, "v2@acme.test").await;
    let fresh = scim.get(&format!("/Groups/{fresh_guid}")).await.expect(200);
    assert!(member_ids(&fresh).is_empty(), "{fresh}");
    gw.assert_no_leaks();
}

/// A user each legacy dialect makes is found through SCIM (`userName eq`, `emails.value eq`),
/// changed by a SCIM PATCH, and the change reads the same in all four.
async fn others_write_scim_changes(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let gw = app.client.clone();
    let (tenant, c) = admin_clients(&app, &gw, "Acme", "root", "root@acme.test").await;
    let scim = Scim::of(&app, &gw, tenant).await;
    let pw = gw.secret("Others-pw-1");

    let made = make_one_per_dialect(&c, &pw).await;
    for (mut p, writer) in made {
        let found = scim
            .the_user(&format!("emails.value eq \"{}\"", p.email.to_uppercase()))
            .await;
        let uuid = found["id"].as_str().unwrap().to_owned();
        assert_eq!(check_everywhere(&c, &p).await, uuid, "{writer}");
        scim_shows(&scim, &p, &uuid).await;

        // Active users are deactivated; keaz's pending one is activated (scim.md: `true`
        // activates a pending or inactive user).
        let active = p.status == "pending";
        let r = scim
            .send(
                Method::PATCH,
                &format!("/Users/{uuid}"),
                Some(&patch(json!([
                    {"op": "replace", "path": "name.givenName", "value": "Scim"},
                    {"op": "replace", "path": "name.familyName", "value": format!("Changed {writer}")},
                    {"op": "replace", "path": "active", "value": active}
                ]))),
            )
            .await;
        patched(&r);
        p.named("Scim", &format!("Changed {writer}"));
        p.status = if active { "active" } else { "inactive" };
        check_everywhere(&c, &p).await;
        scim_shows(&scim, &p, &uuid).await;
    }
    gw.assert_no_leaks();
}

async fn make_one_per_dialect(c: &Clients, pw: &str) -> Vec<(Person, &'static str)> {
    let base = |email: &str, username: &str, full: &str, first: &str, last: &str| Person {
        id: 0,
        full: full.into(),
        first: first.into(),
        last: last.into(),
        email: email.into(),
        username: username.into(),
        status: "active",
        role: (2, "Standard"),
        perms: vec![],
        account: None,
    };
    let mut out = vec![];

    let k =
        c.kf.send(
            Method::POST,
            "/users",
            Some(
                &json!({"Email": "kf@acme.test", "FullName": "Karl Gauss", "Password": pw,
                         "RoleNumber": 2, "Username": "kgauss", "MemorableWord": "abcdef"}),
            ),
        )
        .await
        .expect(201);
    let mut p = base("kf@acme.test", "kgauss", "Karl Gauss", "Karl", "Gauss");
    p.id = k["Number"].as_i64().unwrap();
    out.push((p, "kashflow"));

    let u = c
        .usr
        .send(
            Method::POST,
            "/usr/new",
            Some(
                &json!({"contactName": "Ulla Svensson", "emailAddress": "usr@acme.test",
                         "defaultAccountId": 42, "username": "usvensson", "password": pw}),
            ),
        )
        .await
        .expect(201);
    let mut p = base(
        "usr@acme.test",
        "usvensson",
        "Ulla Svensson",
        "Ulla",
        "Svensson",
    );
    p.id = u["id"].as_i64().unwrap();
    p.account = Some(42);
    out.push((p, "usr"));

    let z = c
        .keaz
        .send(
            Method::POST,
            "/user",
            Some(&json!({"name": "Kim Park", "email": "keaz@acme.test", "perms": ["fleet-view"]})),
        )
        .await
        .expect(201);
    let mut p = base(
        "keaz@acme.test",
        "keaz@acme.test",
        "Kim Park",
        "Kim",
        "Park",
    );
    p.id = z["id"].as_i64().unwrap();
    p.status = "pending";
    p.perms = vec!["fleet-view"];
    out.push((p, "keaz"));

    c.v2.send(
        Method::POST,
        "/api/v2/user",
        "",
        Some(
            &json!({"FirstName": "Vera", "LastName": "Berg", "Email": "v2@acme.test",
                     "Password": pw, "DoNotEmail": true}),
        ),
    )
    .await
    .expect(200);
    let mut p = base("v2@acme.test", "v2@acme.test", "Vera Berg", "Vera", "Berg");
    p.id = id_of(c, "v2@acme.test").await;
    out.push((p, "v2"));
    out
}

backend_tests!(scim_writes, others_write_scim_changes);
