//! `kill -9` during a concurrent write load loses no acknowledged write and leaves a sound
//! database; SIGTERM under load lets the requests in flight finish and exits 0.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use diesel::sql_types::{BigInt, Text};
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl, SqliteConnection};
use rosetta_testkit::{Backend, TestDatabase};
use tokio::sync::Mutex;

use crate::{create_user, usr_tenant, Serve};

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    username: String,
}

/// (usernames of the tenant's users, users, `create` audit rows), read from outside the
/// gateway; on SQLite also `PRAGMA integrity_check`, which must say `ok`.
fn inspect(backend: Backend, url: &str, tenant: i64) -> (Vec<String>, i64, i64) {
    let users = format!("SELECT username FROM users WHERE tenant_id = {tenant}");
    let audits = format!(
        "SELECT COUNT(*) AS n FROM audit_log WHERE tenant_id = {tenant} AND action = 'create'"
    );
    match backend {
        Backend::Sqlite => {
            let mut c = SqliteConnection::establish(url.trim_start_matches("sqlite://")).unwrap();
            #[derive(QueryableByName)]
            struct Check {
                #[diesel(sql_type = Text)]
                integrity_check: String,
            }
            let check: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
                .load(&mut c)
                .unwrap();
            assert_eq!(check.len(), 1);
            assert_eq!(check[0].integrity_check, "ok");
            let names: Vec<Name> = diesel::sql_query(users).load(&mut c).unwrap();
            let audit: Count = diesel::sql_query(audits).get_result(&mut c).unwrap();
            let n = i64::try_from(names.len()).unwrap();
            (names.into_iter().map(|n| n.username).collect(), n, audit.n)
        }
        Backend::Postgres => {
            let mut c = PgConnection::establish(url).unwrap();
            let names: Vec<Name> = diesel::sql_query(users).load(&mut c).unwrap();
            let audit: Count = diesel::sql_query(audits).get_result(&mut c).unwrap();
            let n = i64::try_from(names.len()).unwrap();
            (names.into_iter().map(|n| n.username).collect(), n, audit.n)
        }
    }
}

async fn kill_9_under_write_load(backend: Backend) {
    let database = tokio::task::spawn_blocking(move || TestDatabase::empty(backend))
        .await
        .unwrap();
    let url = database.url().to_owned();
    let (tenant, token) = usr_tenant(database.dir(), &url);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let mut serve = Serve::start(database.dir(), &url, Stdio::null());
    serve.ready(&client).await;

    // 16 writers; every 2xx is an acknowledged write that must survive.
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut writers = Vec::new();
    for w in 0..16 {
        let (client, base, token, acked) = (
            client.clone(),
            serve.base.clone(),
            token.clone(),
            acked.clone(),
        );
        writers.push(tokio::spawn(async move {
            for i in 0.. {
                let name = format!("k{w}x{i}");
                let status = create_user(&client, &base, &token, &name).await;
                if (200..300).contains(&status) {
                    acked.lock().await.push(name);
                } else if status == 0 {
                    return; // the process is gone
                }
            }
        }));
    }
    let started = std::time::Instant::now();
    while acked.lock().await.len() < 300 {
        assert!(started.elapsed() < Duration::from_secs(60), "no write load");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    serve.signal("-KILL");
    serve.exit().await;
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().await.clone();

    // Restarted over the same database, it serves, and nothing acknowledged is missing.
    let mut again = Serve::start(database.dir(), &url, Stdio::null());
    again.ready(&client).await;
    let (names, users, audits) = tokio::task::spawn_blocking({
        let url = url.clone();
        move || inspect(backend, &url, tenant)
    })
    .await
    .unwrap();
    let missing: Vec<&String> = acked.iter().filter(|n| !names.contains(n)).collect();
    assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
    assert_eq!(
        users, audits,
        "every user has its create audit row, and only they"
    );
    eprintln!(
        "kill -9 figures ({backend:?}): {} acknowledged writes, all present; {users} users, \
         {audits} create audit rows",
        acked.len()
    );
    let after = create_user(&client, &again.base, &token, "after-restart").await;
    assert!((200..300).contains(&after), "{after}");
}

crate::on_both_backends!(kill_9_under_write_load);

/// A POST whose body is half sent when SIGTERM arrives is still answered in full, the
/// process exits 0, and requests already answered on the same connection say it was accepted.
async fn sigterm_lets_requests_in_flight_finish(backend: Backend) {
    let database = tokio::task::spawn_blocking(move || TestDatabase::empty(backend))
        .await
        .unwrap();
    let url = database.url().to_owned();
    let (_, token) = usr_tenant(database.dir(), &url);
    let client = reqwest::Client::new();
    let mut serve = Serve::start(database.dir(), &url, Stdio::null());
    serve.ready(&client).await;
    let addr = serve.base.trim_start_matches("http://").to_owned();

    let mut in_flight = Vec::new();
    for i in 0..8 {
        let mut s = TcpStream::connect(&addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        // A whole request first, so the connection is known to be accepted.
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut buf = [0u8; 512];
        let n = s.read(&mut buf).unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
        let body = format!(
            r#"{{"contactName":"t{i}","emailAddress":"t{i}@example.com","username":"t{i}","password":"pw-of-the-test","active":true,"defaultAccountId":1}}"#
        );
        let head = format!(
            "POST /usr/new HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\
             Expect: 100-continue\r\n\r\n",
            body.len()
        );
        s.write_all(head.as_bytes()).unwrap();
        // The interim 100 says the gateway has read this request's head: the request is in
        // flight. Without it, on a loaded machine the head could still sit unread when SIGTERM
        // came, and a graceful stop rightly closes a connection with no request begun.
        let n = s.read(&mut buf).unwrap();
        assert!(
            buf[..n].starts_with(b"HTTP/1.1 100"),
            "{:?}",
            String::from_utf8_lossy(&buf[..n])
        );
        let (first, rest) = body.split_at(body.len() / 2);
        s.write_all(first.as_bytes()).unwrap();
        in_flight.push((s, rest.to_owned()));
    }
    serve.signal("-TERM");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut answered = 0;
    for (mut s, rest) in in_flight {
        s.write_all(rest.as_bytes()).unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 20"), "{answer}");
        answered += 1;
    }
    assert_eq!(serve.exit().await.code(), Some(0));
    assert_eq!(answered, 8);
}

crate::on_both_backends!(sigterm_lets_requests_in_flight_finish);
