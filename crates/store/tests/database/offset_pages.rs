//! A user list page asked for by position (`Cursor::Offset`, v2's `PageNo` with no remembered
//! start) is one walk over the matching ids: the same users, total and next cursor as paging
//! there by cursor, at every depth and for every kind of filter, and on SQLite the walk reads
//! only the narrow (tenant, id, name key) index.

use crate::records::plain;
use diesel::prelude::*;
use rosetta_core::{Names, SecretChange, Status, TenantId, UserFilter, UserListStore, UserRecord};
use rosetta_store::explain;
use rosetta_store::schema::{import_batches, users};
use rosetta_store::{BulkAudit, BulkUser, DieselStore};
use rosetta_testkit::{backend_tests, Backend, Fixtures, TestDirectory};

const FIRST: [&str; 4] = ["Anna", "Boris", "Carmen", "Dana"];
const LAST: [&str; 3] = ["Lovelace", "Hopper", "Turing"];

fn record(tenant: TenantId, t: usize, n: usize) -> UserRecord {
    UserRecord {
        status: if n % 5 == 0 {
            Status::Inactive
        } else {
            Status::Active
        },
        ..plain(
            tenant,
            &format!("t{t}u{n}"),
            &format!("t{t}u{n}@example.com"),
            Names::from_parts(FIRST[n % 4], LAST[(n / 4) % 3]).unwrap(),
            format!("EXT-{t}-{n}"),
        )
    }
}

async fn load(app: &TestDirectory, store: &DieselStore, t: usize, n: usize) -> TenantId {
    let (tenant, _) = app.tenant(&format!("Tenant {t}")).await;
    let users: Vec<BulkUser> = (0..n)
        .map(|i| BulkUser {
            record: record(tenant, t, i),
            secrets: SecretChange {
                password_hash: None,
                memorable_word_enc: None,
            },
        })
        .collect();
    let audit = BulkAudit {
        actor: "cli".into(),
        dialect: "bulk".into(),
    };
    store
        .bulk_insert_users(users, audit, chrono::Utc::now())
        .await
        .unwrap();
    tenant
}

fn name(term: &str) -> UserFilter {
    UserFilter {
        name_contains: Some(term.into()),
        ..UserFilter::all()
    }
}

async fn positions_page_as_cursors_do(backend: Backend) {
    let app = TestDirectory::open(backend).await;
    let store = DieselStore::new(app.db.clone());
    let tenant = load(&app, &store, 0, 120).await;
    // Another tenant's users between and after: never counted, never listed.
    load(&app, &store, 1, 50).await;

    let filters = [
        ("a two-letter name", name("an")),
        ("a trigram name", name("LOVE")),
        ("a name no one has", name("zz")),
        (
            "a name and a status",
            UserFilter {
                statuses: vec![Status::Active],
                ..name("an")
            },
        ),
        ("every user", UserFilter::all()),
        (
            "an email",
            UserFilter {
                email: Some("T0U7@example.com".into()),
                ..UserFilter::all()
            },
        ),
    ];
    for (what, filter) in filters {
        // The whole list by cursor, 7 at a time, is what every position must agree with.
        let mut all = Vec::new();
        let mut cursor = rosetta_core::Cursor::Start;
        let total = loop {
            let page = store.list_users(tenant, &filter, cursor, 7).await.unwrap();
            all.extend(page.users.iter().map(|u| u.id));
            match page.next {
                Some(after) => cursor = rosetta_core::Cursor::After(after),
                None => break page.total,
            }
        };
        assert_eq!(total as usize, all.len(), "{what}");
        for skip in [
            0,
            1,
            6,
            7,
            13,
            all.len().saturating_sub(1),
            all.len(),
            all.len() + 5,
        ] {
            let page = store
                .list_users(
                    tenant,
                    &filter,
                    rosetta_core::Cursor::Offset(skip as u64),
                    7,
                )
                .await
                .unwrap();
            let want: Vec<_> = all.iter().skip(skip).take(7).copied().collect();
            let got: Vec<_> = page.users.iter().map(|u| u.id).collect();
            assert_eq!(got, want, "{what}, skip {skip}");
            assert_eq!(page.total, total, "{what}, skip {skip}");
            let more = skip + 7 < all.len();
            assert_eq!(
                page.next,
                if more { want.last().copied() } else { None },
                "{what}, skip {skip}"
            );
            // Whole users, not just ids: each as a read by cursor gives it.
            if let Some(first) = page.users.first() {
                let by_cursor = store
                    .list_users(tenant, &filter, rosetta_core::Cursor::Start, 10_000)
                    .await
                    .unwrap();
                let same = by_cursor.users.iter().find(|u| u.id == first.id).unwrap();
                assert_eq!(first, same, "{what}, skip {skip}");
            }
        }
    }

    // Users of an import still being written (their batch not flipped) are in no position's
    // page and no total, as they are in no cursor's.
    let hidden: Vec<i64> = {
        let page = store
            .list_users(tenant, &name("an"), rosetta_core::Cursor::Start, 3)
            .await
            .unwrap();
        page.users.iter().map(|u| u.id.0).collect()
    };
    let before = store
        .list_users(tenant, &name("an"), rosetta_core::Cursor::Offset(0), 200)
        .await
        .unwrap();
    let marked = hidden.clone();
    app.db
        .run(move |c| {
            let now = chrono::Utc::now().timestamp_millis();
            let batch: i64 = diesel::insert_into(import_batches::table)
                .values((
                    import_batches::tenant_id.eq(tenant.0),
                    import_batches::started_at.eq(now),
                    import_batches::heartbeat_at.eq(now),
                ))
                .returning(import_batches::id)
                .get_result(c)?;
            diesel::update(users::table.filter(users::id.eq_any(&marked)))
                .set(users::import_batch.eq(batch))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    let during = store
        .list_users(tenant, &name("an"), rosetta_core::Cursor::Offset(0), 200)
        .await
        .unwrap();
    assert_eq!(during.total, before.total - 3);
    let want: Vec<_> = before
        .users
        .iter()
        .map(|u| u.id)
        .filter(|id| !hidden.contains(&id.0))
        .collect();
    assert_eq!(during.users.iter().map(|u| u.id).collect::<Vec<_>>(), want);

    // SQLite walks the narrow index alone: no table scan, no sort. PostgreSQL plans a table of
    // a few hundred rows as it likes (a sequential scan is right there), so only that the
    // statement plans is checked.
    let plan = explain::user_id_walk(&app.db, tenant, &name("an"))
        .await
        .unwrap();
    if backend == Backend::Sqlite {
        assert!(
            plan.contains("USING COVERING INDEX users_tenant_id_name_key_idx"),
            "{plan}"
        );
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
        assert!(!plan.contains("SCAN users"), "{plan}");
    } else {
        assert!(!plan.is_empty());
    }
}

backend_tests!(positions_page_as_cursors_do);
