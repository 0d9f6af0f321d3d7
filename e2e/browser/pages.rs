//! The console's pages, logged in, against what the set-up did: the chart draws one series
//! per mounted dialect, the share counts the calls made, the dialect page lists the known
//! caller with its label, the tenants page lists the tenant.

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
    assert!(
        !title.text().await.unwrap().trim().is_empty(),
        "chart title"
    );
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
    // Each series has its legend entry: its name is written somewhere on the page outside
    // the series' own shapes (in the SVG or beside it).
    let legend = browser
        .js(
            r#"
            const page = document.querySelector('main').cloneNode(true);
            page.querySelectorAll('g.series, #calls-table').forEach(n => n.remove());
            return page.textContent;
            "#,
            vec![],
        )
        .await;
    for d in mounted() {
        assert!(
            legend.as_str().unwrap().contains(d),
            "no legend entry for {d}"
        );
    }
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
            let cells = row.text().await.unwrap();
            assert!(cells.contains(f.label), "the caller's label: {cells}");
            assert!(cells.contains('3'), "its 3 calls: {cells}");
            assert!(cells.contains("/usr/new"), "its route: {cells}");
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
    assert!(text.contains('3'), "three active users: {text}");
    let page = browser.find("main").await.text().await.unwrap();
    for name in [f.label, "okta-provisioning"] {
        assert!(page.contains(name), "credential {name}: {page}");
    }
    shots::page(browser, backend, "tenants").await;
}
