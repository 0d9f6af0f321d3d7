//! The email outbox: written with the user, delivered by the background sender through the
//! file transport, and through a real SMTP server that is down for a while.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use reqwest::Method;
use rosetta_core::{
    ActivateRequest, Actor, CreateUserRequest, NameInput, NewUser, Onboarding, RedeemOutcome,
    Status, UserKey,
};
use rosetta_e2e::TestGateway;
use rosetta_testkit::callers::Keaz;
use rosetta_testkit::{backend_tests, read_eml_dir, wait_for_eml, Backend, Fixtures};
use serde_json::json;

use crate::{free_port, raw};

async fn activation_email_through_file_transport(backend: Backend) {
    let app = TestGateway::start(backend).await;
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
    assert_eq!(app.emails().await.len(), 1);
}

const PW: &str = "s3cret";

const SMTP_SERVER: &str = r#"
import os, sys, time
from aiosmtpd.controller import Controller

port, out = int(sys.argv[1]), sys.argv[2]
os.makedirs(out, exist_ok=True)

class Store:
    count = 0
    async def handle_DATA(self, server, session, envelope):
        Store.count += 1
        name = os.path.join(out, "%06d.eml" % Store.count)
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(name + ".tmp", name)
        return "250 OK"

controller = Controller(Store(), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
while True:
    time.sleep(3600)
"#;

/// Starts a real SMTP server (Python's aiosmtpd) that stores each message in `out`.
pub(crate) async fn start_smtp(port: u16, work: &Path, out: &Path) -> tokio::process::Child {
    let script = work.join("smtp_server.py");
    std::fs::write(&script, SMTP_SERVER).unwrap();
    let child = tokio::process::Command::new("python3")
        .arg(&script)
        .arg(port.to_string())
        .arg(out)
        .kill_on_drop(true)
        .spawn()
        .expect("python3 with aiosmtpd (pip install aiosmtpd)");
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return child;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the SMTP server did not start (is aiosmtpd installed?)");
}

async fn smtp_delivery_survives_an_outage(backend: Backend) {
    let port = free_port();
    let app = TestGateway::start_with(backend, |c| {
        c.email.transport = "smtp".into();
        c.email.smtp_port = port;
        c.email.max_backoff = Duration::from_secs(1);
    })
    .await;
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("received");
    let (tenant, _) = app.tenant("Acme Fleet").await;
    app.user_with(tenant, "adm", "adm@acme.test", PW, |n| {
        n.perms = vec!["admin".into()]
    })
    .await;
    app.user_with(tenant, "reader", "reader@acme.test", PW, |n| {
        n.role_number = Some(2)
    })
    .await;
    let admin = Keaz::login(&app.client, "adm@acme.test", PW).await;
    let reader = Keaz::login(&app.client, "reader@acme.test", PW).await;

    // The mail server is down: users are still created, their mail waits in the outbox.
    for who in ["ann", "bob"] {
        let user = json!({"name": who, "email": format!("{who}@acme.test")});
        let r = admin.send(Method::POST, "/user", Some(&user)).await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let r = reader.send(Method::GET, "/users", None).await;
    assert!(r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["email"] == "bob@acme.test"));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(read_eml_dir(&out).is_empty());

    let _smtp = start_smtp(port, work.path(), &out).await;
    let got = wait_for_eml(&out, 2, 200).await;
    assert_eq!(got.len(), 2, "{got:?}");
    let cy = json!({"name": "Cy", "email": "cy@acme.test"});
    let r = admin.send(Method::POST, "/user", Some(&cy)).await;
    assert_eq!(r.status, 201);
    let got = wait_for_eml(&out, 3, 200).await;
    // Exactly once each, also after more polls.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let got_later = read_eml_dir(&out);
    assert_eq!(got_later.len(), 3, "{got_later:?}");
    let to: BTreeSet<String> = got.iter().map(|e| e.to.clone()).collect();
    assert_eq!(
        to,
        BTreeSet::from([
            "ann@acme.test".to_owned(),
            "bob@acme.test".into(),
            "cy@acme.test".into()
        ])
    );
    assert!(
        app.emails().await.is_empty(),
        "nothing went to the file transport"
    );

    // The ticket that came through SMTP activates its user.
    let cy = got.iter().find(|e| e.to == "cy@acme.test").unwrap();
    assert!(cy.subject.contains("Acme Fleet"));
    let ticket = cy.ticket().unwrap();
    let r = Keaz::activate(&app.client, &ticket, "pw12").await;
    assert_eq!(r.status, 200, "{}", r.text);
    Keaz::login(&app.client, "cy@acme.test", "pw12").await;
}

/// Everything an outbox row holds as text, as one string per row (oldest first).
fn outbox_at_rest(app: &TestGateway) -> Vec<String> {
    raw::texts(
        app.database.url(),
        "SELECT to_addr || ' | ' || subject || ' | ' || body || ' | ' || COALESCE(kind, '-') \
         || ' | ' || COALESCE(CAST(sent_at AS TEXT), 'unsent') FROM outbox ORDER BY id",
    )
}

/// Waits (up to 10 s) until every outbox row is marked sent.
async fn wait_all_sent(app: &TestGateway) -> Vec<String> {
    for _ in 0..100 {
        let rows = outbox_at_rest(app);
        if rows.iter().all(|r| !r.ends_with("unsent")) {
            return rows;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("not all sent: {:?}", outbox_at_rest(app));
}

/// An activation email is sealed in the outbox (the database never shows its ticket or link),
/// its body is dropped once sent, and the message that arrives still activates the account.
/// A message queued in plain text before bodies were sealed is still sent, then dropped.
async fn outbox_keeps_no_ticket_at_rest(backend: Backend) {
    let app = TestGateway::start_with(backend, |c| {
        // Until the test removes it, a file where the outbox directory goes: every delivery
        // fails and the message waits in the table, where the test reads it.
        std::fs::write(&c.email.dir, "not a directory").unwrap();
        c.email.max_backoff = Duration::from_millis(200);
    })
    .await;
    let (tenant, _) = app.tenant("Acme Fleet").await;
    app.user_with(tenant, "adm", "adm@acme.test", PW, |n| {
        n.perms = vec!["admin".into()]
    })
    .await;
    let admin = Keaz::login(&app.client, "adm@acme.test", PW).await;
    let pat = json!({"name": "Pat Pending", "email": "pat@acme.test"});
    let r = admin.send(Method::POST, "/user", Some(&pat)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    // A row as a gateway before migration 000015 wrote it: plain text, no kind.
    raw::execute(
        app.database.url(),
        &format!(
            "INSERT INTO outbox (tenant_id, to_addr, subject, body, created_at, attempts, \
             next_attempt_at) VALUES ({}, 'old@acme.test', 'Queued before', \
             'Hello, open http://old.example/keaz/activate/OLDTICKET', 0, 0, 0)",
            tenant.0
        ),
    );

    let queued = outbox_at_rest(&app);
    assert_eq!(queued.len(), 2, "{queued:?}");
    let sealed = &queued[0];
    assert!(
        sealed.starts_with("pat@acme.test | Activate your Acme Fleet account | "),
        "{sealed}"
    );
    for plain in ["http", "activate/", "Hello", "Pat Pending"] {
        assert!(!sealed.contains(plain), "{plain} at rest: {sealed}");
    }

    std::fs::remove_file(&app.config.email.dir).unwrap();
    let emails = app.wait_for_emails(2).await;
    assert_eq!(emails.len(), 2, "{emails:?}");
    let email = emails.iter().find(|e| e.to == "pat@acme.test").unwrap();
    let ticket = email.ticket().expect("a link with the ticket");
    assert!(
        email
            .body
            .contains(&format!("http://{}/keaz/activate/{ticket}", app.addr)),
        "{}",
        email.body
    );
    assert!(!sealed.contains(&ticket), "the ticket at rest: {sealed}");
    let old = emails.iter().find(|e| e.to == "old@acme.test").unwrap();
    assert!(old.body.contains("activate/OLDTICKET"), "{}", old.body);

    // Sent: what an operator needs stays, the body (and the ticket with it) is gone.
    let sent = wait_all_sent(&app).await;
    let (pat_row, old_row) = (&sent[0], &sent[1]);
    let pat_parts: Vec<&str> = pat_row.split(" | ").collect();
    assert_eq!(
        pat_parts[..4],
        [
            "pat@acme.test",
            "Activate your Acme Fleet account",
            "",
            "activation"
        ],
        "{pat_row}"
    );
    let old_parts: Vec<&str> = old_row.split(" | ").collect();
    assert_eq!(
        old_parts[..4],
        ["old@acme.test", "Queued before", "", "-"],
        "{old_row}"
    );

    let r = Keaz::activate(&app.client, &ticket, "pw12").await;
    assert_eq!(r.status, 200, "{}", r.text);
    Keaz::login(&app.client, "pat@acme.test", "pw12").await;
}

backend_tests!(
    activation_email_through_file_transport,
    smtp_delivery_survives_an_outage,
    outbox_keeps_no_ticket_at_rest
);
