//! What a hostile client can hold, over real TCP against the whole gateway: a body that never
//! arrives is 408 in the dialect's shape within `limits.body_timeout` and its connection is
//! closed; past `server.max_connections` a listener stops accepting, and the connections it
//! refused are served once slots free. Times are only ever bounded generously from above.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use rosetta_e2e::TestGateway;
use rosetta_testkit::{backend_tests, Backend, Fixtures};

/// Far above any body timeout here, so a slow machine never fails a test.
const GENEROUS: Duration = Duration::from_secs(20);

/// A request's head and the first `sent` bytes of its body, then silence.
fn start_slow(addr: SocketAddr, head: &str, sent: &[u8]) -> TcpStream {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(GENEROUS)).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(sent).unwrap();
    s
}

/// Everything the server writes until it closes the connection (or `GENEROUS` passes: then
/// the second value is false).
fn read_to_close(mut s: TcpStream) -> (String, bool) {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let closed = loop {
        match s.read(&mut buf) {
            Ok(0) => break true,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            // A reset after the answer is a close too.
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break true,
            Err(_) => break false,
        }
    };
    (String::from_utf8_lossy(&out).into_owned(), closed)
}

fn post_head(path: &str, content_type: &str, extra: &str) -> String {
    format!("POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\n{extra}\r\n")
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

async fn slow_bodies_are_408_in_each_dialect_and_closed(backend: Backend) {
    let app = TestGateway::start_with(backend, |c| {
        c.limits.body_timeout = Duration::from_secs(1);
    })
    .await;
    let (tenant, key) = app.tenant("Alpha").await;
    let usr_token = app.credential(tenant, "usr").await;
    app.client.secret(&usr_token);
    app.client.secret(&key);
    let v2_search = format!(
        "/api/v2/user/search?format=json&CompanyId={}&IntegrationKey={key}",
        tenant.0
    );
    let usr_auth = format!("Authorization: Bearer {usr_token}\r\n");
    let cases: Vec<(String, &str)> = vec![
        // The issue's case: headers, then one byte of a 500-byte body.
        (
            post_head("/keaz/login", "application/json", "Content-Length: 500\r\n"),
            r#""error":"timeout""#,
        ),
        (
            post_head(
                "/kashflow/sessiontoken",
                "application/json",
                "Content-Length: 500\r\n",
            ),
            r#""Error":"RequestTimeout""#,
        ),
        (
            post_head(
                "/usr/new",
                "text/javascript",
                &format!("{usr_auth}Content-Length: 500\r\n"),
            ),
            r#""code":"timeout""#,
        ),
        (
            post_head(&v2_search, "application/json", "Content-Length: 500\r\n"),
            r#""ErrorCode":"RequestTimeout""#,
        ),
        // A chunked body that stops after its first chunk: actix would drain it forever.
        (
            post_head(
                "/keaz/login",
                "application/json",
                "Transfer-Encoding: chunked\r\n",
            ),
            r#""error":"timeout""#,
        ),
    ];
    let addr = app.addr;
    for (head, shape) in cases {
        let started = Instant::now();
        let chunked = head.contains("chunked");
        let head_line =
            head.lines().next().unwrap_or("").to_owned() + if chunked { " chunked" } else { "" };
        let (answer, closed) = blocking(move || {
            let first: &[u8] = if chunked { b"1\r\n{\r\n" } else { b"{" };
            read_to_close(start_slow(addr, &head, first))
        })
        .await;
        let took = started.elapsed();
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(answer.contains(shape), "{shape}: {answer}");
        assert!(closed, "the connection stays open: {}: {answer}", head_line);
        assert!(took < GENEROUS, "{took:?}");
    }
    // A chunked body on a route that never reads one (a GET path, a path nobody serves) is
    // answered at once and closed, not drained for as long as the client keeps it open.
    for path in ["/healthz", "/nowhere"] {
        let head = format!("POST {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        let (answer, closed) =
            blocking(move || read_to_close(start_slow(addr, &head, b"1\r\n{\r\n"))).await;
        assert!(answer.starts_with("HTTP/1.1 4"), "{path}: {answer}");
        assert!(closed, "{path}: the connection stays open: {answer}");
    }
    // A whole body in time is still read, chunked or not.
    let (answer, _) = blocking(move || {
        let body = r#"{"email":"nobody@alpha.test","password":"x"}"#;
        let head = post_head(
            "/keaz/login",
            "application/json",
            "Transfer-Encoding: chunked\r\n",
        );
        let chunks = format!("{:x}\r\n{body}\r\n0\r\n\r\n", body.len());
        let s = start_slow(addr, &head, chunks.as_bytes());
        s.shutdown(std::net::Shutdown::Write).unwrap();
        read_to_close(s)
    })
    .await;
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    let r = app
        .client
        .call(
            reqwest::Method::POST,
            "/keaz/login",
            &[("Content-Type", "application/json")],
            Some(br#"{"email":"nobody@alpha.test","password":"x"}"#.to_vec()),
        )
        .await;
    assert_eq!(r.status, 401, "{}", r.text);
}

/// `GET /healthz` on a connection of its own; `None` if no answer came within `wait`.
fn healthz(addr: SocketAddr, wait: Duration) -> Option<String> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(wait)).unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .ok()?;
    let mut out = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(_) => break,
        }
    }
    let text = String::from_utf8_lossy(&out).into_owned();
    (!text.is_empty()).then_some(text)
}

async fn connections_past_the_bound_wait_and_are_served_once_slots_free(backend: Backend) {
    let app = TestGateway::start_with(backend, |c| {
        // Two workers, one connection each.
        c.server.max_connections = Some(2);
        c.limits.body_timeout = Duration::from_secs(3);
    })
    .await;
    let addr = app.addr;
    blocking(move || {
        // Under the bound a request is answered at once.
        let ok = healthz(addr, GENEROUS).expect("an answer");
        assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");

        let head = post_head("/keaz/login", "application/json", "Content-Length: 500\r\n");
        let slow: Vec<TcpStream> = (0..2).map(|_| start_slow(addr, &head, b"{")).collect();
        // Let the accept loop take both before the legitimate caller arrives.
        std::thread::sleep(Duration::from_millis(300));
        let started = Instant::now();
        // Held in the backlog while both slots are taken, so not answered in a fraction of
        // the body timeout; answered once the slow ones are timed out and closed.
        let waiting = std::thread::spawn(move || (healthz(addr, GENEROUS), started.elapsed()));
        let answers: Vec<(String, bool)> = slow.into_iter().map(read_to_close).collect();
        let (legit, took) = waiting.join().unwrap();
        let legit = legit.expect("served once a slot frees");
        for (answer, closed) in &answers {
            assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
            assert!(*closed);
        }
        assert!(legit.starts_with("HTTP/1.1 200"), "{legit}");
        assert!(
            took >= Duration::from_secs(1),
            "answered while every slot was held ({took:?}): the bound is not applied"
        );
        assert!(took < GENEROUS, "{took:?}");
    })
    .await;
}

backend_tests!(
    slow_bodies_are_408_in_each_dialect_and_closed,
    connections_past_the_bound_wait_and_are_served_once_slots_free,
);
