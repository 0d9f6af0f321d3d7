//! A log output that fails takes no request down (issue 17, defect 1). Before the fix
//! `2>/dev/full` exited 101 at start, and with a closed pipe requests that logged were dropped
//! and SIGTERM exited 101.

use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Stdio;

use crate::{usr_tenant, Serve};

/// A request actix logs (a malformed head), over a raw socket; the status line it got.
fn malformed(base: &str) -> String {
    let addr = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"NOT HTTP AT ALL\r\n\r\n").unwrap();
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    answer.lines().next().unwrap_or("").to_owned()
}

/// Requests that log (a malformed head, an unknown token, a path nobody serves) all answered.
async fn requests_that_log(client: &reqwest::Client, base: &str, token: &str) {
    for _ in 0..20 {
        assert!(malformed(base).starts_with("HTTP/1.1 400"));
        let r = client
            .get(format!("{base}/usr/1"))
            .bearer_auth("not-a-token")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        let r = client
            .get(format!("{base}/usr/acc/1"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success() || r.status() == 404, "{r:?}");
    }
}

fn write_errors(metrics: &str) -> u64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix("rosetta_log_write_errors_total "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap()
}

#[tokio::test]
#[ignore = "fault suite: .ci/run runs it with --ignored"]
async fn stderr_full_or_closed_takes_no_request_down() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("rosetta.db").display());
    let (_, token) = usr_tenant(dir.path(), &url);
    let client = reqwest::Client::new();

    // stderr is /dev/full: every write fails with ENOSPC.
    let full = OpenOptions::new().write(true).open("/dev/full").unwrap();
    let mut serve = Serve::start(dir.path(), &url, Stdio::from(full));
    serve.ready(&client).await;
    requests_that_log(&client, &serve.base, &token).await;
    let metrics = client
        .get(format!("{}/metrics", serve.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(write_errors(&metrics) > 0, "the failed writes are counted");
    serve.signal("-TERM");
    assert_eq!(serve.exit().await.code(), Some(0));

    // stderr is a pipe whose reader has gone: every write fails with EPIPE.
    let mut serve = Serve::start(dir.path(), &url, Stdio::piped());
    let mut pipe = serve.child.stderr.take().unwrap();
    let mut first = [0u8; 1];
    pipe.read_exact(&mut first).unwrap();
    drop(pipe);
    serve.ready(&client).await;
    requests_that_log(&client, &serve.base, &token).await;
    serve.signal("-TERM");
    assert_eq!(serve.exit().await.code(), Some(0));
}
