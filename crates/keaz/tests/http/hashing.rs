//! A keaz login waits for the password-hashing pool; when its queue is full the login is
//! answered 503 with `Retry-After` in keaz's envelope at once, and is no failed attempt.

use reqwest::Method;
use rosetta_testkit::{backend_tests, Backend};
use serde_json::json;
use tokio::sync::oneshot;

use crate::support::*;

async fn a_full_hashing_queue_answers_503(backend: Backend) {
    let app = spawn_app_with(backend, |o| {
        o.settings.hash_threads = 1;
        o.settings.hash_queue = 1;
    })
    .await;
    company(&app, "Acme Fleet", "acme.test").await;
    let hasher = app.directory.hasher();
    let before = hasher.completed();
    login(&app, "root@acme.test", PW).await;
    assert_eq!(
        hasher.completed() - before,
        1,
        "the login's verify ran on the pool"
    );

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
    let body = serde_json::to_vec(&json!({"email": "root@acme.test", "password": "nope"}));
    for _ in 0..6 {
        let r = app
            .client
            .call(
                Method::POST,
                "/keaz/login",
                &[("content-type", "application/json")],
                Some(body.as_ref().unwrap().clone()),
            )
            .await;
        assert_eq!(r.status, 503, "{}", r.text);
        assert_eq!(r.header("retry-after"), Some("1"));
        snap!("login_hashing_queue_full", &r.json());
    }
    release.send(()).unwrap();
    busy.await.unwrap();
    queued.await.unwrap();
    // Six refused wrong passwords did not lock the user.
    login(&app, "root@acme.test", PW).await;
}

backend_tests!(a_full_hashing_queue_answers_503);
