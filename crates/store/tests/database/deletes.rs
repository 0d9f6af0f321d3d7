//! A delete removes only the version its checks were made on (`UserStore::delete_user`).

use chrono::Utc;
use rosetta_core::{
    Actor, AuditAction, CoreError, CreateUserRequest, NameInput, NewAudit, NewUser, Onboarding,
    UpdateUserRequest, UserDeleteWrite, UserKey, UserPatch, UserStore,
};
use rosetta_store::DieselStore;
use rosetta_testkit::{backend_tests, Backend, Fixtures, TestDirectory};

async fn delete_only_the_checked_version(backend: Backend) {
    let app = TestDirectory::open(backend).await;
    let (tenant, _) = app.tenant("Acme").await;
    let actor = Actor::cli(tenant);
    let dir = &app.directory;
    let u = dir
        .create_user(
            &actor,
            CreateUserRequest {
                user: NewUser::new("kept@example.com", NameInput::Full("Kept Here".into())),
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap();
    // Changed after the version-1 read a delete was checked on.
    dir.update_user(
        &actor,
        UpdateUserRequest {
            id: u.id,
            patch: UserPatch {
                name: Some(NameInput::Full("Kept Renamed".into())),
                ..UserPatch::default()
            },
            expected_version: None,
        },
    )
    .await
    .unwrap();

    let store = DieselStore::new(app.db.clone());
    let delete = |expected_version| UserDeleteWrite {
        tenant,
        id: u.id,
        expected_version,
        audit: NewAudit {
            tenant_id: tenant,
            actor: "test".into(),
            dialect: "test".into(),
            action: AuditAction::Delete,
            user_id: u.id,
            user_uuid: u.uuid,
            user_email: "kept@example.com".into(),
            at: Utc::now(),
        },
    };
    assert!(matches!(
        store.delete_user(delete(1)).await,
        Err(CoreError::VersionConflict { current: 2 })
    ));
    let still = dir.get_user(&actor, UserKey::Id(u.id)).await.unwrap();
    assert_eq!(still.names.full, "Kept Renamed");
    let deletes = |audits: &[rosetta_core::AuditRecord]| {
        audits
            .iter()
            .filter(|a| a.action == AuditAction::Delete)
            .count()
    };
    let audits = dir.audits_for_user(&actor, u.id).await.unwrap();
    assert_eq!(deletes(&audits), 0, "a refused delete leaves no audit row");

    store.delete_user(delete(2)).await.unwrap();
    assert!(matches!(
        dir.get_user(&actor, UserKey::Id(u.id)).await,
        Err(CoreError::NotFound)
    ));
    assert!(matches!(
        store.delete_user(delete(2)).await,
        Err(CoreError::NotFound)
    ));
    let audits = dir.audits_for_user(&actor, u.id).await.unwrap();
    assert_eq!(deletes(&audits), 1);
}

backend_tests!(delete_only_the_checked_version);
