//! Groups and memberships over a real database: writes with their audit rows, uniqueness,
//! members of the tenant only, isolation, and both directions of v2's `Groups`.

use rosetta_core::{
    Actor, AuditAction, CoreError, CreateGroupRequest, DeleteGroupRequest, Field, Members,
    ModifyGroupRequest, NameInput, Problem, ReplaceGroupRequest, UniqueField, UpdateUserRequest,
    User, UserKey, UserPatch,
};
use rosetta_testkit::{backend_tests, Backend, Fixtures, TestDirectory};
use uuid::Uuid;

async fn setup(backend: Backend) -> (TestDirectory, Actor, Vec<User>) {
    let app = TestDirectory::open(backend).await;
    let (tenant, _) = app.tenant("Acme").await;
    let mut users = Vec::new();
    for n in ["ada", "bob", "cy"] {
        let u = app
            .user_with(tenant, n, &format!("{n}@example.com"), "letmein", |u| {
                u.name = NameInput::Full(format!("{n} Tester"));
            })
            .await;
        users.push(u);
    }
    (
        app,
        Actor::machine(tenant, "scim", rosetta_core::Principal::Credential(1)),
        users,
    )
}

fn create(name: &str, members: &[&User]) -> CreateGroupRequest {
    CreateGroupRequest {
        display_name: name.into(),
        external_id: None,
        members: members.iter().map(|u| u.uuid).collect(),
    }
}

fn uuids(g: &rosetta_core::Group) -> Vec<Uuid> {
    g.members.iter().map(|m| m.user).collect()
}

async fn create_read_modify_delete_with_audit(backend: Backend) {
    let (app, actor, users) = setup(backend).await;
    let dir = &app.directory;
    let mut req = create("Engineers", &[&users[1], &users[0]]);
    req.external_id = Some("EXT-1".into());
    let g = dir.create_group(&actor, req).await.unwrap();
    assert_eq!(g.version, 1);
    assert_eq!(g.external_id.as_deref(), Some("EXT-1"));
    // members in the order they joined the tenant, each with its full name
    assert_eq!(uuids(&g), vec![users[0].uuid, users[1].uuid]);
    assert_eq!(g.members[0].display, "ada Tester");
    assert_eq!(
        dir.get_group(&actor, g.uuid, Members::Include)
            .await
            .unwrap(),
        g
    );
    let bare = dir
        .get_group(&actor, g.uuid, Members::Exclude)
        .await
        .unwrap();
    assert!(bare.members.is_empty());

    // one modify: rename, remove bob, add cy (twice is once), in one version step
    let m = dir
        .modify_group(
            &actor,
            ModifyGroupRequest {
                uuid: g.uuid,
                expected_version: Some(1),
                display_name: Some("Builders".into()),
                add_members: vec![users[2].uuid, users[2].uuid],
                remove_members: vec![users[1].uuid, Uuid::new_v4()],
                ..ModifyGroupRequest::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(m.version, 2);
    assert_eq!(m.display_name, "Builders");
    assert_eq!(m.external_id.as_deref(), Some("EXT-1"));
    assert_eq!(uuids(&m), vec![users[0].uuid, users[2].uuid]);
    // a stale version is refused and changes nothing
    let stale = dir
        .modify_group(
            &actor,
            ModifyGroupRequest {
                uuid: g.uuid,
                expected_version: Some(1),
                display_name: Some("Nope".into()),
                ..ModifyGroupRequest::default()
            },
        )
        .await;
    assert!(
        matches!(stale, Err(CoreError::VersionConflict { current: 2 })),
        "{stale:?}"
    );
    // an unknown member fails the whole write: the name stays as it was
    let stranger = Uuid::new_v4();
    let bad = dir
        .modify_group(
            &actor,
            ModifyGroupRequest {
                uuid: g.uuid,
                display_name: Some("Half".into()),
                add_members: vec![stranger],
                ..ModifyGroupRequest::default()
            },
        )
        .await;
    assert!(
        matches!(&bad, Err(CoreError::Validation { field: Field::Members, problem: Problem::UnknownMember { uuid } }) if *uuid == stranger),
        "{bad:?}"
    );
    let now = dir
        .get_group(&actor, g.uuid, Members::Include)
        .await
        .unwrap();
    assert_eq!(now, m);

    // replace: everything as given
    let r = dir
        .replace_group(
            &actor,
            ReplaceGroupRequest {
                uuid: g.uuid,
                expected_version: None,
                display_name: "Everyone".into(),
                external_id: None,
                members: vec![users[1].uuid],
            },
        )
        .await
        .unwrap();
    assert_eq!((r.version, r.external_id.clone()), (3, None));
    assert_eq!(uuids(&r), vec![users[1].uuid]);

    dir.delete_group(
        &actor,
        DeleteGroupRequest {
            uuid: g.uuid,
            expected_version: Some(3),
        },
    )
    .await
    .unwrap();
    assert!(matches!(
        dir.get_group(&actor, g.uuid, Members::Include).await,
        Err(CoreError::NotFound)
    ));
    let audits = dir.group_audits(&actor, g.uuid).await.unwrap();
    let actions: Vec<AuditAction> = audits.iter().map(|a| a.action).collect();
    // the refused writes left no audit row
    assert_eq!(
        actions,
        vec![
            AuditAction::Create,
            AuditAction::Update,
            AuditAction::Update,
            AuditAction::Delete
        ]
    );
    assert_eq!(audits[0].dialect, "scim");
    assert_eq!(audits[1].display_name, "Builders");
}

async fn names_unique_in_any_case_and_isolated(backend: Backend) {
    let (app, actor, users) = setup(backend).await;
    let dir = &app.directory;
    let mut first = create("Admins", &[]);
    first.external_id = Some("X".into());
    let g = dir.create_group(&actor, first).await.unwrap();
    let clash = dir.create_group(&actor, create("ADMINS", &[])).await;
    assert!(
        matches!(
            clash,
            Err(CoreError::Conflict(UniqueField::GroupDisplayName))
        ),
        "{clash:?}"
    );
    let mut ext = create("Other", &[]);
    ext.external_id = Some("X".into());
    let clash = dir.create_group(&actor, ext).await;
    assert!(
        matches!(
            clash,
            Err(CoreError::Conflict(UniqueField::GroupExternalId))
        ),
        "{clash:?}"
    );
    let empty = dir.create_group(&actor, create("  ", &[])).await;
    assert!(matches!(
        empty,
        Err(CoreError::Validation {
            field: Field::DisplayName,
            ..
        })
    ));

    // another tenant: its own "Admins" is fine; ours is not found there, and our users are
    // no members it may add
    let (other, _) = app.tenant("Other").await;
    let them = Actor::machine(other, "scim", rosetta_core::Principal::Credential(2));
    dir.create_group(&them, create("Admins", &[]))
        .await
        .unwrap();
    assert!(matches!(
        dir.get_group(&them, g.uuid, Members::Include).await,
        Err(CoreError::NotFound)
    ));
    let cross = dir
        .create_group(&them, create("Thieves", &[&users[0]]))
        .await;
    assert!(
        matches!(
            cross,
            Err(CoreError::Validation {
                field: Field::Members,
                ..
            })
        ),
        "{cross:?}"
    );
    let del = dir
        .delete_group(
            &them,
            DeleteGroupRequest {
                uuid: g.uuid,
                expected_version: None,
            },
        )
        .await;
    assert!(matches!(del, Err(CoreError::NotFound)));
    assert!(matches!(
        dir.groups_of_user(&them, users[0].uuid).await,
        Err(CoreError::NotFound)
    ));
    // a non-administrator writes no group
    let mut plain = actor.clone();
    plain.admin = false;
    assert!(matches!(
        dir.create_group(&plain, create("Mine", &[])).await,
        Err(CoreError::Forbidden(_))
    ));
}

async fn memberships_show_on_both_sides(backend: Backend) {
    let (app, actor, users) = setup(backend).await;
    let dir = &app.directory;
    let g = dir
        .create_group(&actor, create("Team", &[&users[0]]))
        .await
        .unwrap();
    // the user's groups (v2 `Groups`) come from the membership
    let ada = dir
        .get_user(&actor, UserKey::Uuid(users[0].uuid))
        .await
        .unwrap();
    assert_eq!(ada.groups, vec![g.uuid]);
    let refs = dir.groups_of_user(&actor, users[0].uuid).await.unwrap();
    assert_eq!(refs[0].display_name, "Team");

    // a user write of `Groups` (as v2 makes it) replaces the memberships; an unknown GUID
    // becomes a group named by its text
    let unknown = Uuid::new_v4();
    let bob = dir
        .update_user(
            &actor,
            UpdateUserRequest {
                id: users[1].id,
                patch: UserPatch {
                    groups: Some(vec![g.uuid, unknown]),
                    ..UserPatch::default()
                },
                expected_version: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(bob.groups, vec![g.uuid, unknown]);
    let team = dir
        .get_group(&actor, g.uuid, Members::Include)
        .await
        .unwrap();
    assert_eq!(uuids(&team), vec![users[0].uuid, users[1].uuid]);
    assert_eq!(
        team.version, 2,
        "a member added from the user's side is a change of the group"
    );
    let made = dir
        .get_group(&actor, unknown, Members::Include)
        .await
        .unwrap();
    assert_eq!(made.display_name, unknown.to_string());
    assert_eq!(uuids(&made), vec![users[1].uuid]);

    // the list reads back in the order written (v2's round trip)
    let reordered = dir
        .update_user(
            &actor,
            UpdateUserRequest {
                id: users[1].id,
                patch: UserPatch {
                    groups: Some(vec![unknown, g.uuid]),
                    ..UserPatch::default()
                },
                expected_version: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(reordered.groups, vec![unknown, g.uuid]);
    let bob = dir
        .update_user(
            &actor,
            UpdateUserRequest {
                id: users[1].id,
                patch: UserPatch {
                    groups: Some(vec![g.uuid, unknown]),
                    ..UserPatch::default()
                },
                expected_version: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(bob.groups, vec![g.uuid, unknown]);
    // a user write that does not name groups leaves them alone
    let bob = dir
        .update_user(
            &actor,
            UpdateUserRequest {
                id: users[1].id,
                patch: UserPatch {
                    name: Some(NameInput::Full("Bob Renamed".into())),
                    ..UserPatch::default()
                },
                expected_version: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(bob.groups, vec![g.uuid, unknown]);

    // deleting a user removes its memberships; deleting a group removes it from every user
    dir.delete_user(&actor, users[0].id).await.unwrap();
    let team = dir
        .get_group(&actor, g.uuid, Members::Include)
        .await
        .unwrap();
    assert_eq!(uuids(&team), vec![users[1].uuid]);
    dir.delete_group(
        &actor,
        DeleteGroupRequest {
            uuid: g.uuid,
            expected_version: None,
        },
    )
    .await
    .unwrap();
    let bob = dir
        .get_user(&actor, UserKey::Id(users[1].id))
        .await
        .unwrap();
    assert_eq!(bob.groups, vec![unknown]);
    // the same GUID in another tenant is a group of that tenant
    let (other, _) = app.tenant("Other").await;
    let zed = app.user(other, "zed", "zed@example.com", "letmein").await;
    let them = Actor::cli(other);
    let zed = dir
        .update_user(
            &them,
            UpdateUserRequest {
                id: zed.id,
                patch: UserPatch {
                    groups: Some(vec![unknown]),
                    ..UserPatch::default()
                },
                expected_version: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(zed.groups, vec![unknown]);
    let theirs = dir
        .get_group(&them, unknown, Members::Include)
        .await
        .unwrap();
    assert_eq!(uuids(&theirs), vec![zed.uuid]);
    let ours = dir
        .get_group(&actor, unknown, Members::Include)
        .await
        .unwrap();
    assert_eq!(uuids(&ours), vec![users[1].uuid]);
}

backend_tests!(
    create_read_modify_delete_with_audit,
    names_unique_in_any_case_and_isolated,
    memberships_show_on_both_sides,
);
