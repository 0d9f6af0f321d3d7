//! v2 `Groups` are group memberships (MAPPING.md "Groups"): a GUID written through v2 is a
//! group with the user as member, and a member added or removed through the directory (as
//! SCIM does) shows in v2's `Groups` at once.

use rosetta_testkit::rosetta_core::{
    Actor, CreateGroupRequest, Members, ModifyGroupRequest, Principal,
};
use rosetta_testkit::{backend_tests, Backend};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::support::*;

async fn groups_are_memberships_both_ways(backend: Backend) {
    let v2 = V2::new(backend).await;
    let (status, body) = v2.post_json(&full_user_json("jo@example.com")).await;
    assert_eq!(status, 200, "{body}");
    let id: Uuid = serde_json::from_str::<Value>(&body).unwrap()["User"]["Id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    // v2 -> groups: each GUID is a group of the tenant, the user a member
    let scim = Actor::machine(v2.tenant, "scim", Principal::Credential(1));
    let dir = &v2.app.directory;
    let a: Uuid = GROUP_A.parse().unwrap();
    let b: Uuid = GROUP_B.parse().unwrap();
    for g in [a, b] {
        let group = dir.get_group(&scim, g, Members::Include).await.unwrap();
        assert_eq!(group.display_name, g.to_string());
        assert_eq!(group.members.len(), 1);
        assert_eq!(group.members[0].user, id);
    }

    // groups -> v2: a new group with the user, and the user out of GROUP_B
    let team = dir
        .create_group(
            &scim,
            CreateGroupRequest {
                display_name: "Team".into(),
                external_id: None,
                members: vec![id],
            },
        )
        .await
        .unwrap();
    dir.modify_group(
        &scim,
        ModifyGroupRequest {
            uuid: b,
            remove_members: vec![id],
            ..ModifyGroupRequest::default()
        },
    )
    .await
    .unwrap();
    let read = |format: &'static str| v2.url("/api/v2/user", format, "email=jo@example.com");
    let (status, body) = v2.get(read("json")).await;
    assert_eq!(status, 200, "{body}");
    let user: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        user["User"]["Groups"],
        json!([GROUP_A, team.uuid.to_string()]),
        "{body}"
    );
    let (status, body) = v2.get(read("xml")).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(&team.uuid.to_string()), "{body}");
    assert!(!body.contains(GROUP_B), "{body}");
}

backend_tests!(groups_are_memberships_both_ways);
