//! Every page at a desktop and a phone width: checked for what a person would see broken
//! (a page scrolling sideways on a phone, no viewport meta, inline styles the CSP blocks, no
//! main landmark or skip link), then kept as a screenshot.

use std::path::Path;

use rosetta_testkit::Backend;

use crate::driver::{screenshot_dir, Browser};

/// (width, height) of a desktop and of a phone (an iPhone 12 to 15 in CSS pixels).
pub const WIDTHS: [(u32, u32); 2] = [(1280, 800), (390, 844)];

/// The pages copied to `docs/images/` (from the SQLite run) when
/// `ROSETTA_UPDATE_SCREENSHOTS=1`.
const DOCS: &[&str] = &["login", "overview", "dialect-usr", "tenants"];

pub fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

/// Checks the page shown now at both widths and keeps a screenshot of each:
/// `target/console-screenshots/<backend>-<page>-<width>.png`.
pub async fn page(browser: &Browser, backend: Backend, page: &str) {
    let dir = screenshot_dir();
    for (width, height) in WIDTHS {
        browser.viewport(width, height).await;
        sound(browser, page, width).await;
        let file = dir.join(format!("{}-{page}-{width}.png", backend_name(backend)));
        browser.screenshot(width, height, &file).await;
        if backend == Backend::Sqlite
            && DOCS.contains(&page)
            && std::env::var("ROSETTA_UPDATE_SCREENSHOTS").as_deref() == Ok("1")
        {
            let name = page.strip_suffix("-usr").unwrap_or(page);
            let docs = Path::new(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .unwrap()
                .join("docs/images");
            std::fs::create_dir_all(&docs).unwrap();
            std::fs::copy(&file, docs.join(format!("console-{name}-{width}.png"))).unwrap();
        }
    }
    browser.viewport(WIDTHS[0].0, WIDTHS[0].1).await;
}

/// What every console page must be at `width`, whatever it shows.
async fn sound(browser: &Browser, page: &str, width: u32) {
    let facts = browser
        .js(
            r##"
            const d = document.documentElement;
            const meta = document.querySelector('meta[name="viewport"]');
            const skip = document.querySelector('a[href^="#"]');
            const target = skip ? document.getElementById(skip.getAttribute('href').slice(1)) : null;
            return {
                scrollWidth: d.scrollWidth,
                innerWidth: window.innerWidth,
                viewport: meta ? meta.getAttribute('content') : null,
                lang: d.getAttribute('lang'),
                inline: document.querySelectorAll('[style], style, script:not([src])').length,
                main: document.querySelectorAll('main, [role="main"]').length,
                skip: skip && target ? skip.getAttribute('href') : null,
                title: document.title,
                css: [...document.styleSheets].some(s => s.href && s.href.endsWith('/console/static/console.css') && s.cssRules.length > 0),
            };
            "##,
            vec![],
        )
        .await;
    let at = format!("{page} at {width}px: {facts}");
    assert!(
        facts["scrollWidth"].as_f64() <= facts["innerWidth"].as_f64(),
        "the page scrolls sideways; {at}"
    );
    let viewport = facts["viewport"].as_str().unwrap_or_default();
    assert!(
        viewport.contains("width=device-width"),
        "no viewport meta, a phone would draw it 980 px wide; {at}"
    );
    assert!(
        facts["lang"].as_str().is_some_and(|l| !l.is_empty()),
        "<html> has no lang; {at}"
    );
    assert_eq!(
        facts["inline"], 0,
        "inline styles or scripts (the CSP blocks them); {at}"
    );
    assert_eq!(facts["main"], 1, "one main landmark; {at}");
    assert!(
        facts["skip"].is_string(),
        "no skip link to the main content; {at}"
    );
    assert!(
        facts["title"].as_str().is_some_and(|t| !t.is_empty()),
        "no <title>; {at}"
    );
    assert_eq!(
        facts["css"], true,
        "the stylesheet /console/static/console.css is not loaded; {at}"
    );
}
