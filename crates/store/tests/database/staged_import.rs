//! A big import on SQLite is written a chunk per transaction under an import batch (issue 17,
//! defect 4): no reader on another connection ever sees part of it, a failure in its last
//! chunk leaves nothing behind and is answered as one transaction's would be, and the sweep
//! removes what a dead gateway left. A store with a chunk of a few users stands for the
//! 1,000 of the gateway, so a few hundred users make many chunks. On PostgreSQL the import is
//! one transaction and the same assertions hold.

use std::sync::Arc;

use diesel::dsl::count_star;
use diesel::prelude::*;
use rosetta_core::{
    crypto, Actor, CoreError, CreateUsersRequest, Directory, NameInput, NewUser, Onboarding,
    Status, Store, TenantId, TenantStore, UserFilter, UserKey, UserListStore, UserStore,
};
use rosetta_store::schema::{audit_log, import_batches, outbox, tickets, users};
use rosetta_store::{Db, DieselStore};
use rosetta_testkit::{backend_tests, test_settings, Backend, Fixtures, TestDirectory};

/// Users per chunk of the store under test.
const CHUNK: usize = 7;

/// A directory over `app`'s database whose store writes imports `CHUNK` users a chunk.
async fn chunked(app: &TestDirectory) -> (Arc<Directory>, Arc<DieselStore>) {
    let store = Arc::new(DieselStore::new(app.db.clone()).with_import_chunk(CHUNK));
    let secret = store
        .setting_get_or_init("secret_key", crypto::random_token())
        .await
        .unwrap();
    let dyn_store: Arc<dyn Store> = store.clone();
    (
        Arc::new(Directory::new(dyn_store, test_settings(), &secret)),
        store,
    )
}

/// Pending users, as keaz imports them: each gets an activation ticket and its mail.
fn new_users(n: usize, domain: &str) -> Vec<NewUser> {
    (0..n)
        .map(|i| {
            let mut u = NewUser::new(
                format!("imported{i}@{domain}"),
                NameInput::Full(format!("Imported Person{i}")),
            );
            u.status = Status::Pending;
            u
        })
        .collect()
}

async fn import(
    dir: &Directory,
    tenant: TenantId,
    users: Vec<NewUser>,
) -> Result<usize, (Option<usize>, CoreError)> {
    dir.create_users(
        &Actor::cli(tenant),
        CreateUsersRequest {
            users,
            onboarding: Onboarding::Activation { email: true },
        },
    )
    .await
    .map(|u| u.len())
}

/// (users, audit rows, tickets, outbox rows) of `tenant` as stored, pending or not.
async fn stored(db: &Db, tenant: TenantId) -> (i64, i64, i64, i64) {
    db.run(move |c| {
        let users: i64 = users::table
            .filter(users::tenant_id.eq(tenant.0))
            .select(count_star())
            .get_result(c)?;
        let audits: i64 = audit_log::table
            .filter(audit_log::tenant_id.eq(tenant.0))
            .select(count_star())
            .get_result(c)?;
        let tickets: i64 = tickets::table
            .filter(tickets::tenant_id.eq(tenant.0))
            .select(count_star())
            .get_result(c)?;
        let mail: i64 = outbox::table
            .filter(outbox::tenant_id.eq(tenant.0))
            .select(count_star())
            .get_result(c)?;
        Ok((users, audits, tickets, mail))
    })
    .await
    .unwrap()
}

async fn pending_users(db: &Db) -> i64 {
    db.run(|c| {
        Ok(users::table
            .filter(users::import_batch.is_not_null())
            .select(count_star())
            .get_result(c)?)
    })
    .await
    .unwrap()
}

async fn batches(db: &Db) -> i64 {
    db.run(|c| Ok(import_batches::table.select(count_star()).get_result(c)?))
        .await
        .unwrap()
}

async fn readers_never_see_part_of_an_import(backend: Backend) {
    let app = TestDirectory::open(backend).await;
    let (tenant, _) = app.tenant("Import Ltd").await;
    let (dir, _) = chunked(&app).await;
    let n = 40 * CHUNK;
    let importing = tokio::spawn({
        let dir = dir.clone();
        async move { import(&dir, tenant, new_users(n, "a.test")).await }
    });

    // Readers over the test directory's own store, each read on a pool connection of its own.
    let reader = DieselStore::new(app.db.clone());
    let all = UserFilter::all();
    let by_name = UserFilter {
        name_contains: Some("imported person".into()),
        ..all.clone()
    };
    let first = UserKey::Email("imported0@a.test".into());
    let (mut reads, mut interleaved) = (0, 0);
    // Whether each read saw the import, in the order the reads ran: the reads of one round
    // may straddle the flip, but once one has seen the users every later one must.
    let mut seen: Vec<(&str, bool)> = Vec::new();
    loop {
        let finished = importing.is_finished();
        let pending = pending_users(&app.db).await;
        // Mail first: once any activation mail can be taken, the users must all be there.
        let mailed = app.emails().await.len();
        let listed = reader
            .list_users(tenant, &all, rosetta_core::Cursor::Start, 10)
            .await
            .unwrap();
        let searched = reader
            .list_users(tenant, &by_name, rosetta_core::Cursor::Start, 10)
            .await
            .unwrap();
        let got = reader.user(tenant, first.clone()).await.unwrap();
        let logins = rosetta_core::LoginStore::login_candidates(&reader, first.clone())
            .await
            .unwrap();
        for (what, count) in [
            ("list total", listed.total as usize),
            ("search total", searched.total as usize),
        ] {
            assert!(count == 0 || count == n, "{what} saw {count} of {n} users");
        }
        assert!(listed.users.is_empty() || listed.users.len() == 10);
        // The mail is released after the flip (a chunk per transaction), so it may lag behind
        // the users but never lead them: once any can be taken, the list read after it
        // must show every user.
        assert!(
            mailed == 0 || listed.total as usize == n,
            "mail could be taken before the users were shown ({} of {n} listed)",
            listed.total
        );
        seen.extend([
            ("list", listed.total as usize == n),
            // The page is read after its count (on PostgreSQL it may see a later commit).
            ("page", !listed.users.is_empty()),
            ("search", searched.total as usize == n),
            ("get by email", got.is_some()),
            ("login", !logins.is_empty()),
        ]);
        if let Some(at) = seen.iter().position(|(_, s)| *s) {
            let late = seen[at..].iter().find(|(_, s)| !*s);
            assert!(
                late.is_none(),
                "{late:?} missed the users after {:?} saw them",
                seen[at]
            );
        }
        if pending > 0 {
            interleaved += 1;
        }
        reads += 1;
        if finished {
            break;
        }
    }
    assert_eq!(importing.await.unwrap().unwrap(), n);
    if backend == Backend::Sqlite {
        // The point of the chunks: reads went on while the import was half written.
        assert!(
            interleaved > 0,
            "no read between two chunks in {reads} reads"
        );
    }
    let after = reader
        .list_users(tenant, &all, rosetta_core::Cursor::Start, 10)
        .await
        .unwrap();
    assert_eq!(after.total as usize, n);
    assert!(reader.user(tenant, first).await.unwrap().is_some());
    assert_eq!(pending_users(&app.db).await, 0);
    assert_eq!(batches(&app.db).await, 0);
    let n64 = i64::try_from(n).unwrap();
    assert_eq!(stored(&app.db, tenant).await, (n64, n64, n64, n64));
    assert_eq!(app.wait_for_emails(n).await.len(), n);
    eprintln!("{backend:?}: {reads} rounds of reads, {interleaved} between two chunks");
}

async fn a_conflict_in_the_last_chunk_leaves_nothing(backend: Backend) {
    let app = TestDirectory::open(backend).await;
    let (tenant, _) = app.tenant("Clash Ltd").await;
    let (dir, _) = chunked(&app).await;
    // Taken before the import; the import's last user asks for the same email.
    app.user(tenant, "taken", "taken@b.test", "pw-of-the-test")
        .await;
    let before = stored(&app.db, tenant).await;
    let mut users = new_users(10 * CHUNK, "b.test");
    let last = users.len() - 1;
    users[last].email = "Taken@B.test".into();

    let staged = import(&dir, tenant, users.clone()).await.unwrap_err();
    assert_eq!(
        stored(&app.db, tenant).await,
        before,
        "the failed import left rows"
    );
    assert_eq!(pending_users(&app.db).await, 0);
    assert_eq!(batches(&app.db).await, 0);
    assert!(app.emails().await.is_empty(), "mail of a failed import");

    // The answer is the one the import got as one transaction (the gateway's default chunk
    // holds all these users).
    let whole = import(&app.directory, tenant, users).await.unwrap_err();
    assert_eq!(format!("{staged:?}"), format!("{whole:?}"));
    assert!(
        matches!(staged, (None, CoreError::Conflict(_))),
        "{staged:?}"
    );
    assert_eq!(stored(&app.db, tenant).await, before);

    // The keys the failed import held are free again.
    assert_eq!(
        import(&dir, tenant, new_users(3 * CHUNK, "b.test"))
            .await
            .unwrap(),
        3 * CHUNK
    );
}

async fn the_sweep_removes_a_stale_batch(backend: Backend) {
    let app = TestDirectory::open(backend).await;
    let (tenant, _) = app.tenant("Sweep Ltd").await;
    let (_, store) = chunked(&app).await;
    // Users written as an import's chunks leave them: with their audit row, ticket and mail.
    let onboard = |email: &str| {
        let mut u = NewUser::new(email, NameInput::Full("Left Behind".into()));
        u.username = Some(email.replace('@', "."));
        u.status = Status::Pending;
        u
    };
    let stale = app
        .directory
        .create_users(
            &Actor::cli(tenant),
            CreateUsersRequest {
                users: vec![onboard("stale@c.test")],
                onboarding: Onboarding::Activation { email: true },
            },
        )
        .await
        .unwrap();
    let live = app
        .directory
        .create_users(
            &Actor::cli(tenant),
            CreateUsersRequest {
                users: vec![onboard("live@c.test")],
                onboarding: Onboarding::Activation { email: true },
            },
        )
        .await
        .unwrap();
    // And one shown by its flip whose gateway died before its mail was released.
    app.directory
        .create_users(
            &Actor::cli(tenant),
            CreateUsersRequest {
                users: vec![onboard("shown@c.test")],
                onboarding: Onboarding::Activation { email: true },
            },
        )
        .await
        .unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    let (stale_id, live_id) = (stale[0].id.0, live[0].id.0);
    app.db
        .run(move |c| {
            let shown: i64 = diesel::insert_into(import_batches::table)
                .values((
                    import_batches::tenant_id.eq(tenant.0),
                    import_batches::started_at.eq(now - 600_000),
                    import_batches::heartbeat_at.eq(now - 600_000),
                    import_batches::shown_at.eq(now - 600_000),
                ))
                .returning(import_batches::id)
                .get_result(c)?;
            diesel::update(outbox::table.filter(outbox::to_addr.eq("shown@c.test")))
                .set((
                    outbox::import_batch.eq(shown),
                    outbox::lease_until.eq(i64::MAX),
                ))
                .execute(c)?;
            for (user, heartbeat) in [(stale_id, now - 600_000), (live_id, now)] {
                let batch: i64 = diesel::insert_into(import_batches::table)
                    .values((
                        import_batches::tenant_id.eq(tenant.0),
                        import_batches::started_at.eq(heartbeat),
                        import_batches::heartbeat_at.eq(heartbeat),
                    ))
                    .returning(import_batches::id)
                    .get_result(c)?;
                diesel::update(users::table.filter(users::id.eq(user)))
                    .set(users::import_batch.eq(batch))
                    .execute(c)?;
                let email = if user == stale_id {
                    "stale@c.test"
                } else {
                    "live@c.test"
                };
                diesel::update(outbox::table.filter(outbox::to_addr.eq(email)))
                    .set((
                        outbox::import_batch.eq(batch),
                        outbox::lease_until.eq(i64::MAX),
                    ))
                    .execute(c)?;
            }
            Ok(())
        })
        .await
        .unwrap();
    assert!(app.emails().await.is_empty(), "mail of a pending user");
    assert_eq!(stored(&app.db, tenant).await, (3, 3, 3, 3));

    let swept = store
        .sweep_imports(chrono::Utc::now() - chrono::Duration::minutes(5))
        .await
        .unwrap();
    assert_eq!(swept, 2);
    // The stale batch went with everything it wrote; the shown one's mail went out; the live
    // one is untouched.
    assert_eq!(stored(&app.db, tenant).await, (2, 2, 2, 2));
    let sent = app.emails().await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, "shown@c.test");
    assert_eq!(batches(&app.db).await, 1);
    assert_eq!(pending_users(&app.db).await, 1);
    let audits_left: i64 = app
        .db
        .run(move |c| {
            Ok(audit_log::table
                .filter(audit_log::user_id.eq(stale_id))
                .select(count_star())
                .get_result(c)?)
        })
        .await
        .unwrap();
    assert_eq!(audits_left, 0);
    assert_eq!(
        store
            .sweep_imports(chrono::Utc::now() - chrono::Duration::minutes(5))
            .await
            .unwrap(),
        0
    );
}

backend_tests!(
    readers_never_see_part_of_an_import,
    a_conflict_in_the_last_chunk_leaves_nothing,
    the_sweep_removes_a_stale_batch,
);
