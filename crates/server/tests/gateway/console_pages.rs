//! The console's pages over real data on both backends: the chart's daily numbers from real
//! dialect calls (flushed to the usage table), the callers table with labels, the tenants'
//! counts, the console itself neither counted nor deprecated, and each page pinned by an HTML
//! snapshot under a fixed clock.

use chrono::{DateTime, Utc};
use reqwest::Method;
use rosetta_core::{day_of, NewUser, Status, UsageCount, UsageQuery};
use rosetta_dialect::Clock;
use rosetta_e2e::TestGateway;
use rosetta_server::Config;
use rosetta_testkit::callers::admin_clients;
use rosetta_testkit::{backend_tests, Backend, Fixtures};

use crate::console::operator;
use crate::console_support::{Browser, Page};

const USR_DEPRECATED: &str = "[dialects.usr.deprecation]\n\
    deprecated_at = \"2026-06-01T00:00:00Z\"\nsunset = \"2027-06-01T00:00:00Z\"\n\
    link = \"https://example.com/migrate\"\nbrownouts = [\"2026-12-10T10:00:00Z/PT2H\"]\n";

fn deprecating_usr(c: &mut Config) {
    c.dialects = Config::from_sources(Some(USR_DEPRECATED), Vec::new())
        .unwrap()
        .dialects;
}

/// The text from `start` to the first `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let i = text
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in {text}"));
    let rest = &text[i..];
    let after = rest[start.len()..]
        .find(end)
        .map_or(rest.len(), |j| start.len() + j + end.len());
    &rest[..after]
}

fn day_calls(page: &Page, dialect: &str, day: &str) -> i64 {
    let series = between(
        &page.text,
        &format!(r#"<g class="series" data-dialect="{dialect}">"#),
        "</g>",
    );
    let circle = between(series, &format!(r#"data-day="{day}" data-calls=""#), "\">");
    circle
        .trim_end_matches("\">")
        .rsplit('"')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

fn attr(text: &str, name: &str) -> i64 {
    between(text, &format!("{name}=\""), "\"")
        .trim_start_matches(&format!("{name}=\""))
        .trim_end_matches('"')
        .parse()
        .unwrap()
}

async fn chart_and_callers_from_real_calls(backend: Backend) {
    let mut app = TestGateway::start_with(backend, deprecating_usr).await;
    let (tenant, c) = admin_clients(&app, &app.client, "Acme", "root", "root@acme.test").await;
    for _ in 0..3 {
        let r = c.usr.send(Method::GET, "/usr/999999", None).await;
        assert_eq!(r.status, 404);
        assert!(r.header("deprecation").is_some(), "usr is deprecated");
    }
    for _ in 0..2 {
        assert_eq!(c.v2.by_email("root@acme.test").await.status, 200);
    }
    operator(&app, "ada", "correct-horse").await;
    let mut first = Browser::new(app.addr);
    assert_eq!(first.login("ada", "correct-horse").await.status, 303);
    for path in ["/console", "/console/dialects/usr", "/console/tenants"] {
        let p = first.page(path).await;
        assert!(
            p.header("deprecation").is_none(),
            "{path}: the console is no dialect"
        );
        assert!(p.header("sunset").is_none(), "{path}");
    }
    app.stop().await; // flushes the usage counted so far

    let counted = app
        .directory
        .usage()
        .by_route(UsageQuery::default())
        .await
        .unwrap();
    assert!(
        counted.iter().all(|r| !r.route.starts_with("/console")),
        "the console is not counted: {counted:?}"
    );

    // A second gateway on the same database reads what the first counted.
    let second = rosetta_server::start(&app.config).await.unwrap();
    let mut b = Browser::new(second.main_addr().unwrap());
    assert_eq!(b.login("ada", "correct-horse").await.status, 303);
    let overview = b.page("/console").await;
    let today = Utc::now().format("%Y-%m-%d").to_string();
    let yesterday = (Utc::now() - chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    assert!(overview
        .text
        .contains(r#"<svg id="calls-chart" role="img" aria-labelledby="calls-chart-title""#));
    let order: Vec<&str> = overview
        .text
        .match_indices(r#"<g class="series" data-dialect=""#)
        .map(|(i, m)| {
            let rest = &overview.text[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert_eq!(
        order,
        ["kashflow", "usr", "keaz", "v2", "scim"],
        "DIALECTS order"
    );
    assert_eq!(day_calls(&overview, "usr", &today), 3);
    assert_eq!(day_calls(&overview, "v2", &today), 2);
    assert_eq!(day_calls(&overview, "scim", &today), 0);
    assert_eq!(day_calls(&overview, "usr", &yesterday), 0);
    let kashflow = day_calls(&overview, "kashflow", &today);
    assert!(kashflow >= 2, "the two steps of the kashflow login");
    let keaz = day_calls(&overview, "keaz", &today);
    // The table holds the same numbers.
    let row = between(
        &overview.text,
        &format!(r#"<tr data-day="{today}">"#),
        "</tr>",
    );
    assert!(row.contains(r#"<td data-dialect="usr">3</td>"#), "{row}");
    assert!(row.contains(r#"<td data-dialect="v2">2</td>"#), "{row}");
    assert!(row.contains(&format!(r#"<td data-dialect="kashflow">{kashflow}</td>"#)));
    let share = between(&overview.text, r#"<section id="share""#, ">");
    let legacy = 3 + 2 + kashflow + keaz;
    assert_eq!(attr(share, "data-legacy-calls"), legacy);
    assert_eq!(attr(share, "data-scim-calls"), 0);
    assert!(overview.text.contains("100% legacy / 0% scim"));
    for d in ["kashflow", "usr", "keaz", "v2", "scim"] {
        assert!(
            overview
                .text
                .contains(&format!(r#"<li data-dialect="{d}">"#)),
            "legend {d}"
        );
    }

    let usr = b.page("/console/dialects/usr").await;
    let credential = app.directory.credentials_of(tenant).await.unwrap()[0].id;
    let caller = between(
        &usr.text,
        &format!(r#"<tr data-caller="credential:{credential}">"#),
        "</tr>",
    );
    assert!(
        caller.contains(&format!("<td>{}</td>", tenant.0)),
        "{caller}"
    );
    assert!(
        caller.contains("<td>test</td>"),
        "the credential's name: {caller}"
    );
    assert!(caller.contains(r#"<td class="num">3</td>"#), "{caller}");
    assert!(caller.contains("/usr/{userId}"), "{caller}");
    let dl = between(&usr.text, r#"<dl id="deprecation">"#, "</dl>");
    assert!(
        dl.contains("2026-06-01 00:00 UTC") && dl.contains("2027-06-01 00:00 UTC"),
        "{dl}"
    );
    assert!(dl.contains("https://example.com/migrate"), "{dl}");
    let next = between(&usr.text, r#"<p id="next-brownout">"#, "</p>");
    assert!(next.contains("2026-12-10 10:00 UTC"), "{next}");
    let kf = b.page("/console/dialects/kashflow").await;
    let kf_caller = between(&kf.text, r#"<tr data-caller="user:"#, "</tr>");
    assert!(
        kf_caller.contains("<td>root</td>"),
        "the username: {kf_caller}"
    );
    assert!(kf.text.contains("not deprecated"));
    assert!(kf.text.contains("none scheduled"));
    second.stop().await;
}

async fn tenants_page_counts(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let (acme, _) = app.tenant("Acme").await;
    let (beta, _) = app.tenant("Beta & Co").await;
    app.user(acme, "one", "one@acme.test", "pw-one-1").await;
    app.user(acme, "two", "two@acme.test", "pw-two-2").await;
    let status = |s: Status| move |n: &mut NewUser| n.status = s;
    app.user_with(
        acme,
        "three",
        "three@acme.test",
        "pw-3-33",
        status(Status::Pending),
    )
    .await;
    app.user_with(
        acme,
        "four",
        "four@acme.test",
        "pw-4-44",
        status(Status::Inactive),
    )
    .await;
    app.user_with(
        beta,
        "five",
        "five@beta.test",
        "pw-5-55",
        status(Status::Pending),
    )
    .await;
    let token = app.credential(acme, "usr").await;
    operator(&app, "ada", "correct-horse").await;
    let mut b = Browser::new(app.addr);
    b.secret(&token);
    assert_eq!(b.login("ada", "correct-horse").await.status, 303);
    let page = b.page("/console/tenants").await;
    let row =
        |id: i64| between(&page.text, &format!(r#"<tr data-tenant="{id}">"#), "</tr>").to_owned();
    let a = row(acme.0);
    assert!(a.contains("Acme"), "{a}");
    assert!(a.contains(r#"data-status="active">2<"#), "{a}");
    assert!(a.contains(r#"data-status="pending">1<"#), "{a}");
    assert!(a.contains(r#"data-status="disabled">1<"#), "{a}");
    assert!(a.contains("credential:") && a.contains("never used"), "{a}");
    let bt = row(beta.0);
    assert!(bt.contains("Beta &amp; Co"), "escaped: {bt}");
    assert!(bt.contains(r#"data-status="active">0<"#), "{bt}");
    assert!(bt.contains(r#"data-status="pending">1<"#), "{bt}");
    assert!(bt.contains("none"), "no credential: {bt}");
}

fn fixed(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// One line per tag, the per-request tokens replaced, so a snapshot reads and stays put.
fn stable(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    let marker = r#"name="csrf_token" value=""#;
    while let Some(i) = rest.find(marker) {
        out.push_str(&rest[..i + marker.len()]);
        out.push_str("[csrf]");
        rest = &rest[i + marker.len()..];
        rest = &rest[rest.find('"').unwrap()..];
    }
    out.push_str(rest);
    out.replace("><", ">\n<")
}

async fn pages_pinned_by_snapshots(backend: Backend) {
    let now = fixed("2026-12-02T12:00:00Z");
    let app = TestGateway::start_with(backend, move |c| {
        deprecating_usr(c);
        c.clock = Clock::from_fn(move || now);
    })
    .await;
    let (acme, _) = app.tenant("Acme").await;
    app.user(acme, "one", "one@acme.test", "pw-one-1").await;
    app.credential(acme, "usr").await;
    let credential = app.directory.credentials_of(acme).await.unwrap()[0].id;
    let bucket = |day: &str, dialect: &str, caller: &str, route: &str, calls: i64| {
        let at = fixed(day);
        UsageCount {
            day: day_of(at),
            tenant: Some(acme),
            dialect: dialect.into(),
            caller: caller.into(),
            route: route.into(),
            status_class: "2xx".into(),
            calls,
            first_seen: at,
            last_seen: at + chrono::Duration::minutes(30),
        }
    };
    let cred = format!("credential:{credential}");
    app.directory
        .usage()
        .record(vec![
            bucket("2026-12-01T09:00:00Z", "usr", &cred, "/usr/{userId}", 4),
            bucket("2026-12-02T08:00:00Z", "usr", &cred, "/usr/{userId}", 2),
            bucket(
                "2026-11-20T10:00:00Z",
                "scim",
                "credential:99",
                "/scim/v2/Users",
                6,
            ),
            // Outside the 30 days: on no page.
            bucket("2026-10-01T10:00:00Z", "usr", &cred, "/usr/{userId}", 50),
        ])
        .await
        .unwrap();
    operator(&app, "ada", "correct-horse").await;
    let mut b = Browser::new(app.addr);
    let login = b.get("/console/login").await;
    insta::assert_snapshot!("console_login", stable(&login.text));
    assert_eq!(b.login("ada", "correct-horse").await.status, 303);
    let overview = b.page("/console").await;
    insta::assert_snapshot!("console_overview", stable(&overview.text));
    assert_eq!(day_calls(&overview, "usr", "2026-12-01"), 4);
    assert_eq!(day_calls(&overview, "scim", "2026-11-20"), 6);
    assert!(overview.text.contains("50% legacy / 50% scim"));
    let usr = b.page("/console/dialects/usr").await;
    insta::assert_snapshot!("console_dialect_usr", stable(&usr.text));
    let scim = b.page("/console/dialects/scim").await;
    insta::assert_snapshot!("console_dialect_scim", stable(&scim.text));
    let tenants = b.page("/console/tenants").await;
    insta::assert_snapshot!("console_tenants", stable(&tenants.text));
}

backend_tests!(
    chart_and_callers_from_real_calls,
    tenants_page_counts,
    pages_pinned_by_snapshots,
);
