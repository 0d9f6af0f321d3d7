//! A user's `groups` (RFC 7643 section 4.1.2: `value`, `$ref`, `display`): the names are read
//! once for every user of an answer (GET, list, `.search`, POST, PUT, PATCH all show them).

use insta::assert_json_snapshot;
use rosetta_testkit::{backend_tests, Backend};
use serde_json::{json, Value};

use crate::support::*;

const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";

fn ops(operations: Value) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": operations})
}

/// `(value, display)` of each of a user's groups, sorted by display.
fn shown(user: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = user["groups"]
        .as_array()
        .map(|gs| {
            gs.iter()
                .map(|g| {
                    let value = g["value"].as_str().unwrap().to_owned();
                    // $ref is the group's own location.
                    assert!(
                        g["$ref"]
                            .as_str()
                            .unwrap()
                            .ends_with(&format!("/Groups/{value}")),
                        "{g}"
                    );
                    (value, g["display"].as_str().unwrap_or("<none>").to_owned())
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

async fn groups_show_their_names(backend: Backend) {
    let app = spawn_app(backend).await;
    let scim = Scim::new(&app, "Acme").await;
    let mut users = Vec::new();
    for n in 0..3 {
        let u = scim
            .create_user(&json!({"userName": format!("u{n}@example.com"),
                "name": {"givenName": "User", "familyName": format!("N{n}")}}))
            .await;
        // A new user is in no group.
        assert_eq!(u.get("groups"), None, "{u}");
        users.push(u["id"].as_str().unwrap().to_owned());
    }
    let group = |name: &str, members: &[&String]| {
        json!({"schemas": [GROUP], "displayName": name,
            "members": members.iter().map(|m| json!({"value": m})).collect::<Vec<_>>()})
    };
    let eng = scim
        .post("/Groups", &group("Engineers", &[&users[0], &users[1]]))
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ops_id = scim
        .post("/Groups", &group("Operations", &[&users[0]]))
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let path = format!("/Users/{}", users[0]);
    let u = scim.get(&path).await.expect(200);
    assert_eq!(
        shown(&u),
        vec![
            (eng.clone(), "Engineers".to_owned()),
            (ops_id.clone(), "Operations".to_owned())
        ]
    );
    let mut groups = u["groups"].clone();
    if let Some(gs) = groups.as_array_mut() {
        gs.sort_by_key(|g| g["display"].as_str().map(str::to_owned));
    }
    assert_json_snapshot!("user_groups", groups, {
        "[].value" => "[id]", "[].$ref" => "[ref]",
    });

    // A page of users: each user's groups named, the one in none without `groups`.
    let list = scim.get("/Users?sortBy=userName").await.expect(200);
    let pages: Vec<Vec<(String, String)>> = list["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(shown)
        .collect();
    assert_eq!(
        pages,
        vec![
            vec![
                (eng.clone(), "Engineers".to_owned()),
                (ops_id.clone(), "Operations".to_owned())
            ],
            vec![(eng.clone(), "Engineers".to_owned())],
            vec![],
        ]
    );
    let searched = scim
        .post(
            "/Users/.search",
            &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                "filter": "userName eq \"u1@example.com\""}),
        )
        .await
        .expect(200);
    assert_eq!(
        shown(&searched["Resources"][0]),
        vec![(eng.clone(), "Engineers".to_owned())]
    );
    let root = scim
        .post(
            "/.search",
            &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                "filter": "userName eq \"u1@example.com\""}),
        )
        .await
        .expect(200);
    assert_eq!(
        shown(&root["Resources"][0]),
        vec![(eng.clone(), "Engineers".to_owned())]
    );

    // A rename shows at once.
    scim.patch(
        &format!("/Groups/{eng}"),
        &ops(json!([{"op": "replace", "path": "displayName", "value": "Platform"}])),
    )
    .await
    .expect(200);
    let u = scim.get(&format!("/Users/{}", users[1])).await.expect(200);
    assert_eq!(shown(&u), vec![(eng.clone(), "Platform".to_owned())]);

    // PATCH and PUT answers name the groups too (and leave the memberships as they are).
    let r = scim
        .patch(
            &path,
            &ops(json!([{"op": "replace", "path": "displayName", "value": "First User"}])),
        )
        .await
        .expect(200);
    let want = vec![
        (ops_id.clone(), "Operations".to_owned()),
        (eng.clone(), "Platform".to_owned()),
    ];
    assert_eq!(shown(&r), want);
    let mut body = r.clone();
    body["displayName"] = json!("Still First");
    let r = scim.put(&path, &body).await.expect(200);
    assert_eq!(shown(&r), want);
    // A PATCH that changes nothing answers the same.
    let r = scim
        .patch(
            &path,
            &ops(json!([{"op": "replace", "path": "displayName", "value": "Still First"}])),
        )
        .await
        .expect(200);
    assert_eq!(shown(&r), want);
    // Asked for alone.
    let r = scim
        .get(&format!("{path}?attributes=groups.display"))
        .await
        .expect(200);
    let mut names: Vec<&str> = r["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["display"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, vec!["Operations", "Platform"], "{r}");
}

async fn another_tenants_groups_are_not_named(backend: Backend) {
    // Memberships never cross tenants, so a name never does: a tenant's user lists only its
    // own tenant's groups, named from its own tenant.
    let app = spawn_app(backend).await;
    let acme = Scim::new(&app, "Acme").await;
    let other = Scim::new(&app, "Other").await;
    let a = acme
        .create_user(&json!({"userName": "a@example.com"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let b = other
        .create_user(&json!({"userName": "b@example.com"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    acme.post(
        "/Groups",
        &json!({"schemas": [GROUP], "displayName": "Same", "members": [{"value": a}]}),
    )
    .await
    .expect(201);
    other
        .post(
            "/Groups",
            &json!({"schemas": [GROUP], "displayName": "Secret", "members": [{"value": b}]}),
        )
        .await
        .expect(201);
    let u = acme.get(&format!("/Users/{a}")).await.expect(200);
    let names: Vec<String> = shown(&u).into_iter().map(|(_, d)| d).collect();
    assert_eq!(names, vec!["Same".to_owned()]);
    let list = acme.get("/Users").await.expect(200);
    assert!(!list.to_string().contains("Secret"), "{list}");
}

backend_tests!(
    groups_show_their_names,
    another_tenants_groups_are_not_named
);
