//! The one HTTP client of the tests, which records what it receives for the leak scan.
//!
//! Every request goes through [`Client::call`], which records the response body. The scan
//! ([`Client::assert_no_leaks`]) looks through everything received for the secrets the test
//! registered, bcrypt hashes, and password or memorable-word members with a value. It runs by
//! itself when the last clone of a client is dropped, unless the test is failing already, so a
//! test that forgets to call it is still scanned.

use std::sync::{Arc, Mutex};

use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::{json, Value};

/// One answer, read whole.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub content_type: String,
    pub location: Option<String>,
    pub headers: HeaderMap,
    pub text: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}), status {}: {}", self.status, self.text))
    }

    /// Fails the test unless the status is `want`; gives the JSON body.
    #[track_caller]
    pub fn expect(&self, want: u16) -> Value {
        assert_eq!(self.status, want, "unexpected answer: {}", self.text);
        if self.text.is_empty() {
            Value::Null
        } else {
            self.json()
        }
    }

    /// A response header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

#[derive(Default)]
struct Log {
    /// (request line, response body) of everything received.
    bodies: Vec<(String, String)>,
    /// Passwords, memorable words, keys: none may ever come back.
    secrets: Vec<String>,
    /// Whether the scan ran (then it does not run again on drop).
    scanned: bool,
}

impl Log {
    fn problems(&self) -> Vec<String> {
        let mut found = Vec::new();
        for (what, body) in &self.bodies {
            for problem in leaks(body, &self.secrets) {
                found.push(format!("{what}: {problem}: {body}"));
            }
        }
        found
    }
}

impl Drop for Log {
    fn drop(&mut self) {
        if self.scanned || self.bodies.is_empty() || std::thread::panicking() {
            return;
        }
        let found = self.problems();
        assert!(found.is_empty(), "leaks:\n{}", found.join("\n"));
    }
}

/// A recording HTTP client for one server (or several, with [`Client::at`] sharing one log).
#[derive(Clone)]
pub struct Client {
    pub base: String,
    /// Put before each recorded request line (e.g. which tenant asked).
    tag: String,
    inner: reqwest::Client,
    log: Arc<Mutex<Log>>,
}

impl Client {
    /// `base` is put before every path: `http://127.0.0.1:PORT`, no trailing slash.
    pub fn new(base: impl Into<String>) -> Self {
        Self {
            base: base.into(),
            tag: String::new(),
            inner: reqwest::Client::new(),
            log: Arc::default(),
        }
    }

    /// The same recorder, talking to another server.
    pub fn at(&self, base: impl Into<String>) -> Self {
        Self {
            base: base.into(),
            ..self.clone()
        }
    }

    /// The same recorder and server, marking what it records with `tag`.
    pub fn tagged(&self, tag: &str) -> Self {
        Self {
            tag: tag.to_owned(),
            ..self.clone()
        }
    }

    /// The full URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// (request line, body) of everything recorded with `tag`.
    pub fn bodies(&self, tag: &str) -> Vec<(String, String)> {
        self.log
            .lock()
            .unwrap()
            .bodies
            .iter()
            .filter(|(what, _)| what.starts_with(&format!("[{tag}] ")))
            .cloned()
            .collect()
    }

    /// Registers a secret the test wrote; the leak scan looks for it in every body.
    pub fn secret(&self, s: &str) -> String {
        self.log.lock().unwrap().secrets.push(s.to_owned());
        s.to_owned()
    }

    /// Sends `body` (if any) with `headers` to `path` under the base, and reads the answer.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Resp {
        let what = format!("[{}] {method} {path}", self.tag);
        let mut rb = self.inner.request(method, self.url(path));
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        if let Some(b) = body {
            rb = rb.body(b);
        }
        let r = rb.send().await.unwrap_or_else(|e| panic!("{what}: {e}"));
        let headers = r.headers().clone();
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let status = r.status().as_u16();
        let content_type = header("content-type").unwrap_or_default();
        let location = header("location");
        let text = r.text().await.unwrap_or_else(|e| panic!("{what}: {e}"));
        self.log
            .lock()
            .unwrap()
            .bodies
            .push((what.clone(), text.clone()));
        if let Err(e) = well_formed(&content_type, &text) {
            panic!("{what}: an XML answer that is not well-formed ({e}): {text}");
        }
        Resp {
            status,
            content_type,
            location,
            headers,
            text,
        }
    }

    /// [`Client::call`] with a JSON body.
    pub async fn json(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: &Value,
    ) -> Resp {
        let mut all = vec![("Content-Type", "application/json")];
        all.extend_from_slice(headers);
        self.call(method, path, &all, Some(json_bytes(body))).await
    }

    /// How many answers were recorded (so a scan over nothing cannot pass by accident).
    pub fn recorded(&self) -> usize {
        self.log.lock().unwrap().bodies.len()
    }

    /// The leak scan: no body may carry a registered secret, a bcrypt hash, or a password /
    /// memorable-word member with a value (JSON member or XML element).
    #[track_caller]
    pub fn assert_no_leaks(&self) {
        let mut log = self.log.lock().unwrap();
        assert!(!log.bodies.is_empty(), "nothing was recorded");
        log.scanned = true;
        let found = log.problems();
        assert!(found.is_empty(), "leaks:\n{}", found.join("\n"));
    }
}

/// An answer typed XML (`application/xml`, `text/xml`, `...+xml`) must be a well-formed XML
/// document, checked by a strict parser (roxmltree: one root, matched tags, declared
/// prefixes, legal characters, no DTD) rather than by the reader that wrote it, so no test
/// passes on XML a strict client would refuse.
pub fn well_formed(content_type: &str, body: &str) -> Result<(), String> {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let xml = media == "application/xml" || media == "text/xml" || media.ends_with("+xml");
    if !xml || body.is_empty() {
        return Ok(());
    }
    roxmltree::Document::parse(body)
        .map(drop)
        .map_err(|e| e.to_string())
}

pub(crate) fn json_bytes(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).expect("JSON")
}

const SECRET_MEMBERS: &[&str] = &["Password", "password", "MemorableWord"];

/// What in `body` must not be there.
pub fn leaks(body: &str, secrets: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for s in secrets {
        if !s.is_empty() && body.contains(s.as_str()) {
            out.push(format!("secret {s:?}"));
        }
    }
    for prefix in ["$2a$", "$2b$", "$2y$"] {
        if body.contains(prefix) {
            out.push(format!("bcrypt hash ({prefix})"));
        }
    }
    if let Ok(v) = serde_json::from_str::<Value>(body) {
        json_members(&v, &mut out);
    }
    // XML (or anything else): an element of that name with text in it.
    for name in SECRET_MEMBERS {
        let mut rest = body;
        while let Some(i) = rest.find('<') {
            rest = &rest[i + 1..];
            let local = rest
                .split(|c: char| c == '>' || c == '/' || c.is_whitespace())
                .next()
                .unwrap_or("");
            let local = local.rsplit(':').next().unwrap_or(local);
            if local != *name {
                continue;
            }
            let Some(close) = rest.find('>') else { break };
            if rest[..close].ends_with('/') {
                continue;
            }
            let content = rest[close + 1..].split('<').next().unwrap_or("");
            if !content.trim().is_empty() {
                out.push(format!("element <{name}> with a value"));
            }
        }
    }
    out
}

fn json_members(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, val) in map {
                let has_value = !matches!(val, Value::Null) && val != &json!("");
                if SECRET_MEMBERS.contains(&k.as_str()) && has_value {
                    out.push(format!("member {k:?} with a value"));
                }
                json_members(val, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| json_members(i, out)),
        _ => {}
    }
}

/// Percent-encodes a query value (enough for emails, names, GUIDs).
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scan itself: it must see what it is there to see.
    #[test]
    fn the_leak_scan_finds_leaks() {
        let secrets = vec!["s3cret".to_owned()];
        for bad in [
            r#"{"x": "has s3cret inside"}"#,
            r#"{"hash": "$2b$04$abcdefghijklmnopqrstuv"}"#,
            r#"[{"User": {"Password": "x"}}]"#,
            r#"{"password": 1}"#,
            r#"{"MemorableWord": "abc"}"#,
            "<User><Password>x</Password></User>",
            r#"<d:MemorableWord xmlns:d="u">abc</d:MemorableWord>"#,
        ] {
            assert!(!leaks(bad, &secrets).is_empty(), "missed: {bad}");
        }
        for fine in [
            r#"{"error": {"code": "invalid", "field": "password", "message": "password is required"}}"#,
            r#"{"Password": null, "MemorableWord": ""}"#,
            r#"<User><Password i:nil="true"/><PasswordHint>x</PasswordHint></User>"#,
            "",
        ] {
            assert!(leaks(fine, &secrets).is_empty(), "false alarm: {fine}");
        }
    }

    /// The strict check refuses what a lenient reader lets through.
    #[test]
    fn xml_answers_must_be_well_formed() {
        let good = r#"<?xml version="1.0" encoding="utf-8"?><a xmlns:i="u"><b i:nil="true"/></a>"#;
        assert_eq!(well_formed("application/xml; charset=utf-8", good), Ok(()));
        for bad in [
            "<a><b></a>",
            "<a/><a/>",
            "<a><i:b/></a>",
            "<a>&nbsp;</a>",
            "<a x=\"1\" x=\"2\"/>",
            "<a>\u{1}</a>",
            "",
        ] {
            if bad.is_empty() {
                continue;
            }
            assert!(well_formed("text/xml", bad).is_err(), "passed: {bad}");
            assert!(
                well_formed("application/soap+xml", bad).is_err(),
                "passed: {bad}"
            );
            assert_eq!(
                well_formed("application/json", bad),
                Ok(()),
                "not XML-typed"
            );
        }
    }

    /// A test that never calls the scan is scanned when its last client goes.
    #[test]
    fn dropping_the_last_client_scans() {
        let client = Client::new("http://127.0.0.1:9");
        let leak = r#"{"hash": "$2b$04$abcdefghijklmnopqrstuv"}"#;
        client
            .log
            .lock()
            .unwrap()
            .bodies
            .push(("[] GET /x".into(), leak.into()));
        let copy = client.clone();
        drop(client);
        let scanned = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(copy)));
        assert!(scanned.is_err(), "the leak went unnoticed");
        let clean = Client::new("http://127.0.0.1:9");
        clean
            .log
            .lock()
            .unwrap()
            .bodies
            .push(("[] GET /y".into(), "{}".into()));
        drop(clean);
    }
}
