//! Debian's chromium, headless, behind its own chromedriver on a free port, and the few
//! things the tests ask of it: a viewport of an exact size, a page's elements, a screenshot
//! of the whole page.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

/// How long a wait for an element or a navigation may take before the test fails.
const WAIT: Duration = Duration::from_secs(20);

/// One chromedriver process; killed when dropped.
pub struct Chromedriver {
    child: Child,
    url: String,
    /// The browser's profile, thrown away with the test.
    profile: tempfile::TempDir,
}

impl Chromedriver {
    /// Starts `CHROMEDRIVER` (default `chromedriver`) on a free port and waits (20 s at most)
    /// until its `/status` says it is ready.
    pub async fn start() -> Self {
        let program = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let port = crate::gateway::free_port();
        let child = Command::new(&program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("{program}: {e} (apt-get install chromium chromium-driver)")
            });
        let url = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            if let Ok(r) = client.get(format!("{url}/status")).send().await {
                if let Ok(status) = r.json::<Value>().await {
                    if status["value"]["ready"] == true {
                        break;
                    }
                }
            }
            assert!(
                started.elapsed() < WAIT,
                "chromedriver on {port} never ready"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self {
            child,
            url,
            profile: tempfile::tempdir().unwrap(),
        }
    }

    /// A new headless browser session.
    pub async fn browser(&self) -> Browser {
        let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let args = [
            "--headless=new".to_owned(),
            // The suite runs as root in CI, where chromium's sandbox cannot start.
            "--no-sandbox".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-gpu".to_owned(),
            "--hide-scrollbars".to_owned(),
            "--force-device-scale-factor=1".to_owned(),
            "--lang=en-US".to_owned(),
            "--no-first-run".to_owned(),
            format!("--user-data-dir={}", self.profile.path().display()),
            "--window-size=1280,800".to_owned(),
        ];
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": binary, "args": args },
        });
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&self.url)
            .await
            .unwrap_or_else(|e| panic!("no chromium session: {e}"));
        Browser { client }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser session.
pub struct Browser {
    pub client: Client,
}

impl Browser {
    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    /// The path of the page shown now (`/console/login`).
    pub async fn path(&self) -> String {
        self.client.current_url().await.unwrap().path().to_owned()
    }

    /// The element `css` matches, waiting for it (the page after a submit may still load).
    pub async fn find(&self, css: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(el) => el,
            Err(e) => {
                let page = self.client.source().await.unwrap_or_default();
                panic!(
                    "no `{css}` on {}: {e}\n{page}",
                    self.client.current_url().await.unwrap()
                )
            }
        }
    }

    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(css)).await.unwrap()
    }

    /// Runs `script` (a function body; `arguments` are `args`) and returns its value.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client.execute(script, args).await.unwrap()
    }

    /// Resizes the window until the page's viewport is `width` x `height` CSS pixels (the
    /// window's frame, if any, is measured and added).
    pub async fn viewport(&self, width: u32, height: u32) {
        let (mut w, mut h) = (width, height);
        for _ in 0..50 {
            self.client.set_window_size(w, h).await.unwrap();
            // The window is resized asynchronously; the page sees it a moment later.
            tokio::time::sleep(Duration::from_millis(50)).await;
            let inner = self
                .js("return [window.innerWidth, window.innerHeight];", vec![])
                .await;
            let (iw, ih) = (as_u32(&inner[0]), as_u32(&inner[1]));
            if (iw, ih) == (width, height) {
                return;
            }
            // A frame around the page takes its share: the window is the viewport plus it.
            // (A reading larger than the window is from before the resize: ask again.)
            if iw <= w && ih <= h {
                w = width + (w - iw);
                h = height + (h - ih);
            }
        }
        panic!("the viewport never became {width}x{height}");
    }

    /// A screenshot of the whole page at `width` (the window made as tall as the page, then
    /// put back), written to `path`.
    pub async fn screenshot(&self, width: u32, height: u32, path: &Path) {
        self.viewport(width, height).await;
        let full = self
            .js(
                "return Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0);",
                vec![],
            )
            .await;
        let full = as_u32(&full).clamp(height, 6000);
        if full > height {
            self.viewport(width, full).await;
        }
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(path, png).unwrap();
        if full > height {
            self.viewport(width, height).await;
        }
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

fn as_u32(v: &Value) -> u32 {
    v.as_f64()
        .map(|f| f.round() as u32)
        .unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Where screenshots go: `target/console-screenshots/` of the workspace
/// (`ROSETTA_SCREENSHOTS_DIR` overrides).
pub fn screenshot_dir() -> PathBuf {
    let dir = match std::env::var("ROSETTA_SCREENSHOTS_DIR") {
        Ok(d) => PathBuf::from(d),
        Err(_) => Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .join("target/console-screenshots"),
    };
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
