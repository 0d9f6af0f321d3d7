//! Messages, for assertions: read from the outbox (a test directory, with no sender), or from
//! the `.eml` files the gateway's sender or a test's own SMTP server wrote.

use std::path::Path;
use std::time::Duration;

use rosetta_core::{Outbox, OutboxEmail};

/// A message as a recipient would read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentEmail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl SentEmail {
    /// The activation ticket: the last path segment of the first `http` link in the body.
    pub fn ticket(&self) -> Option<String> {
        let link = self
            .body
            .split_whitespace()
            .find(|w| w.starts_with("http"))?;
        link.trim_end_matches('/')
            .rsplit('/')
            .next()
            .map(str::to_owned)
    }
}

/// How long a message taken by a test is leased, as the sender leases one it delivers.
const LEASE: Duration = Duration::from_secs(120);

/// Takes what the outbox holds, as the gateway's sender would, and keeps it.
pub(crate) struct Mailbox {
    outbox: Outbox,
    taken: tokio::sync::Mutex<Vec<SentEmail>>,
}

impl Mailbox {
    pub(crate) fn new(outbox: Outbox) -> Self {
        Self {
            outbox,
            taken: tokio::sync::Mutex::new(Vec::new()),
        }
    }

    /// Everything taken so far, after taking what is due now.
    pub(crate) async fn collect(&self) -> Vec<SentEmail> {
        let mut taken = self.taken.lock().await;
        let now = chrono::Utc::now();
        let lease = now + chrono::Duration::from_std(LEASE).unwrap_or_default();
        let due = self.outbox.due(now, 1000).await.expect("read the outbox");
        for email in due {
            if self
                .outbox
                .claim(email.id, now, lease)
                .await
                .expect("claim a message")
            {
                self.outbox
                    .mark_sent(email.id, now)
                    .await
                    .expect("mark a message sent");
                taken.push(from_outbox(email));
            }
        }
        taken.clone()
    }
}

fn from_outbox(email: OutboxEmail) -> SentEmail {
    let OutboxEmail {
        id: _,
        tenant_id: _,
        to,
        subject,
        body,
        attempts: _,
        created_at: _,
    } = email;
    SentEmail {
        to,
        subject,
        body: body.into_plain(),
    }
}

/// Every `.eml` file in `dir` (the file transport's `email.dir`, or what a test's own SMTP
/// server stored), oldest first by file name. Bare LF line ends are accepted, since the SMTP
/// sink writes them where the file transport writes CRLF.
pub fn read_eml_dir(dir: &Path) -> Vec<SentEmail> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".eml") && !n.starts_with('.'))
        .collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|n| {
            let text = std::fs::read_to_string(dir.join(&n)).ok()?;
            let text = text.replace("\r\n", "\n").replace('\n', "\r\n");
            Some(parse_eml(&text))
        })
        .collect()
}

/// Waits (up to `tries` tenths of a second) until `dir` holds at least `n` messages.
pub async fn wait_for_eml(dir: &Path, n: usize, tries: u32) -> Vec<SentEmail> {
    for _ in 0..tries {
        let found = read_eml_dir(dir);
        if found.len() >= n {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    read_eml_dir(dir)
}

fn parse_eml(text: &str) -> SentEmail {
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((text, ""));
    let header = |name: &str| {
        head.lines()
            .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_owned()))
            .unwrap_or_default()
    };
    let body = if header("Content-Transfer-Encoding:").eq_ignore_ascii_case("quoted-printable") {
        decode_quoted_printable(body)
    } else {
        body.to_owned()
    };
    SentEmail {
        to: header("To:"),
        subject: header("Subject:"),
        body: body.replace("\r\n", "\n"),
    }
}

/// Enough of RFC 2045 quoted-printable for assertions: soft breaks and `=XX` escapes.
fn decode_quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
