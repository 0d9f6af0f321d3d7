//! Okta's provisioning, with the requests of Okta's "SCIM 2.0 protocol reference": the
//! existence check by `userName eq` with `startIndex`/`count`, create (with `locale`, an
//! empty `groups` and a password), the 409 on a second create, paged import, update by GET
//! then PUT (with `middleName`, read-only `id`, `groups` and `meta` in the body), deactivate
//! and reactivate by a no-path `replace`, and the Group push: create, rename (a no-path
//! replace holding the `id`), membership remove + add in one request, replace of all members,
//! delete. Apps made with Okta's wizard (AIW) use PUT for everything: that is tried too.

use reqwest::Method;
use rosetta_e2e::TestGateway;
use rosetta_testkit::callers::{admin_clients, Keaz};
use rosetta_testkit::{backend_tests, Backend};
use serde_json::{json, Value};

use super::{error, list, member_ids, patched, resources, Scim, USER_SCHEMA};

const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";

fn patch(ops: Value) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops})
}

fn okta_user(user_name: &str, given: &str, family: &str, password: &str) -> Value {
    json!({
        "schemas": [USER_SCHEMA],
        "userName": user_name,
        "name": {"givenName": given, "familyName": family},
        "emails": [{"primary": true, "value": user_name, "type": "work"}],
        "displayName": format!("{given} {family}"),
        "locale": "en-US",
        "externalId": "00ujl29u0le5T6Aj10h7",
        "groups": [],
        "password": password,
        "active": true
    })
}

async fn okta_provisioning(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let gw = app.client.clone();
    let (tenant, c) = admin_clients(&app, &gw, "Okta Org", "root", "root@okta.test").await;
    let scim = Scim::of(&app, &gw, tenant).await;
    let password = gw.secret("1mz050nq-Okta");

    // Determine if the user already exists: the request exactly as Okta sends it.
    let l = list(
        &scim
            .get(
                "/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100",
            )
            .await,
    );
    assert_eq!(l["totalResults"], 0, "{l}");
    assert!(resources(&l).is_empty());

    // Create the user; a second create is a 409 `uniqueness` Okta stops on.
    let body = okta_user("test.user@okta.local", "Test", "User", &password);
    let user = scim
        .send(Method::POST, "/Users", Some(&body))
        .await
        .expect(201);
    let id = user["id"].as_str().unwrap().to_owned();
    assert_eq!(user["userName"], "test.user@okta.local");
    assert_eq!(user["externalId"], "00ujl29u0le5T6Aj10h7");
    assert_eq!(user["active"], true);
    assert!(
        user.get("password").is_none(),
        "password is returned never: {user}"
    );
    let e = error(&scim.send(Method::POST, "/Users", Some(&body)).await, 409);
    assert_eq!(e["scimType"], "uniqueness", "{e}");
    // The pushed password is the user's password in the other dialects.
    Keaz::login(&gw, "test.user@okta.local", &password).await;

    // The existence check finds it now, on the first page of 100.
    let l = list(
        &scim
            .get(
                "/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100",
            )
            .await,
    );
    assert_eq!(l["totalResults"], 1, "{l}");
    assert_eq!(l["Resources"][0]["id"], id.as_str());

    // Import: pages of `count` from `startIndex`, the same order every time.
    for n in 0..4 {
        scim.send(
            Method::POST,
            "/Users",
            Some(
                &okta_user(&format!("import{n}@okta.local"), "Imp", "Ort", &password)
                    .as_object()
                    .map(|o| {
                        let mut o = o.clone();
                        o.insert("externalId".into(), json!(format!("00uimport{n}")));
                        Value::Object(o)
                    })
                    .unwrap(),
            ),
        )
        .await
        .expect(201);
    }
    let everyone = list(&scim.get("/Users?startIndex=1&count=100").await);
    // The tenant's administrator, the pushed user and the four imported.
    assert_eq!(everyone["totalResults"], 6, "{everyone}");
    let all: Vec<Value> = resources(&everyone)
        .iter()
        .map(|u| u["id"].clone())
        .collect();
    let mut paged = vec![];
    for start in [1, 3, 5] {
        let page = list(
            &scim
                .get(&format!("/Users?startIndex={start}&count=2"))
                .await,
        );
        assert_eq!(page["startIndex"], start);
        assert_eq!(page["itemsPerPage"], 2);
        assert_eq!(page["totalResults"], 6);
        paged.extend(resources(&page).iter().map(|u| u["id"].clone()));
    }
    assert_eq!(paged, all, "pages follow one stable order");

    // Update: GET, then PUT of the whole resource with what Okta changed.
    let mut got = scim.get(&format!("/Users/{id}")).await.expect(200);
    got["name"] = json!({"givenName": "Another", "middleName": "Excited", "familyName": "User"});
    got["groups"] = json!([]);
    let put = scim
        .send(Method::PUT, &format!("/Users/{id}"), Some(&got))
        .await
        .expect(200);
    assert_eq!(put["id"], id.as_str());
    assert_eq!(put["name"]["givenName"], "Another");
    assert_eq!(put["name"]["familyName"], "User");
    let number = c
        .keaz
        .send(
            Method::GET,
            "/user/byemail?email=test.user%40okta.local",
            None,
        )
        .await
        .expect(200)["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        c.usr.user(number).await.expect(200)["contactName"],
        "Another User"
    );

    // Deactivate (no path, a value object), then reactivate.
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(&patch(
                json!([{"op": "replace", "value": {"active": false}}]),
            )),
        )
        .await;
    patched(&r);
    if r.status == 200 {
        assert_eq!(r.json()["active"], false, "{}", r.text);
    }
    assert_eq!(c.keaz.user(number).await.expect(200)["status"], "inactive");
    assert_eq!(
        Keaz::try_login(&gw, "test.user@okta.local", &password)
            .await
            .status,
        401
    );
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(&patch(
                json!([{"op": "replace", "value": {"active": true}}]),
            )),
        )
        .await;
    patched(&r);
    assert_eq!(c.keaz.user(number).await.expect(200)["status"], "active");
    Keaz::login(&gw, "test.user@okta.local", &password).await;

    // AIW apps deactivate with a PUT.
    let mut got = scim.get(&format!("/Users/{id}")).await.expect(200);
    got["active"] = json!(false);
    let put = scim
        .send(Method::PUT, &format!("/Users/{id}"), Some(&got))
        .await
        .expect(200);
    assert_eq!(put["active"], false);
    assert_eq!(
        c.v2.by_id(&id).await.expect(200)["User"]["Status"],
        "Inactive"
    );

    // Group push.
    let group = scim
        .send(
            Method::POST,
            "/Groups",
            Some(&json!({"schemas": [GROUP_SCHEMA], "displayName": "Test SCIMv2", "members": []})),
        )
        .await
        .expect(201);
    let gid = group["id"].as_str().unwrap().to_owned();
    let groups = list(&scim.get("/Groups?startIndex=1&count=100").await);
    assert!(
        resources(&groups).iter().any(|g| g["id"] == gid.as_str()),
        "{groups}"
    );
    // A second group of the same name is refused.
    let e = error(
        &scim
            .send(
                Method::POST,
                "/Groups",
                Some(&json!({"schemas": [GROUP_SCHEMA], "displayName": "test scimv2"})),
            )
            .await,
        409,
    );
    assert_eq!(e["scimType"], "uniqueness");

    // Rename: a no-path replace holding the group's own id.
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Groups/{gid}"),
            Some(&patch(json!([{"op": "replace",
                "value": {"id": gid, "displayName": "Test SCIMv20"}}]))),
        )
        .await;
    patched(&r);
    assert_eq!(
        scim.get(&format!("/Groups/{gid}")).await.expect(200)["displayName"],
        "Test SCIMv20"
    );

    // Membership: add one, then in ONE request remove it and add another.
    let other = scim
        .send(
            Method::POST,
            "/Users",
            Some(
                &json!({"schemas": [USER_SCHEMA], "userName": "second.user@okta.local",
                "name": {"givenName": "Second", "familyName": "User"},
                "emails": [{"primary": true, "value": "second.user@okta.local", "type": "work"}],
                "active": true}),
            ),
        )
        .await
        .expect(201);
    let oid = other["id"].as_str().unwrap().to_owned();
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Groups/{gid}"),
            Some(&patch(json!([{"op": "add", "path": "members",
                "value": [{"value": oid, "display": "second.user@okta.local"}]}]))),
        )
        .await;
    patched(&r);
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Groups/{gid}"),
            Some(&patch(json!([
                {"op": "remove", "path": format!("members[value eq \"{oid}\"]")},
                {"op": "add", "path": "members",
                 "value": [{"value": id, "display": "test.user@okta.local"}]}
            ]))),
        )
        .await;
    patched(&r);
    let g = scim.get(&format!("/Groups/{gid}")).await.expect(200);
    assert_eq!(member_ids(&g), vec![id.clone()], "{g}");
    assert_eq!(
        c.v2.by_id(&id).await.expect(200)["User"]["Groups"],
        json!([gid])
    );
    assert_eq!(
        c.v2.by_id(&oid).await.expect(200)["User"]["Groups"],
        json!([])
    );

    // A full push of the membership: replace every member.
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Groups/{gid}"),
            Some(&patch(
                json!([{"op": "replace", "path": "members", "value": [
                    {"value": id, "display": "test.user@okta.local"},
                    {"value": oid, "display": "second.user@okta.local"}
                ]}]),
            )),
        )
        .await;
    patched(&r);
    let mut both = vec![id.clone(), oid.clone()];
    both.sort();
    let g = scim.get(&format!("/Groups/{gid}")).await.expect(200);
    assert_eq!(member_ids(&g), both, "{g}");
    assert_eq!(
        c.v2.by_id(&oid).await.expect(200)["User"]["Groups"],
        json!([gid])
    );

    // An AIW app pushes the group with PUT: name and members as given.
    let put = scim
        .send(
            Method::PUT,
            &format!("/Groups/{gid}"),
            Some(
                &json!({"schemas": [GROUP_SCHEMA], "id": gid, "displayName": "Test SCIMv2",
                "members": [{"value": oid, "display": "second.user@okta.local"}]}),
            ),
        )
        .await
        .expect(200);
    assert_eq!(put["displayName"], "Test SCIMv2");
    assert_eq!(member_ids(&put), vec![oid.clone()]);
    assert_eq!(
        c.v2.by_id(&id).await.expect(200)["User"]["Groups"],
        json!([])
    );

    // A member that is no user of the tenant is refused, and changes nothing.
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Groups/{gid}"),
            Some(&patch(json!([{"op": "add", "path": "members",
                "value": [{"value": "0b5e0c1e-0000-4000-8000-000000000000"}]}]))),
        )
        .await;
    let e = error(&r, 400);
    assert_eq!(e["scimType"], "invalidValue", "{e}");
    let g = scim.get(&format!("/Groups/{gid}")).await.expect(200);
    assert_eq!(member_ids(&g), vec![oid.clone()]);

    // Unlink pushed group, deleting it in the app.
    let r = scim
        .send(Method::DELETE, &format!("/Groups/{gid}"), None)
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    error(&scim.get(&format!("/Groups/{gid}")).await, 404);
    assert_eq!(
        c.v2.by_id(&oid).await.expect(200)["User"]["Groups"],
        json!([])
    );
    gw.assert_no_leaks();
}

backend_tests!(okta_provisioning);
