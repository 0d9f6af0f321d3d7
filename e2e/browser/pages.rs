//! The console's pages, logged in, against what the set-up did: the chart draws one series
//! per mounted dialect, the share counts the calls made, the dialect page lists the known
//! caller with its label, the tenants page lists the tenant.

use fantoccini::elements::Element;
use fantoccini::Locator;
use rosetta_testkit::Backend;
use serde_json::Value;

use crate::driver::Browser;
use crate::gateway::{mounted, Fixture, Serve, UNMOUNTED};
use crate::shots;

/// The status the page shown now was answered with.
async fn status(browser: &Browser) -> Value {
    browser
        .js(
            "return performance.getEntriesByType('navigation')[0].responseStatus;",
            vec![],
        )
        .await
}

/// The trimmed text of each cell of `row`.
async fn cells(row: &Element) -> Vec<String> {
    let mut out = Vec::new();
    for c in row.find_all(Locator::Css("td, th")).await.unwrap() {
        out.push(c.text().await.unwrap().trim().to_owned());
    }
    out
}

/// Every page links the others in its nav and holds the logout form.
async fn has_nav(browser: &Browser) {
    let links = browser
        .js(
            r#"
            const nav = document.querySelector('nav[aria-label="Console"]');
            return nav ? [...nav.querySelectorAll('a')].map(a => a.getAttribute('href')) : null;
            "#,
            vec![],
        )
        .await;
    let links: Vec<&str> = links
        .as_array()
        .unwrap_or_else(|| panic!("no <nav aria-label=\"Console\">"))
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let mut wanted = vec!["/console".to_owned(), "/console/tenants".to_owned()];
    wanted.extend(mounted().iter().map(|d| format!("/console/dialects/{d}")));
    for w in &wanted {
        assert!(links.contains(&w.as_str()), "the nav has no {w}: {links:?}");
    }
    browser.find("#logout-form").await;
}

/// The overview: the chart's series are the mounted dialects in order, each in the legend;
/// the share is 3 usr calls against 2 scim calls.
pub async fn overview(browser: &Browser, serve: &Serve, backend: Backend) {
    browser.goto(&serve.url("/console")).await;
    let chart = browser.find("svg#calls-chart").await;
    assert_eq!(chart.attr("role").await.unwrap().as_deref(), Some("img"));
    let title_id = chart.attr("aria-labelledby").await.unwrap().unwrap();
    let title = browser.find(&format!("#{title_id}")).await;
    // An SVG <title> is not drawn, so WebDriver's text is empty: its textContent is what a
    // screen reader reads.
    let title = title.prop("textContent").await.unwrap().unwrap_or_default();
    assert!(!title.trim().is_empty(), "chart title");
    has_nav(browser).await;

    let mut series = Vec::new();
    for g in browser.find_all("#calls-chart g.series").await {
        series.push(g.attr("data-dialect").await.unwrap().unwrap_or_default());
    }
    assert_eq!(
        series,
        mounted(),
        "one series per mounted dialect, in order"
    );
    assert!(!series.iter().any(|s| s == UNMOUNTED));
    // Each series has its legend entry, in the same order.
    let mut legend = Vec::new();
    for li in browser.find_all("ul.legend li[data-dialect]").await {
        legend.push(li.attr("data-dialect").await.unwrap().unwrap_or_default());
    }
    legend.dedup();
    assert_eq!(legend, mounted(), "one legend entry per series");
    browser.find("table#calls-table").await;

    let share = browser.find("section#share").await;
    assert_eq!(
        share.attr("data-legacy-calls").await.unwrap().as_deref(),
        Some("3")
    );
    assert_eq!(
        share.attr("data-scim-calls").await.unwrap().as_deref(),
        Some("2")
    );
    let text = share.text().await.unwrap();
    assert!(text.contains("60% legacy / 40% scim"), "{text}");
    shots::page(browser, backend, "overview").await;
}

/// A page per mounted dialect; usr's lists its deprecation, its brownout and the caller.
pub async fn dialects(browser: &Browser, serve: &Serve, backend: Backend, f: &Fixture) {
    for d in mounted() {
        browser
            .goto(&serve.url(&format!("/console/dialects/{d}")))
            .await;
        assert_eq!(status(browser).await, 200, "{d}");
        let h1 = browser.find("h1").await.text().await.unwrap();
        assert!(h1.contains(d), "{d}: <h1> {h1}");
        has_nav(browser).await;
        let deprecation = browser.find("dl#deprecation").await.text().await.unwrap();
        let next = browser.find("p#next-brownout").await.text().await.unwrap();
        browser.find("table#callers").await;
        if d == "usr" {
            assert!(deprecation.contains("2026-06-01"), "{deprecation}");
            assert!(deprecation.contains("2031-06-01"), "{deprecation}");
            assert!(
                deprecation.contains("https://example.com/migrate-usr"),
                "{deprecation}"
            );
            assert!(next.contains("2031-03-01"), "{next}");
            let row = browser
                .find(&format!("#callers tr[data-caller=\"{}\"]", f.caller))
                .await;
            let cells = cells(&row).await;
            assert!(
                cells.iter().any(|c| c == f.label),
                "the caller's label: {cells:?}"
            );
            assert!(cells.iter().any(|c| c == "3"), "its 3 calls: {cells:?}");
            assert!(
                cells.iter().any(|c| c.contains("/usr/new")),
                "its route: {cells:?}"
            );
        } else if d == "kashflow" {
            assert!(deprecation.contains("not deprecated"), "{deprecation}");
            assert!(next.contains("none scheduled"), "{next}");
        }
        shots::page(browser, backend, &format!("dialect-{d}")).await;
    }
    browser
        .goto(&serve.url("/console/dialects/no-such-dialect"))
        .await;
    assert_eq!(status(browser).await, 404);
    shots::page(browser, backend, "not-found").await;
}

/// The tenants page lists the tenant with its three active users and its two credentials.
pub async fn tenants(browser: &Browser, serve: &Serve, backend: Backend, f: &Fixture) {
    browser.goto(&serve.url("/console/tenants")).await;
    has_nav(browser).await;
    let row = browser
        .find(&format!("table#tenants tr[data-tenant=\"{}\"]", f.tenant))
        .await;
    let text = row.text().await.unwrap();
    assert!(text.contains(f.tenant_name), "{text}");
    let active = row
        .find(Locator::Css("td[data-status=\"active\"]"))
        .await
        .unwrap();
    assert_eq!(
        active.text().await.unwrap().trim(),
        "3",
        "three active users: {text}"
    );
    let mut credentials = Vec::new();
    for li in row
        .find_all(Locator::Css("li[data-credential]"))
        .await
        .unwrap()
    {
        credentials.push(li.text().await.unwrap());
    }
    assert_eq!(credentials.len(), 2, "{credentials:?}");
    for name in [f.label, "okta-provisioning"] {
        let c = credentials.iter().find(|c| c.contains(name));
        let c = c.unwrap_or_else(|| panic!("credential {name}: {credentials:?}"));
        // Both were used by the calls above.
        assert!(c.contains("last used"), "{c}");
    }
    shots::page(browser, backend, "tenants").await;
}
