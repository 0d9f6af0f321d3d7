//! Microsoft Entra ID's provisioning cycle, with the request bodies of Microsoft's guide
//! ("Tutorial: Develop and plan provisioning for a SCIM endpoint", section "SCIM protocol
//! requests and responses") and of its SCIM compliance page (the `"active": "False"` and
//! capitalised op names it sends without the `aadOptscim062020` flag, and the compliant forms
//! with it). Every change is also read back through v2 and keaz: one directory.

use reqwest::Method;
use rosetta_e2e::TestGateway;
use rosetta_testkit::callers::admin_clients;
use rosetta_testkit::{backend_tests, enc, Backend};
use serde_json::{json, Value};

use super::{error, list, member_ids, patched, resources, Scim, USER_SCHEMA};

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const USER_NAME: &str = "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee";
const EMAIL: &str = "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com";

fn create_body(user_name: &str, email: &str, external_id: &str) -> Value {
    json!({
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "externalId": external_id,
        "userName": user_name,
        "active": true,
        "emails": [{"primary": true, "type": "work", "value": email}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "givenName familyName", "familyName": "familyName",
                 "givenName": "givenName"},
        "roles": []
    })
}

fn patch(ops: Value) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops})
}

async fn entra_id_provisioning(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let gw = app.client.clone();
    let (tenant, c) = admin_clients(&app, &gw, "Contoso", "root", "root@contoso.test").await;
    let scim = Scim::of(&app, &gw, tenant).await;

    // 1. Is the user there? Not yet: an empty ListResponse, not a 404.
    let none = scim
        .users_where(&format!("userName eq \"{USER_NAME}\""))
        .await;
    assert_eq!(none["totalResults"], 0, "{none}");
    assert!(resources(&none).is_empty(), "{none}");

    // 2. Create.
    let r = scim
        .send(
            Method::POST,
            "/Users",
            Some(&create_body(
                USER_NAME,
                EMAIL,
                "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
            )),
        )
        .await;
    let user = r.expect(201);
    let id = user["id"].as_str().unwrap().to_owned();
    assert_eq!(user["userName"], USER_NAME);
    assert_eq!(user["externalId"], "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef");
    assert_eq!(user["active"], true);
    assert_eq!(user["name"]["givenName"], "givenName");
    assert_eq!(user["name"]["familyName"], "familyName");
    assert_eq!(user["emails"][0]["value"], EMAIL);
    let location = r.location.clone().expect("Location on 201");
    assert_eq!(user["meta"]["location"], location.as_str());
    assert!(
        location.ends_with(&format!("/scim/v2/Users/{id}")),
        "{location}"
    );
    assert!(r.header("etag").is_some(), "ETag on 201");
    // The same person in v2 (its Id is the SCIM id) and keaz.
    let v = c.v2.by_id(&id).await.expect(200)["User"].clone();
    assert_eq!(v["Email"], EMAIL);
    assert_eq!(v["FirstName"], "givenName");
    assert_eq!(v["LastName"], "familyName");
    assert_eq!(v["Status"], "Active");

    // 3. Found by userName (any letter case: caseExact false) and by externalId; read by id.
    let found = scim
        .the_user(&format!("userName eq \"{}\"", USER_NAME.to_lowercase()))
        .await;
    assert_eq!(found["id"], id.as_str());
    let found = scim
        .the_user("externalId eq \"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef\"")
        .await;
    assert_eq!(found["id"], id.as_str());
    let found = scim
        .the_user(&format!(
            "emails[type eq \"work\" and value eq \"{EMAIL}\"]"
        ))
        .await;
    assert_eq!(found["id"], id.as_str());
    let got = scim.get(&format!("/Users/{id}")).await.expect(200);
    assert_eq!(got["userName"], USER_NAME);

    // 4. Update User [multi-valued properties]: Replace with capitalised op names.
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(&patch(json!([
                {"op": "Replace", "path": "emails[type eq \"work\"].value",
                 "value": "updatedEmail@microsoft.com"},
                {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"}
            ]))),
        )
        .await;
    patched(&r);
    let got = scim.get(&format!("/Users/{id}")).await.expect(200);
    assert_eq!(got["emails"][0]["value"], "updatedEmail@microsoft.com");
    assert_eq!(got["name"]["familyName"], "updatedFamilyName");
    assert_eq!(got["name"]["givenName"], "givenName");
    let v = c.v2.by_id(&id).await.expect(200)["User"].clone();
    assert_eq!(v["Email"], "updatedEmail@microsoft.com");
    assert_eq!(v["LastName"], "updatedFamilyName");

    // 5. Update User [single-valued properties]: the userName.
    let renamed = "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com";
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(&patch(
                json!([{"op": "Replace", "path": "userName", "value": renamed}]),
            )),
        )
        .await;
    patched(&r);
    assert_eq!(
        scim.the_user(&format!("userName eq \"{renamed}\"")).await["id"],
        id.as_str()
    );
    let k = c.kf.get("/users").await.expect(200);
    assert!(
        k.as_array()
            .unwrap()
            .iter()
            .any(|u| u["Username"] == renamed),
        "{k}"
    );

    // 6. Replace of several attributes, as sent without the flag (one op each, capitalised) ...
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(&patch(json!([
                {"op": "Replace", "path": "displayName", "value": "Pvlo Pkqf"},
                {"op": "Replace", "path": "emails[type eq \"work\"].value",
                 "value": "TestBcwqnm@test.microsoft.com"},
                {"op": "Replace", "path": "name.givenName", "value": "Gtfd"},
                {"op": "Replace", "path": "name.familyName", "value": "Pkqf"},
                {"op": "Replace", "path": "externalId", "value": "Eqpj"},
                {"op": "Replace", "path": format!("{ENTERPRISE}:employeeNumber"),
                 "value": "Eqpj"}
            ]))),
        )
        .await;
    patched(&r);
    let got = scim.get(&format!("/Users/{id}")).await.expect(200);
    assert_eq!(got["name"]["givenName"], "Gtfd");
    assert_eq!(got["name"]["familyName"], "Pkqf");
    assert_eq!(got["externalId"], "Eqpj");
    assert_eq!(got["emails"][0]["value"], "TestBcwqnm@test.microsoft.com");
    assert_eq!(got[ENTERPRISE]["employeeNumber"], "Eqpj");
    let number = c
        .keaz
        .send(
            Method::GET,
            &format!(
                "/user/byemail?email={}",
                enc("TestBcwqnm@test.microsoft.com")
            ),
            None,
        )
        .await
        .expect(200);
    assert_eq!(number["employee_id"], "Eqpj");
    let user_number = number["id"].as_i64().unwrap();

    // ... and as sent with it (one no-path replace holding dotted and URN-prefixed keys).
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(&patch(json!([
                {"op": "replace", "path": "emails[type eq \"work\"].value",
                 "value": "TestMhvaes@test.microsoft.com"},
                {"op": "replace", "value": {
                    "displayName": "Kkom Unua",
                    "name.givenName": "Kkom",
                    "name.familyName": "Unua",
                    format!("{ENTERPRISE}:employeeNumber"): "Aklq"
                }}
            ]))),
        )
        .await;
    patched(&r);
    let got = scim.get(&format!("/Users/{id}")).await.expect(200);
    assert_eq!(got["name"]["givenName"], "Kkom");
    assert_eq!(got["name"]["familyName"], "Unua");
    assert_eq!(got["emails"][0]["value"], "TestMhvaes@test.microsoft.com");
    assert_eq!(got[ENTERPRISE]["employeeNumber"], "Aklq");
    assert_eq!(
        c.keaz.user(user_number).await.expect(200)["employee_id"],
        "Aklq"
    );

    // 7. Disable User: "False" as a string (without the flag), then the boolean (with it).
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(&patch(
                json!([{"op": "Replace", "path": "active", "value": "False"}]),
            )),
        )
        .await;
    patched(&r);
    // The validator's own check: a filtered GET of a disabled user shows `active` false.
    let found = scim.the_user(&format!("userName eq \"{renamed}\"")).await;
    assert_eq!(found["active"], false, "{found}");
    assert_eq!(
        c.keaz.user(user_number).await.expect(200)["status"],
        "inactive"
    );
    assert_eq!(
        c.v2.by_id(&id).await.expect(200)["User"]["Status"],
        "Inactive"
    );
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(&patch(
                json!([{"op": "Replace", "path": "active", "value": "True"}]),
            )),
        )
        .await;
    patched(&r);
    assert_eq!(
        c.keaz.user(user_number).await.expect(200)["status"],
        "active"
    );
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(&patch(
                json!([{"op": "replace", "path": "active", "value": false}]),
            )),
        )
        .await;
    patched(&r);
    assert_eq!(
        scim.get(&format!("/Users/{id}")).await.expect(200)["active"],
        false
    );
    assert_eq!(
        c.keaz.user(user_number).await.expect(200)["status"],
        "inactive"
    );

    // 8. Groups: created with no members (and Microsoft's extra schema URN), found by
    // displayName with the members excluded.
    let r = scim
        .send(
            Method::POST,
            "/Groups",
            Some(&json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group",
                    "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
                "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
                "displayName": "displayName",
                "meta": {"resourceType": "Group"}
            })),
        )
        .await;
    let group = r.expect(201);
    let gid = group["id"].as_str().unwrap().to_owned();
    assert_eq!(group["displayName"], "displayName");
    assert!(member_ids(&group).is_empty(), "{group}");
    let l = list(
        &scim
            .get(&format!(
                "/Groups?excludedAttributes=members&filter={}",
                enc("displayName eq \"displayName\"")
            ))
            .await,
    );
    assert_eq!(l["totalResults"], 1, "{l}");
    assert_eq!(l["Resources"][0]["id"], gid.as_str());
    assert!(l["Resources"][0].get("members").is_none(), "{l}");
    let g = scim
        .get(&format!("/Groups/{gid}?excludedAttributes=members"))
        .await
        .expect(200);
    assert_eq!(g["externalId"], "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159");
    assert!(g.get("members").is_none(), "{g}");

    // 9. Members added in batches (Entra sends `"$ref": null`), removed in both forms.
    let mut ids = vec![];
    for n in 0..6 {
        let u = scim
            .send(
                Method::POST,
                "/Users",
                Some(&create_body(
                    &format!("member{n}@contoso.test"),
                    &format!("member{n}@contoso.test"),
                    &format!("ext-member-{n}"),
                )),
            )
            .await
            .expect(201);
        ids.push(u["id"].as_str().unwrap().to_owned());
    }
    let batch = |which: &[String]| -> Value {
        Value::Array(
            which
                .iter()
                .map(|i| json!({"$ref": null, "value": i}))
                .collect(),
        )
    };
    for chunk in ids.chunks(4) {
        let r = scim
            .send(
                Method::PATCH,
                &format!("/Groups/{gid}"),
                Some(&patch(
                    json!([{"op": "Add", "path": "members", "value": batch(chunk)}]),
                )),
            )
            .await;
        patched(&r);
    }
    let mut all = ids.clone();
    all.sort();
    let g = scim.get(&format!("/Groups/{gid}")).await.expect(200);
    assert_eq!(member_ids(&g), all, "{g}");
    // Adding a member twice changes nothing.
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Groups/{gid}"),
            Some(&patch(
                json!([{"op": "Add", "path": "members", "value": batch(&ids[..1])}]),
            )),
        )
        .await;
    patched(&r);
    let g = scim.get(&format!("/Groups/{gid}")).await.expect(200);
    assert_eq!(member_ids(&g), all, "{g}");
    // Each member's v2 Groups holds the group, and SCIM's own `groups` of the user.
    for i in &ids {
        let v = c.v2.by_id(i).await.expect(200)["User"].clone();
        assert_eq!(v["Groups"], json!([gid]), "{v}");
    }
    let u = scim.get(&format!("/Users/{}", ids[0])).await.expect(200);
    assert_eq!(u["groups"][0]["value"], gid.as_str(), "{u}");

    // Without the flag: Remove with a value list; with it: a value-filter path.
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Groups/{gid}"),
            Some(&patch(
                json!([{"op": "Remove", "path": "members", "value": batch(&ids[..2])}]),
            )),
        )
        .await;
    patched(&r);
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Groups/{gid}"),
            Some(&patch(json!([{"op": "remove",
                "path": format!("members[value eq \"{}\"]", ids[2])}]))),
        )
        .await;
    patched(&r);
    let mut left = ids[3..].to_vec();
    left.sort();
    let g = scim.get(&format!("/Groups/{gid}")).await.expect(200);
    assert_eq!(member_ids(&g), left, "{g}");
    assert_eq!(
        c.v2.by_id(&ids[0]).await.expect(200)["User"]["Groups"],
        json!([])
    );
    assert_eq!(
        c.v2.by_id(&ids[3]).await.expect(200)["User"]["Groups"],
        json!([gid])
    );

    // 10. Update Group [non-member attributes].
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Groups/{gid}"),
            Some(&patch(json!([{"op": "Replace", "path": "displayName",
                "value": "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"}]))),
        )
        .await;
    patched(&r);
    let g = scim.get(&format!("/Groups/{gid}")).await.expect(200);
    assert_eq!(
        g["displayName"],
        "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"
    );
    assert_eq!(member_ids(&g), left, "a rename keeps the members");

    // 11. Delete User (a member: it leaves the group), then Delete Group.
    let r = scim
        .send(Method::DELETE, &format!("/Users/{}", ids[3]), None)
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert_eq!(r.text, "");
    error(&scim.get(&format!("/Users/{}", ids[3])).await, 404);
    assert_eq!(c.v2.by_id(&ids[3]).await.status, 404);
    let g = scim.get(&format!("/Groups/{gid}")).await.expect(200);
    let remaining: Vec<String> = left.iter().filter(|x| **x != ids[3]).cloned().collect();
    assert_eq!(
        member_ids(&g),
        remaining,
        "a deleted user leaves its groups: {g}"
    );
    let r = scim
        .send(Method::DELETE, &format!("/Groups/{gid}"), None)
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    error(&scim.get(&format!("/Groups/{gid}")).await, 404);
    assert_eq!(
        c.v2.by_id(&ids[4]).await.expect(200)["User"]["Groups"],
        json!([])
    );
    // The first user is still there, disabled; deleting it frees its userName.
    let r = scim
        .send(Method::DELETE, &format!("/Users/{id}"), None)
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let none = scim
        .users_where(&format!("userName eq \"{renamed}\""))
        .await;
    assert_eq!(none["totalResults"], 0, "{none}");
    gw.assert_no_leaks();
}

backend_tests!(entra_id_provisioning);
