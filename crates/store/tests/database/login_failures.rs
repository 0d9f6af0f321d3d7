//! Login failures counted per name are forgotten once old (`prune_login_failures`), but never
//! while they lock the name.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use rosetta_core::{LoginCheck, UserKey};
use rosetta_store::DbConn;
use rosetta_testkit::{backend_tests, Backend, TestDirectory};

const DAY_MS: i64 = 24 * 3600 * 1000;
const RETENTION: Duration = Duration::from_secs(30 * 24 * 3600);

async fn fail(app: &TestDirectory, name: &str, times: usize) -> LoginCheck {
    let mut last = None;
    for _ in 0..times {
        last = Some(
            app.directory
                .check_login(UserKey::Username(name.into()), "wrong")
                .await
                .unwrap(),
        );
    }
    last.unwrap()
}

/// Moves every counted failure `days` into the past.
async fn age_failures(app: &TestDirectory, days: i64) {
    let sql = format!(
        "UPDATE login_failures SET updated_at = updated_at - {}",
        days * DAY_MS
    );
    app.db
        .run(move |conn| {
            match conn {
                DbConn::Sqlite(c) => c.batch_execute(&sql).unwrap(),
                DbConn::Postgres(c) => c.batch_execute(&sql).unwrap(),
            }
            Ok(())
        })
        .await
        .unwrap();
}

async fn old_failures_are_forgotten_locks_are_kept(backend: Backend) {
    let app = TestDirectory::open(backend).await;
    let threshold = usize::try_from(app.settings.lockout_threshold).unwrap();
    // Names no user has: each leaves a row so that it locks like a known name.
    fail(&app, "ghost-old", threshold - 1).await;
    fail(&app, "ghost-locked", threshold).await;
    age_failures(&app, 31).await;
    fail(&app, "ghost-recent", 1).await;

    let pruned = app.directory.prune_login_failures(RETENTION).await.unwrap();
    assert_eq!(pruned, 1, "only the old name that is not locked");

    // The old name counts from zero again: one more failure does not lock it ...
    assert!(matches!(
        fail(&app, "ghost-old", 1).await,
        LoginCheck::Rejected
    ));
    // ... and the locked one is still locked.
    assert!(matches!(
        fail(&app, "ghost-locked", 1).await,
        LoginCheck::Locked
    ));
    // A second prune finds nothing newer than the retention to drop.
    assert_eq!(
        app.directory.prune_login_failures(RETENTION).await.unwrap(),
        0
    );
}

backend_tests!(old_failures_are_forgotten_locks_are_kept);
