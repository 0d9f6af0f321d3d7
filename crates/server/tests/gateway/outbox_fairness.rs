//! The outbox sends tenants in turn: after tenant A queued hundreds of activation mails in
//! one import, tenant B's one mail is delivered while A's are still going out, through a
//! real SMTP server and the pooled, concurrent sender.

use std::time::{Duration, Instant};

use rosetta_core::{
    Actor, CreateUserRequest, CreateUsersRequest, NameInput, NewUser, Onboarding, Status,
};
use rosetta_e2e::TestGateway;
use rosetta_testkit::{backend_tests, read_eml_dir, Backend, Fixtures};

use crate::free_port;
use crate::outbox::start_smtp;

/// Tenant A's queue: far more than a sending round (`send_concurrency` x 8).
const QUEUED: usize = 500;

fn pending(email: &str) -> NewUser {
    let mut n = NewUser::new(email, NameInput::Full("Queued User".into()));
    n.status = Status::Pending;
    n
}

async fn second_tenant_is_not_starved(backend: Backend) {
    let port = free_port();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("received");
    let _smtp = start_smtp(port, work.path(), &out).await;
    let app = TestGateway::start_with(backend, |c| {
        c.email.transport = "smtp".into();
        c.email.smtp_port = port;
        c.email.poll_interval = Duration::from_millis(200);
    })
    .await;
    let (a, _) = app.tenant("Tenant A").await;
    let (b, _) = app.tenant("Tenant B").await;

    let users = (0..QUEUED)
        .map(|i| pending(&format!("a{i}@a.test")))
        .collect();
    app.directory
        .create_users(
            &Actor::cli(a),
            CreateUsersRequest {
                users,
                onboarding: Onboarding::Activation { email: true },
            },
        )
        .await
        .map_err(|(row, e)| format!("{row:?}: {e}"))
        .unwrap();
    let queued_b = Instant::now();
    app.directory
        .create_user(
            &Actor::cli(b),
            CreateUserRequest {
                user: pending("b@b.test"),
                onboarding: Onboarding::Activation { email: true },
            },
        )
        .await
        .unwrap();

    // Bounded wait on the condition: B's message has arrived.
    let deadline = Instant::now() + Duration::from_secs(120);
    let received = loop {
        let got = read_eml_dir(&out);
        if got.iter().any(|e| e.to == "b@b.test") {
            break got;
        }
        assert!(
            Instant::now() < deadline,
            "B's mail never came ({} of A's did)",
            got.len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let latency = queued_b.elapsed();
    let position = received.iter().position(|e| e.to == "b@b.test").unwrap();
    eprintln!(
        "outbox fairness ({backend:?}): B's mail arrived {latency:?} after it was queued, \
         after {position} of A's {QUEUED}"
    );
    assert!(
        position < QUEUED / 2,
        "B's one message waited behind {position} of A's {QUEUED}"
    );
    // A's messages still all go out, each once.
    let deadline = Instant::now() + Duration::from_secs(180);
    while read_eml_dir(&out).len() < QUEUED + 1 {
        assert!(Instant::now() < deadline, "A's queue did not drain");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(read_eml_dir(&out).len(), QUEUED + 1, "each message once");
}

backend_tests!(second_tenant_is_not_starved);
