#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The email outbox: written with the user, delivered by the background sender.

use rosetta_core::{
    ActivateRequest, Actor, CreateUserRequest, NameInput, NewUser, Onboarding, RedeemOutcome,
    Status, UserKey,
};
use rosetta_testkit::{backend_tests, spawn_app, Backend};

async fn activation_email_through_file_transport(backend: Backend) {
    let app = spawn_app(backend).await;
    let (tenant, _) = app.tenant("Acme Fleet").await;
    let actor = Actor::cli(tenant);
    let mut new = NewUser::new("pat@example.com", NameInput::Full("Pat Jones".into()));
    new.status = Status::Pending;
    let user = app
        .directory
        .create_user(
            &actor,
            CreateUserRequest {
                user: new,
                onboarding: Onboarding::Activation { email: true },
            },
        )
        .await
        .unwrap();
    assert_eq!(user.status, Status::Pending);

    let emails = app.wait_for_emails(1).await;
    assert_eq!(emails.len(), 1, "{emails:?}");
    let email = &emails[0];
    assert_eq!(email.to, "pat@example.com");
    assert!(email.subject.contains("Acme Fleet"), "{email:?}");
    let ticket = email.ticket().expect("a link with the ticket");
    assert!(
        email
            .body
            .contains(&format!("http://{}/keaz/activate/", app.addr)),
        "{}",
        email.body
    );

    assert!(
        app.directory.ticket_valid(&ticket).await.unwrap(),
        "{email:?} {ticket}"
    );
    let out = app
        .directory
        .activate(ActivateRequest {
            dialect: "keaz",
            ticket: &ticket,
            password: None,
        })
        .await
        .unwrap();
    assert_eq!(
        out,
        RedeemOutcome::PasswordRequired,
        "no password yet: nothing changes"
    );
    let out = app
        .directory
        .activate(ActivateRequest {
            dialect: "keaz",
            ticket: &ticket,
            password: Some("s3cret".into()),
        })
        .await
        .unwrap();
    assert!(matches!(out, RedeemOutcome::Activated(ref u) if u.status == Status::Active));
    let again = app
        .directory
        .activate(ActivateRequest {
            dialect: "keaz",
            ticket: &ticket,
            password: Some("other".into()),
        })
        .await
        .unwrap();
    assert_eq!(again, RedeemOutcome::NoSuchTicket);
    let read = app
        .directory
        .get_user(&actor, UserKey::Id(user.id))
        .await
        .unwrap();
    assert_eq!(read.status, Status::Active);

    // Delivered once: a later poll does not write it again.
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(app.emails().len(), 1);
}

backend_tests!(activation_email_through_file_transport);
