//! `/Groups`: create with members, read, query, PATCH member deltas (Entra ID's and Okta's
//! batches), rename, replace, delete; refusals.

use insta::assert_json_snapshot;
use reqwest::Method;
use rosetta_testkit::{backend_tests, Backend};
use serde_json::{json, Value};

use crate::support::*;

fn user(n: usize) -> Value {
    json!({"userName": format!("member{n}@example.com"),
        "name": {"givenName": "Member", "familyName": format!("N{n}")}})
}

fn ops(operations: Value) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": operations})
}

fn member_ids(group: &Value) -> Vec<String> {
    let mut ids: Vec<String> = group["members"]
        .as_array()
        .map(|m| {
            m.iter()
                .map(|m| m["value"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

async fn lifecycle(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let mut ids = Vec::new();
    for n in 1..=3 {
        ids.push(
            scim.create_user(&user(n)).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let r = scim
        .post(
            "/Groups",
            &json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                "displayName": "Engineers", "externalId": "grp-1",
                "members": [{"value": ids[0]}]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let created = r.json();
    let gid = created["id"].as_str().unwrap().to_owned();
    assert_eq!(r.location.as_deref(), created["meta"]["location"].as_str());
    assert_json_snapshot!("group_created", created, {
        ".id" => "[id]", ".members[].value" => "[id]", ".members[].$ref" => "[ref]",
        ".meta.created" => "[time]", ".meta.lastModified" => "[time]", ".meta.location" => "[location]",
    });
    let path = format!("/Groups/{gid}");
    assert_eq!(scim.get(&path).await.expect(200), created);
    // The user shows its group.
    let u = scim.get(&format!("/Users/{}", ids[0])).await.expect(200);
    assert_eq!(u["groups"][0]["value"], json!(gid));

    // Entra ID: add members in a batch, remove one by value filter.
    let r = scim
        .patch(
            &path,
            &ops(json!([{"op": "Add", "path": "members",
                "value": [{"value": ids[1]}, {"value": ids[2]}]}])),
        )
        .await;
    let mut want = ids.clone();
    want.sort();
    assert_eq!(member_ids(&r.expect(200)), want);
    let r = scim
        .patch(
            &path,
            &ops(json!([{"op": "Remove", "path": format!("members[value eq \"{}\"]", ids[0])}])),
        )
        .await;
    assert_eq!(member_ids(&r.expect(200)).len(), 2);
    // Okta: rename with the id echoed, and remove through a value list.
    let r = scim
        .patch(
            &path,
            &ops(json!([{"op": "replace", "value": {"id": gid, "displayName": "Platform"}}])),
        )
        .await;
    assert_eq!(r.expect(200)["displayName"], json!("Platform"));
    let r = scim
        .patch(
            &path,
            &ops(json!([{"op": "remove", "path": "members", "value": [{"value": ids[1]}]}])),
        )
        .await;
    assert_eq!(member_ids(&r.expect(200)), vec![ids[2].clone()]);

    // Queries.
    let found = scim
        .get("/Groups?filter=displayName%20eq%20%22platform%22&excludedAttributes=members")
        .await
        .expect(200);
    assert_eq!(found["totalResults"], json!(1));
    assert!(found["Resources"][0].get("members").is_none());
    let by_member = scim
        .get(&format!(
            "/Groups?filter=members.value%20eq%20%22{}%22",
            ids[2]
        ))
        .await
        .expect(200);
    assert_eq!(by_member["totalResults"], json!(1));
    let searched = scim
        .post(
            "/Groups/.search",
            &json!({"filter": "externalId eq \"grp-1\""}),
        )
        .await
        .expect(200);
    assert_eq!(searched["totalResults"], json!(1));

    // PUT replaces members and clears the external id.
    let r = scim
        .put(
            &path,
            &json!({"displayName": "Platform", "members": [{"value": ids[0]}]}),
        )
        .await;
    let replaced = r.expect(200);
    assert_eq!(member_ids(&replaced), vec![ids[0].clone()]);
    assert!(replaced.get("externalId").is_none());
    let stale = scim
        .send(
            Method::PUT,
            &path,
            &[("If-Match", "W/\"1\"")],
            Some(&replaced),
        )
        .await;
    assert_error(&stale, 412, None);

    let r = scim.delete(&path).await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert_error(&scim.get(&path).await, 404, None);
    let u = scim.get(&format!("/Users/{}", ids[0])).await.expect(200);
    assert!(u.get("groups").is_none(), "{u}");
}

async fn refusals(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let other = Scim::new(&app, "Other").await;
    scim.post("/Groups", &json!({"displayName": "Ops"}))
        .await
        .expect(201);
    let r = scim.post("/Groups", &json!({"displayName": "OPS"})).await;
    assert_json_snapshot!(
        "group_name_taken",
        assert_error(&r, 409, Some("uniqueness"))
    );
    let r = scim.post("/Groups", &json!({"members": []})).await;
    assert_json_snapshot!(
        "group_name_missing",
        assert_error(&r, 400, Some("invalidValue"))
    );
    let r = scim
        .post(
            "/Groups",
            &json!({"displayName": "X", "members": [{"value": "00000000-0000-4000-8000-000000000000"}]}),
        )
        .await;
    assert_json_snapshot!(
        "group_unknown_member",
        assert_error(&r, 400, Some("invalidValue"))
    );
    // Another tenant's group (and its user as a member) are missing.
    let theirs = other
        .post("/Groups", &json!({"displayName": "Theirs"}))
        .await
        .expect(201);
    let r = scim
        .get(&format!("/Groups/{}", theirs["id"].as_str().unwrap()))
        .await;
    assert_json_snapshot!("group_not_found", assert_error(&r, 404, None));
    let their_user = other.create_user(&user(9)).await;
    let r = scim
        .post(
            "/Groups",
            &json!({"displayName": "Y", "members": [{"value": their_user["id"]}]}),
        )
        .await;
    assert_error(&r, 400, Some("invalidValue"));
}

backend_tests!(lifecycle, refusals);

async fn search_everything(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    for n in 1..=2 {
        scim.create_user(&user(n)).await;
    }
    scim.post("/Groups", &json!({"displayName": "Ops"}))
        .await
        .expect(201);
    let all = scim.post("/.search", &json!({})).await.expect(200);
    assert_eq!(all["totalResults"], json!(3));
    let kinds: Vec<&str> = all["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["meta"]["resourceType"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["User", "User", "Group"]);
    // Paging runs over users, then groups.
    let page = scim
        .post("/.search", &json!({"startIndex": 2, "count": 2}))
        .await
        .expect(200);
    assert_eq!(page["itemsPerPage"], json!(2));
    assert_eq!(page["Resources"][1]["displayName"], json!("Ops"));
    // displayName is an attribute of both.
    let named = scim
        .post("/.search", &json!({"filter": "displayName eq \"Ops\""}))
        .await
        .expect(200);
    assert_eq!(named["totalResults"], json!(1));
    // userName only of Users: Groups add nothing.
    let users = scim
        .post("/.search", &json!({"filter": "userName sw \"member\""}))
        .await
        .expect(200);
    assert_eq!(users["totalResults"], json!(2));
    let r = scim.post("/.search", &json!({"filter": "nope eq 1"})).await;
    assert_error(&r, 400, Some("invalidFilter"));
}

backend_tests!(search_everything);
