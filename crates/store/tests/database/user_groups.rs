//! A user's groups as every single-user read returns them: by id and by key, with its
//! live-session count (kashflow's GET), as the user of a session (every authenticated
//! request) and at login. These reads fold the groups into the user's own statement, so each
//! is checked for the order the groups were written in, and for a user in no group.

use rosetta_core::{
    Actor, CreateGroupRequest, LoginCheck, ModifyGroupRequest, Principal, SessionKind,
    StartSessionRequest, UpdateUserRequest, User, UserKey, UserPatch,
};
use rosetta_testkit::{backend_tests, Backend, Fixtures, TestDirectory};
use uuid::Uuid;

/// Every single-user read of `user`, each as the groups it returned.
async fn groups_by_every_read(app: &TestDirectory, actor: &Actor, user: &User) -> Vec<Vec<Uuid>> {
    let dir = &app.directory;
    let by_id = dir.get_user(actor, UserKey::Id(user.id)).await.unwrap();
    let by_uuid = dir.get_user(actor, UserKey::Uuid(user.uuid)).await.unwrap();
    let by_name = dir
        .get_user(actor, UserKey::Username(user.username.as_str().into()))
        .await
        .unwrap();
    let (with_count, live) = dir.get_user_with_sessions(actor, user.id).await.unwrap();
    assert_eq!(live, 1, "the session started below is live");
    let (_, token) = dir
        .start_session(StartSessionRequest {
            user,
            dialect: "kashflow",
            kind: SessionKind::Session,
            data: None,
        })
        .await
        .unwrap();
    let auth = dir
        .find_session("kashflow", SessionKind::Session, &token)
        .await
        .unwrap()
        .expect("the session just started");
    let LoginCheck::Ok(logged_in, _) = dir
        .check_login(UserKey::Username(user.username.as_str().into()), "letmein")
        .await
        .unwrap()
    else {
        panic!("the user's own password")
    };
    let refs: Vec<Uuid> = dir
        .groups_of_user(actor, user.uuid)
        .await
        .unwrap()
        .iter()
        .map(|g| g.uuid)
        .collect();
    vec![
        by_id.groups,
        by_uuid.groups,
        by_name.groups,
        with_count.groups,
        auth.user.groups,
        logged_in.groups,
        refs,
    ]
}

async fn groups_in_written_order_on_every_read(backend: Backend) {
    let app = TestDirectory::open(backend).await;
    let dir = &app.directory;
    let (tenant, _) = app.tenant("Acme").await;
    let actor = Actor::machine(tenant, "scim", Principal::Credential(1));
    let ada = app.user(tenant, "ada", "ada@example.com", "letmein").await;
    let bob = app.user(tenant, "bob", "bob@example.com", "letmein").await;
    let mut made = Vec::new();
    for name in ["A", "B", "C", "D"] {
        let g = dir
            .create_group(
                &actor,
                CreateGroupRequest {
                    display_name: name.into(),
                    external_id: None,
                    members: Vec::new(),
                },
            )
            .await
            .unwrap();
        made.push(g.uuid);
    }
    let [a, b, c, d] = [made[0], made[1], made[2], made[3]];
    // Written from the user's side as C, A: that order, not the groups' ids.
    dir.update_user(
        &actor,
        UpdateUserRequest {
            id: ada.id,
            patch: UserPatch {
                groups: Some(vec![c, a]),
                ..UserPatch::default()
            },
            expected_version: None,
        },
    )
    .await
    .unwrap();
    // Added from the groups' side, D first: after the written ones, among themselves by group.
    for g in [d, b] {
        dir.modify_group(
            &actor,
            ModifyGroupRequest {
                uuid: g,
                add_members: vec![ada.uuid],
                ..ModifyGroupRequest::default()
            },
        )
        .await
        .unwrap();
    }
    // One live session each, so the count beside the user is 1 on the first read below.
    for u in [&ada, &bob] {
        dir.start_session(StartSessionRequest {
            user: u,
            dialect: "kashflow",
            kind: SessionKind::Session,
            data: None,
        })
        .await
        .unwrap();
    }

    let expected = vec![c, a, b, d];
    for (read, groups) in groups_by_every_read(&app, &actor, &ada)
        .await
        .into_iter()
        .enumerate()
    {
        assert_eq!(groups, expected, "read {read} of ada");
    }
    for (read, groups) in groups_by_every_read(&app, &actor, &bob)
        .await
        .into_iter()
        .enumerate()
    {
        assert!(groups.is_empty(), "read {read} of bob: {groups:?}");
    }
}

backend_tests!(groups_in_written_order_on_every_read);
