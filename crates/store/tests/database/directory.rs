//! The directory service over a real database, opened as the gateway opens it.

use std::collections::BTreeSet;

use rosetta_core::{
    Actor, AuditAction, CoreError, CreateUserRequest, Cursor, Directory, Field, NameInput, NewUser,
    Onboarding, Settings, Status, UniqueField, UpdateUserRequest, User, UserFilter, UserId,
    UserKey, UserPatch,
};
use rosetta_testkit::{backend_tests, test_settings, Backend, Fixtures, TestDirectory};
use uuid::Uuid;

fn new_user(username: &str, email: &str, full: &str) -> NewUser {
    let mut n = NewUser::new(email, NameInput::Full(full.into()));
    n.username = Some(username.into());
    n.password = Some("letmein".into());
    n
}

async fn setup(backend: Backend) -> (TestDirectory, Actor) {
    let app = TestDirectory::open(backend).await;
    let (tenant, _) = app.tenant("Acme").await;
    (app, Actor::cli(tenant))
}

async fn create_and_read_by_every_key(backend: Backend) {
    let (app, actor) = setup(backend).await;
    let dir = &app.directory;
    let mut n = new_user("jsmith", "John.Smith@Example.com", "John Ronald Smith");
    n.external_id = Some("SAP-42".into());
    n.memorable_word = Some("aardvark".into());
    let u = dir
        .create_user(
            &actor,
            CreateUserRequest {
                user: n,
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap();
    assert_eq!(u.names.first, "John");
    assert_eq!(u.names.last, "Ronald Smith");
    assert_eq!(u.status, Status::Active);
    assert_eq!(
        u.role_number, 2,
        "a user created without a role gets role 2"
    );
    assert!(u.has_password && u.has_memorable_word);
    assert_eq!(u.version, 1);
    assert_eq!(u.last_login_at, None);

    for key in [
        UserKey::Id(u.id),
        UserKey::Uuid(u.uuid),
        UserKey::Email("john.smith@example.COM".into()),
        UserKey::Username("JSMITH".into()),
        UserKey::ExternalId("SAP-42".into()),
    ] {
        let got = dir.get_user(&actor, key.clone()).await.unwrap();
        assert_eq!(got, u, "by {key:?}");
    }
    // The external id is exact, not case-insensitive (v2 spec).
    assert!(matches!(
        dir.get_user(&actor, UserKey::ExternalId("sap-42".into()))
            .await,
        Err(CoreError::NotFound)
    ));
    assert!(matches!(
        dir.get_user(&actor, UserKey::Uuid(Uuid::new_v4())).await,
        Err(CoreError::NotFound)
    ));

    // Secrets are stored hashed and encrypted, never as written.
    let secrets = dir.user_secrets(actor.tenant, u.id).await.unwrap();
    assert!(secrets.password_hash.as_deref().unwrap().starts_with("$2"));
    assert!(!secrets
        .memorable_word_enc
        .as_deref()
        .unwrap()
        .contains("aardvark"));
    assert_eq!(
        dir.memorable_letters(&secrets, &[1, 3, 8]).unwrap(),
        vec!['a', 'r', 'k']
    );
}

async fn partial_update_and_versions(backend: Backend) {
    let (app, actor) = setup(backend).await;
    let dir = &app.directory;
    let u = dir
        .create_user(
            &actor,
            CreateUserRequest {
                user: new_user("amy", "amy@example.com", "Amy Pond"),
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap();

    let patch = UserPatch {
        name: Some(NameInput::Parts {
            first: "Amelia".into(),
            last: "Pond".into(),
        }),
        default_account_id: Some(Some(7)),
        ..UserPatch::default()
    };
    let v2 = dir
        .update_user(
            &actor,
            UpdateUserRequest {
                id: u.id,
                patch,
                expected_version: Some(1),
            },
        )
        .await
        .unwrap();
    assert_eq!(v2.names.full, "Amelia Pond");
    assert_eq!(v2.email, u.email, "unsent fields stay");
    assert_eq!(v2.username, u.username);
    assert_eq!(v2.default_account_id, Some(7));
    assert_eq!(v2.version, 2);

    // A stale version is refused and changes nothing.
    let stale = UserPatch {
        email: Some("other@example.com".into()),
        ..UserPatch::default()
    };
    let err = dir
        .update_user(
            &actor,
            UpdateUserRequest {
                id: u.id,
                patch: stale,
                expected_version: Some(1),
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, CoreError::VersionConflict { current: 2 }),
        "{err:?}"
    );
    let now = dir.get_user(&actor, UserKey::Id(u.id)).await.unwrap();
    assert_eq!(now, v2);

    // Clearing an optional field.
    let clear = UserPatch {
        default_account_id: Some(None),
        ..UserPatch::default()
    };
    let v3 = dir
        .update_user(
            &actor,
            UpdateUserRequest {
                id: u.id,
                patch: clear,
                expected_version: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(v3.default_account_id, None);
    assert_eq!(v3.version, 3);

    // A new password replaces the old one.
    let pw = UserPatch {
        password: Some("n3w-secret".into()),
        ..UserPatch::default()
    };
    dir.update_user(
        &actor,
        UpdateUserRequest {
            id: u.id,
            patch: pw,
            expected_version: None,
        },
    )
    .await
    .unwrap();
    assert!(matches!(
        dir.check_login(UserKey::Username("amy".into()), "letmein")
            .await
            .unwrap(),
        rosetta_core::LoginCheck::Rejected
    ));
    assert!(matches!(
        dir.check_login(UserKey::Username("amy".into()), "n3w-secret")
            .await
            .unwrap(),
        rosetta_core::LoginCheck::Ok(..)
    ));
}

async fn delete_frees_names_and_keeps_audit(backend: Backend) {
    let (app, actor) = setup(backend).await;
    let dir = &app.directory;
    let u = dir
        .create_user(
            &actor,
            CreateUserRequest {
                user: new_user("gone", "gone@example.com", "Gone Soon"),
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap();
    dir.delete_user(&actor, u.id).await.unwrap();
    assert!(matches!(
        dir.get_user(&actor, UserKey::Id(u.id)).await,
        Err(CoreError::NotFound)
    ));
    assert!(matches!(
        dir.delete_user(&actor, u.id).await,
        Err(CoreError::NotFound)
    ));
    // Username and email are free again.
    let again = dir
        .create_user(
            &actor,
            CreateUserRequest {
                user: new_user("GONE", "Gone@Example.com", "Back Again"),
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap();
    assert_ne!(again.id, u.id);
    let deleted = dir.deleted_audits(&actor, 10).await.unwrap();
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].user_id, u.id);
    assert_eq!(deleted[0].user_email, "gone@example.com");
    assert_eq!(deleted[0].actor, "cli");
    assert_eq!(deleted[0].dialect, "cli");
}

async fn uniqueness_in_any_letter_case(backend: Backend) {
    let (app, actor) = setup(backend).await;
    let dir = &app.directory;
    let mut first = new_user("Jo", "jo@example.com", "Jo One");
    first.external_id = Some("X1".into());
    let jo = dir
        .create_user(
            &actor,
            CreateUserRequest {
                user: first,
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap();

    let clash = |u: &str, e: &str, x: Option<&str>| {
        let mut n = new_user(u, e, "Someone Else");
        n.external_id = x.map(str::to_owned);
        n
    };
    let e = dir
        .create_user(
            &actor,
            CreateUserRequest {
                user: clash("JO", "other@example.com", None),
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(e, CoreError::Conflict(UniqueField::Username)),
        "{e:?}"
    );
    let e = dir
        .create_user(
            &actor,
            CreateUserRequest {
                user: clash("other", "JO@EXAMPLE.COM", None),
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(e, CoreError::Conflict(UniqueField::Email)),
        "{e:?}"
    );
    let e = dir
        .create_user(
            &actor,
            CreateUserRequest {
                user: clash("other", "other@example.com", Some("X1")),
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(e, CoreError::Conflict(UniqueField::ExternalId)),
        "{e:?}"
    );

    // An update into a clash is refused too, and leaves the user as it was.
    let other = dir
        .create_user(
            &actor,
            CreateUserRequest {
                user: clash("other", "other@example.com", None),
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap();
    let e = dir
        .update_user(
            &actor,
            UpdateUserRequest {
                id: other.id,
                patch: UserPatch {
                    email: Some("Jo@example.com".into()),
                    ..UserPatch::default()
                },
                expected_version: None,
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(e, CoreError::Conflict(UniqueField::Email)),
        "{e:?}"
    );
    assert_eq!(
        dir.get_user(&actor, UserKey::Id(other.id)).await.unwrap(),
        other
    );

    // Bad input is refused before anything is written.
    let e = dir
        .create_user(
            &actor,
            CreateUserRequest {
                user: clash("bad", "not-an-email", None),
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            CoreError::Validation {
                field: Field::Email,
                ..
            }
        ),
        "{e:?}"
    );
    let mut bad_role = clash("bad", "bad@example.com", None);
    bad_role.role_number = Some(99);
    let e = dir
        .create_user(
            &actor,
            CreateUserRequest {
                user: bad_role,
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            CoreError::Validation {
                field: Field::RoleNumber,
                ..
            }
        ),
        "{e:?}"
    );
    let page = dir
        .list_users(&actor, &UserFilter::all(), Cursor::Start, 100)
        .await
        .unwrap();
    assert_eq!(page.total, 2);
    assert_eq!(page.users[0], jo);
}

async fn tenants_are_isolated(backend: Backend) {
    let app = TestDirectory::open(backend).await;
    let dir = &app.directory;
    let (a, _) = app.tenant("A").await;
    let (b, _) = app.tenant("B").await;
    let (actor_a, actor_b) = (Actor::cli(a), Actor::cli(b));
    let ua = dir
        .create_user(
            &actor_a,
            CreateUserRequest {
                user: new_user("same", "same@example.com", "Same Name"),
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap();
    // The same username and email are fine in another tenant.
    let ub = dir
        .create_user(
            &actor_b,
            CreateUserRequest {
                user: new_user("same", "same@example.com", "Same Name"),
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap();

    for key in [UserKey::Id(ua.id), UserKey::Uuid(ua.uuid)] {
        assert!(matches!(
            dir.get_user(&actor_b, key).await,
            Err(CoreError::NotFound)
        ));
    }
    assert_eq!(
        dir.get_user(&actor_b, UserKey::Email("same@example.com".into()))
            .await
            .unwrap()
            .id,
        ub.id
    );
    let e = dir
        .update_user(
            &actor_b,
            UpdateUserRequest {
                id: ua.id,
                patch: UserPatch {
                    status: Some(Status::Inactive),
                    ..UserPatch::default()
                },
                expected_version: None,
            },
        )
        .await;
    assert!(matches!(e, Err(CoreError::NotFound)));
    assert!(matches!(
        dir.delete_user(&actor_b, ua.id).await,
        Err(CoreError::NotFound)
    ));
    let page = dir
        .list_users(&actor_b, &UserFilter::all(), Cursor::Start, 100)
        .await
        .unwrap();
    assert_eq!(
        page.users.iter().map(|u| u.id).collect::<Vec<_>>(),
        vec![ub.id]
    );
    assert_eq!(
        dir.get_user(&actor_a, UserKey::Id(ua.id)).await.unwrap(),
        ua
    );
}

async fn pagination_tiles_with_inserts_between_pages(backend: Backend) {
    let (app, actor) = setup(backend).await;
    let dir = &app.directory;
    for i in 0..25 {
        let mut n = new_user(
            &format!("u{i:02}"),
            &format!("u{i:02}@example.com"),
            &format!("User Number{i:02}"),
        );
        n.password = None;
        n.status = if i % 5 == 0 {
            Status::Inactive
        } else {
            Status::Active
        };
        n.default_account_id = Some(i % 3);
        dir.create_user(
            &actor,
            CreateUserRequest {
                user: n,
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap();
    }
    let all = UserFilter::all();
    let mut seen = Vec::new();
    let mut cursor = Cursor::Start;
    let mut pages = 0;
    loop {
        let page = dir.list_users(&actor, &all, cursor, 10).await.unwrap();
        pages += 1;
        if pages == 1 {
            assert_eq!(page.total, 25);
            // Users added between page requests land at the end, never in a page already read.
            for i in 25..28 {
                let mut n = new_user(
                    &format!("u{i:02}"),
                    &format!("u{i:02}@example.com"),
                    &format!("User Number{i:02}"),
                );
                n.password = None;
                dir.create_user(
                    &actor,
                    CreateUserRequest {
                        user: n,
                        onboarding: Onboarding::Plain,
                    },
                )
                .await
                .unwrap();
            }
        }
        seen.extend(page.users.iter().map(|u| u.id));
        match page.next {
            Some(after) => cursor = Cursor::After(after),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 28);
    let unique: BTreeSet<UserId> = seen.iter().copied().collect();
    assert_eq!(unique.len(), 28, "no duplicates");
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "ordered by id");
    // The whole-list read (kashflow, usr and keaz lists) gives the same users in the same order,
    // and applies its filter.
    let whole: Vec<UserId> = whole_list(dir, &actor, &all)
        .await
        .iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(whole, seen);
    let inactive = UserFilter {
        statuses: vec![Status::Inactive],
        ..UserFilter::all()
    };
    let inactive = whole_list(dir, &actor, &inactive).await;
    assert_eq!(inactive.len(), 5);
    assert!(inactive.iter().all(|u| u.status == Status::Inactive));

    // Depth: a keyset page deep in the list and an offset page agree.
    let by_after = dir
        .list_users(&actor, &all, Cursor::After(seen[19]), 5)
        .await
        .unwrap();
    let by_offset = dir
        .list_users(&actor, &all, Cursor::Offset(20), 5)
        .await
        .unwrap();
    assert_eq!(by_after.users, by_offset.users);
    assert_eq!(by_after.users.first().map(|u| u.id), Some(seen[20]));

    // Filters: status, account, name substring (case-insensitive, % is literal).
    let inactive = UserFilter {
        statuses: vec![Status::Inactive],
        ..UserFilter::all()
    };
    assert_eq!(
        dir.list_users(&actor, &inactive, Cursor::Start, 100)
            .await
            .unwrap()
            .total,
        5
    );
    let acc = UserFilter {
        default_account_id: Some(1),
        ..UserFilter::all()
    };
    let p = dir
        .list_users(&actor, &acc, Cursor::Start, 100)
        .await
        .unwrap();
    assert_eq!(p.total, 8);
    assert!(p.users.iter().all(|u| u.default_account_id == Some(1)));
    let name = UserFilter {
        name_contains: Some("NUMBER1".into()),
        ..UserFilter::all()
    };
    assert_eq!(
        dir.list_users(&actor, &name, Cursor::Start, 100)
            .await
            .unwrap()
            .total,
        10
    );
    let wildcard = UserFilter {
        name_contains: Some("%".into()),
        ..UserFilter::all()
    };
    assert_eq!(
        dir.list_users(&actor, &wildcard, Cursor::Start, 100)
            .await
            .unwrap()
            .total,
        0
    );
}

async fn audit_rows_commit_and_roll_back_with_the_change(backend: Backend) {
    let (app, actor) = setup(backend).await;
    let dir = &app.directory;
    let u = dir
        .create_user(
            &actor,
            CreateUserRequest {
                user: new_user("aud", "aud@example.com", "Audit Me"),
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap();
    dir.update_user(
        &actor,
        UpdateUserRequest {
            id: u.id,
            patch: UserPatch {
                status: Some(Status::Inactive),
                ..UserPatch::default()
            },
            expected_version: None,
        },
    )
    .await
    .unwrap();
    let audits = dir.audits_for_user(&actor, u.id).await.unwrap();
    assert_eq!(
        audits.iter().map(|a| a.action).collect::<Vec<_>>(),
        vec![AuditAction::Create, AuditAction::Update]
    );
    assert!(audits
        .iter()
        .all(|a| a.user_uuid == u.uuid && a.actor == "cli"));

    // A failed update (unique clash inside the transaction) leaves no audit row behind.
    dir.create_user(
        &actor,
        CreateUserRequest {
            user: new_user("taken", "taken@example.com", "Taken Name"),
            onboarding: Onboarding::Plain,
        },
    )
    .await
    .unwrap();
    let e = dir
        .update_user(
            &actor,
            UpdateUserRequest {
                id: u.id,
                patch: UserPatch {
                    username: Some("TAKEN".into()),
                    ..UserPatch::default()
                },
                expected_version: None,
            },
        )
        .await;
    assert!(matches!(e, Err(CoreError::Conflict(UniqueField::Username))));
    assert_eq!(dir.audits_for_user(&actor, u.id).await.unwrap().len(), 2);
    // A failed create leaves no user, no audit row and no email. The control case first: the
    // same create without the clash does queue an email, so the check below can fail.
    let mut ok = new_user("fresh", "fresh@example.com", "Fresh User");
    ok.status = Status::Pending;
    ok.password = None;
    let fresh = dir
        .create_user(
            &actor,
            CreateUserRequest {
                user: ok,
                onboarding: Onboarding::Activation { email: true },
            },
        )
        .await
        .unwrap();
    assert_eq!(app.wait_for_emails(1).await.len(), 1);
    let mut clash = new_user("Taken", "x@example.com", "Clash");
    clash.status = Status::Pending;
    clash.password = None;
    let e = dir
        .create_user(
            &actor,
            CreateUserRequest {
                user: clash,
                onboarding: Onboarding::Activation { email: true },
            },
        )
        .await;
    assert!(
        matches!(e, Err(CoreError::Conflict(UniqueField::Username))),
        "{e:?}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(dir
        .outbox()
        .due(chrono::Utc::now(), 100)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(app.emails().await.len(), 1, "only the control user's email");
    dir.delete_user(&actor, fresh.id).await.unwrap();
    let page = dir
        .list_users(&actor, &UserFilter::all(), Cursor::Start, 100)
        .await
        .unwrap();
    assert_eq!(page.total, 2);
}

async fn non_admins_cannot_write(backend: Backend) {
    let (app, actor) = setup(backend).await;
    let dir = &app.directory;
    let mut n = new_user("plain", "plain@example.com", "Plain User");
    n.role_number = Some(11);
    let plain = dir
        .create_user(
            &actor,
            CreateUserRequest {
                user: n,
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap();
    let as_plain = dir.actor_for(&plain, "test").await.unwrap();
    assert!(!as_plain.admin);
    let e = dir
        .create_user(
            &as_plain,
            CreateUserRequest {
                user: new_user("x", "x@example.com", "X Y"),
                onboarding: Onboarding::Plain,
            },
        )
        .await;
    assert!(matches!(e, Err(CoreError::Forbidden(_))));
    let e = dir
        .update_user(
            &as_plain,
            UpdateUserRequest {
                id: plain.id,
                patch: UserPatch {
                    role_number: Some(6),
                    ..UserPatch::default()
                },
                expected_version: None,
            },
        )
        .await;
    assert!(matches!(e, Err(CoreError::Forbidden(_))));
    assert_eq!(
        dir.get_user(&actor, UserKey::Id(plain.id)).await.unwrap(),
        plain
    );
    // perms make an administrator too (MAPPING.md)
    let mut k = new_user("k", "k@example.com", "Kay Zed");
    k.perms = vec!["keaz".into()];
    k.role_number = Some(11);
    let k = dir
        .create_user(
            &actor,
            CreateUserRequest {
                user: k,
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap();
    assert!(dir.actor_for(&k, "test").await.unwrap().admin);
}

backend_tests!(
    create_and_read_by_every_key,
    partial_update_and_versions,
    delete_frees_names_and_keeps_audit,
    uniqueness_in_any_letter_case,
    tenants_are_isolated,
    pagination_tiles_with_inserts_between_pages,
    audit_rows_commit_and_roll_back_with_the_change,
    non_admins_cannot_write,
    whole_lists_are_bounded,
);

/// Every page of a whole list, in one vector.
async fn whole_list(dir: &Directory, actor: &Actor, filter: &UserFilter) -> Vec<User> {
    let mut pages = dir.all_users(actor, filter).await.unwrap();
    let mut users = Vec::new();
    while let Some(page) = pages.next_page().await {
        users.extend(page.unwrap());
    }
    users
}

/// One whole list more than `full_lists` is unavailable at once; its slot is free again when
/// a list has been read to its end or dropped.
async fn whole_lists_are_bounded(backend: Backend) {
    let settings = Settings {
        full_lists: 1,
        ..test_settings()
    };
    let app = TestDirectory::open_with(backend, settings).await;
    let (tenant, _) = app.tenant("Bounded").await;
    let actor = Actor::cli(tenant);
    app.user(tenant, "ada", "ada@example.com", "letmein").await;
    let (dir, all) = (&app.directory, UserFilter::all());
    let held = dir.all_users(&actor, &all).await.unwrap();
    let refused = dir.all_users(&actor, &all).await.unwrap_err();
    assert!(matches!(refused, CoreError::Unavailable(_)), "{refused:?}");
    drop(held);
    assert_eq!(whole_list(dir, &actor, &all).await.len(), 1);
    assert!(
        dir.all_users(&actor, &all).await.is_ok(),
        "read to its end, the list gave its slot back"
    );
}
