//! A browser as the console's tests need one: no redirect followed, cookies kept by name, and
//! every body scanned for the secrets the test registered.

use std::collections::HashMap;
use std::net::SocketAddr;

use reqwest::header::HeaderMap;
use reqwest::redirect::Policy;
use rosetta_testkit::{enc, leaks};

pub(crate) struct Page {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Page {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }

    /// The Set-Cookie line of `name`.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.set_cookies()
            .into_iter()
            .find(|c| c.starts_with(&format!("{name}=")))
    }

    /// The value of the form field `name` (the first one).
    pub fn field(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self
            .text
            .find(&marker)
            .unwrap_or_else(|| panic!("no field {name}: {}", self.text))
            + marker.len();
        let end = self.text[start..].find('"').unwrap() + start;
        self.text[start..end].to_owned()
    }

    /// Every console answer: never cached, under the restrictive policy.
    #[track_caller]
    pub fn assert_guarded(&self, what: &str) {
        assert_eq!(self.header("cache-control"), Some("no-store"), "{what}");
        let csp = self.header("content-security-policy").unwrap_or("");
        for part in [
            "default-src 'none'",
            "style-src 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        ] {
            assert!(csp.contains(part), "{what}: {csp}");
        }
    }

    #[track_caller]
    pub fn assert_login_redirect(&self, what: &str) {
        assert_eq!(self.status, 303, "{what}: {}", self.text);
        assert_eq!(self.header("location"), Some("/console/login"), "{what}");
        self.assert_guarded(what);
    }
}

pub(crate) struct Browser {
    base: String,
    http: reqwest::Client,
    pub cookies: HashMap<String, String>,
    secrets: Vec<String>,
    bodies: Vec<String>,
}

impl Browser {
    pub fn new(addr: SocketAddr) -> Self {
        Self {
            base: format!("http://{addr}"),
            http: reqwest::Client::builder()
                .redirect(Policy::none())
                .build()
                .unwrap(),
            cookies: HashMap::new(),
            secrets: Vec::new(),
            bodies: Vec::new(),
        }
    }

    pub fn secret(&mut self, s: &str) -> String {
        self.secrets.push(s.to_owned());
        s.to_owned()
    }

    fn cookie_header(&self) -> String {
        let mut pairs: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        pairs.sort();
        pairs.join("; ")
    }

    async fn send(&mut self, rb: reqwest::RequestBuilder) -> Page {
        let rb = if self.cookies.is_empty() {
            rb
        } else {
            rb.header("cookie", self.cookie_header())
        };
        let r = rb.send().await.unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap();
        let page = Page {
            status,
            headers,
            text,
        };
        for line in page.set_cookies() {
            let (pair, attrs) = line.split_once(';').unwrap_or((&line, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if attrs.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        self.bodies.push(page.text.clone());
        page
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let rb = self.http.get(format!("{}{path}", self.base));
        self.send(rb).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        let rb = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(rb).await
    }

    /// The login form read, then posted with its token.
    pub async fn login(&mut self, username: &str, password: &str) -> Page {
        let form = self.get("/console/login").await;
        assert_eq!(form.status, 200, "{}", form.text);
        let csrf = form.field("csrf_token");
        self.post(
            "/console/login",
            &[
                ("username", username),
                ("password", password),
                ("csrf_token", &csrf),
            ],
        )
        .await
    }

    /// A page that must answer 200 to an operator with a session.
    pub async fn page(&mut self, path: &str) -> Page {
        let p = self.get(path).await;
        assert_eq!(p.status, 200, "{path}: {}", p.text);
        p.assert_guarded(path);
        p
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        for body in &self.bodies {
            let found = leaks(body, &self.secrets);
            assert!(found.is_empty(), "leaks {found:?} in {body}");
        }
    }
}
