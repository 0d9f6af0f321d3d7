//! What the benchmark loader (`bench/loader`) relies on: users loaded in bulk are ordinary
//! users to the directory.

use crate::records::plain;
use rosetta_core::{Actor, CoreError, Names, SecretChange, TenantId, UserKey, UserRecord};
use rosetta_store::{BulkAudit, BulkUser, DieselStore};
use rosetta_testkit::{backend_tests, Backend, Fixtures, TestDirectory};
use uuid::Uuid;

fn record(tenant: TenantId, n: usize) -> UserRecord {
    UserRecord {
        default_account_id: Some(7),
        ..plain(
            tenant,
            &format!("bulk{n}"),
            &format!("Bulk{n}@Example.com"),
            Names::from_full(&format!("Bulk User{n}")).unwrap(),
            format!("EXT-{n}"),
        )
    }
}

async fn bulk_loaded_users_are_ordinary_users(backend: Backend) {
    let app = TestDirectory::open(backend).await;
    let (tenant, _) = app.tenant("Bulk Ltd").await;
    let store = DieselStore::new(app.db.clone());
    let hash = app
        .directory
        .hasher()
        .hash("letmein".into(), 4)
        .await
        .unwrap();
    // More than one statement's worth of rows, so the chunking is exercised.
    let n = 1_234;
    let users: Vec<BulkUser> = (0..n)
        .map(|i| BulkUser {
            record: record(tenant, i),
            secrets: SecretChange {
                password_hash: Some(hash.clone()),
                memorable_word_enc: None,
            },
        })
        .collect();
    let uuids: Vec<Uuid> = users.iter().map(|u| u.record.uuid).collect();
    let audit = BulkAudit {
        actor: "cli".into(),
        dialect: "bulk".into(),
    };
    let loaded = store
        .bulk_insert_users(users, audit.clone(), chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(loaded.len(), n);
    assert!(loaded.windows(2).all(|w| w[0].0 .0 < w[1].0 .0));
    let got: Vec<Uuid> = loaded.iter().map(|(_, u)| *u).collect();
    assert_eq!(got, uuids, "ids follow the order given");

    let actor = Actor::cli(tenant);
    let (id, uuid) = loaded[1000];
    let user = app
        .directory
        .get_user(&actor, UserKey::Uuid(uuid))
        .await
        .unwrap();
    assert_eq!(user.id, id);
    assert_eq!(user.username.as_str(), "bulk1000");
    assert_eq!(user.names.last, "User1000");
    assert_eq!(user.external_id.as_deref(), Some("EXT-1000"));
    assert!(user.has_password && !user.has_memorable_word);
    assert_eq!(user.version, 1);
    let by_email = app
        .directory
        .get_user(&actor, UserKey::Email("bulk1000@example.com".into()))
        .await
        .unwrap();
    assert_eq!(by_email.id, id);
    let audits = app.directory.audits_for_user(&actor, id).await.unwrap();
    assert_eq!(audits.len(), 1);
    assert_eq!(audits[0].dialect, "bulk");

    // The shared hash logs them in like any other user.
    match app
        .directory
        .check_login(UserKey::Username("BULK17".into()), "letmein")
        .await
        .unwrap()
    {
        rosetta_core::LoginCheck::Ok(u, _) => assert_eq!(u.id, loaded[17].0),
        other => panic!("login refused: {other:?}"),
    }

    // A taken username fails the whole batch: nothing of it is written.
    let clash = vec![
        BulkUser {
            record: record(tenant, 5_000),
            secrets: SecretChange::default(),
        },
        BulkUser {
            record: record(tenant, 5),
            secrets: SecretChange::default(),
        },
    ];
    let err = store
        .bulk_insert_users(clash, audit, chrono::Utc::now())
        .await
        .unwrap_err();
    // Which of the three taken keys a backend names first is its own business.
    assert!(matches!(err, CoreError::Conflict(_)), "{err:?}");
    let missing = app
        .directory
        .get_user(&actor, UserKey::Username("bulk5000".into()))
        .await;
    assert!(matches!(missing, Err(CoreError::NotFound)));
}

backend_tests!(bulk_loaded_users_are_ordinary_users);
