//! Logins wait for the password-hashing pool (`security.hash_threads`, `security.hash_queue`),
//! not the database's blocking pool; a login that finds the queue full is answered 503 with
//! `Retry-After` at once, and is no failed attempt.

use rosetta_testkit::{backend_tests, Backend};
use tokio::sync::oneshot;

use crate::support::*;

async fn a_full_hashing_queue_answers_503_and_counts_nothing(backend: Backend) {
    let app = spawn_app_with(backend, |o| {
        o.settings.hash_threads = 1;
        o.settings.hash_queue = 1;
    })
    .await;
    let kf = Kf::new(&app);
    fixture(&app).await;
    let hasher = app.directory.hasher();
    assert_eq!(hasher.threads(), 1);

    // A login's verify runs on the pool, on a thread of its own.
    let before = hasher.completed();
    let r = kf.start("admin", ADMIN_PW).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(hasher.completed() - before, 1);
    let thread = hasher
        .run(|| std::thread::current().name().map(str::to_owned))
        .await
        .unwrap();
    assert_eq!(thread.as_deref(), Some("rosetta-hash-0"));

    // The one thread busy and the one place in line taken: every login is refused at once,
    // known name or not, right password or wrong, in kashflow's envelope.
    let (started_tx, started) = oneshot::channel();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let busy = hasher
        .submit(move || {
            let _ = started_tx.send(());
            let _ = released.recv();
        })
        .unwrap();
    started.await.unwrap();
    let queued = hasher.submit(|| ()).unwrap();
    let r = kf.start("admin", ADMIN_PW).await;
    assert_eq!(r.error(), (503, "ServiceUnavailable".into()));
    assert_eq!(r.header("retry-after"), Some("1"));
    snap("error_hashing_queue_full", &r);
    // More refused attempts than the lockout threshold (5), wrong passwords among them.
    for (name, password) in [
        ("admin", "wrong"),
        ("nobody", "wrong"),
        ("admin", "wrong"),
        ("admin", "wrong"),
        ("admin", "wrong"),
        ("admin", "wrong"),
    ] {
        let r = kf.start(name, password).await;
        assert_eq!(r.error(), (503, "ServiceUnavailable".into()), "{name}");
    }
    release.send(()).unwrap();
    busy.await.unwrap();
    queued.await.unwrap();

    // None of them counted toward the lockout: the right password logs in.
    kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
}

backend_tests!(a_full_hashing_queue_answers_503_and_counts_nothing);
