//! The operator console's door (migration.md "Operator console"), through real HTTP on both
//! backends: no page without a session, login with its lockout, CSRF on every form, logout,
//! the cookies' attributes, and no-store with a restrictive CSP on every answer.

use rosetta_core::Password;
use rosetta_e2e::TestGateway;
use rosetta_testkit::{backend_tests, Backend};

use crate::console_support::Browser;
use crate::process::{json, rosetta};

pub(crate) async fn operator(app: &TestGateway, username: &str, password: &str) {
    app.directory
        .create_operator(username, Password::parse(password.into(), 1).unwrap())
        .await
        .unwrap();
}

const PAGES: &[&str] = &[
    "/console",
    "/console/tenants",
    "/console/dialects/usr",
    "/console/dialects/scim",
    "/console/dialects/nope",
    "/console/nope",
];

async fn every_page_needs_a_session(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let mut b = Browser::new(app.addr);
    for path in PAGES {
        b.get(path).await.assert_login_redirect(path);
    }
    let logout = b.post("/console/logout", &[("csrf_token", "x")]).await;
    logout.assert_login_redirect("logout without a session");
    // A cookie naming no session is no session.
    b.cookies
        .insert("rosetta_console".into(), "made-up-token".into());
    for path in PAGES {
        b.get(path).await.assert_login_redirect(path);
    }
    // The form and the stylesheet need none, and are guarded too.
    let form = b.get("/console/login").await;
    assert_eq!(form.status, 200);
    form.assert_guarded("login form");
    let css = b.get("/console/static/console.css").await;
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    css.assert_guarded("css");
}

async fn login_good_bad_and_unknown(backend: Backend) {
    let app = TestGateway::start(backend).await;
    operator(&app, "Ada", "correct-horse").await;
    let mut b = Browser::new(app.addr);
    let pw = b.secret("correct-horse");

    let form = b.get("/console/login").await;
    let pre = form.set_cookie("rosetta_console_csrf").unwrap();
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/console"] {
        assert!(pre.contains(attr), "{pre}");
    }
    assert!(!pre.contains("Secure"), "{pre}");
    assert!(form
        .text
        .contains(r#"<form id="login-form" method="post" action="/console/login">"#));
    for needle in [
        r#"<label for="username">"#,
        r#"<input id="username" name="username""#,
        r#"<label for="password">"#,
        r#"<input id="password" name="password" type="password""#,
        r#"<input type="hidden" name="csrf_token""#,
        r#"<button id="login" type="submit">"#,
    ] {
        assert!(form.text.contains(needle), "{needle}: {}", form.text);
    }

    let wrong = b.login("ada", "wrong-password").await;
    assert_eq!(wrong.status, 401, "{}", wrong.text);
    wrong.assert_guarded("wrong password");
    let unknown = b.login("nobody", "wrong-password").await;
    assert_eq!(unknown.status, 401);
    let alert = |t: &str| {
        let start = t
            .find(r#"<p id="login-error" role="alert">"#)
            .expect("alert");
        t[start..].split("</p>").next().unwrap().to_owned()
    };
    assert_eq!(
        alert(&wrong.text),
        alert(&unknown.text),
        "one answer for both"
    );
    assert!(!b.cookies.contains_key("rosetta_console"));

    // The name in any letter case.
    let good = b.login("ADA", &pw).await;
    assert_eq!(good.status, 303, "{}", good.text);
    assert_eq!(good.header("location"), Some("/console"));
    good.assert_guarded("good login");
    let session = good.set_cookie("rosetta_console").unwrap();
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/console"] {
        assert!(session.contains(attr), "{session}");
    }
    assert!(!session.contains("Secure"), "{session}");
    assert!(
        !session.contains("Max-Age"),
        "a browser-session cookie: {session}"
    );
    for path in ["/console", "/console/tenants", "/console/dialects/usr"] {
        let p = b.page(path).await;
        assert!(p.text.contains(r#"<nav aria-label="Console">"#), "{path}");
        assert!(p
            .text
            .contains(r#"<form id="logout-form" method="post" action="/console/logout">"#));
        assert!(p.text.contains("Ada"));
    }
    let missing = b.get("/console/dialects/nope").await;
    assert_eq!(missing.status, 404);
    missing.assert_guarded("unknown dialect");
    let other = b.get("/console/nope").await;
    assert_eq!(other.status, 404);
    other.assert_guarded("unknown page");
}

async fn five_failures_lock_the_name(backend: Backend) {
    let app = TestGateway::start(backend).await;
    operator(&app, "ada", "correct-horse").await;
    let mut b = Browser::new(app.addr);
    for i in 1..=4 {
        assert_eq!(b.login("ada", "nope").await.status, 401, "attempt {i}");
    }
    // The failure that reaches the threshold locks, as tenant logins do.
    let fifth = b.login("ada", "nope").await;
    assert_eq!(fifth.status, 429, "{}", fifth.text);
    assert!(fifth
        .text
        .contains(r#"<p id="login-error" role="alert">Too many failed logins"#));
    assert!(fifth.text.contains(r#"id="login-form""#), "the form again");
    fifth.assert_guarded("locked");
    let right = b.login("ada", "correct-horse").await;
    assert_eq!(right.status, 429, "locked even with the right password");
    assert!(!b.cookies.contains_key("rosetta_console"));
    // An unknown name is locked the same way, and another name is not affected.
    for _ in 1..=4 {
        assert_eq!(b.login("ghost", "nope").await.status, 401);
    }
    assert_eq!(b.login("ghost", "nope").await.status, 429);
    operator(&app, "bob", "bob-password").await;
    assert_eq!(b.login("bob", "bob-password").await.status, 303);
}

async fn csrf_is_checked_on_login_and_logout(backend: Backend) {
    let app = TestGateway::start(backend).await;
    operator(&app, "ada", "correct-horse").await;
    let mut b = Browser::new(app.addr);
    let form = b.get("/console/login").await;
    let csrf = form.field("csrf_token");
    let creds = [("username", "ada"), ("password", "correct-horse")];

    let missing = b.post("/console/login", &creds).await;
    assert_eq!(missing.status, 403, "{}", missing.text);
    assert!(missing.text.contains(r#"<p id="csrf-error" role="alert">"#));
    missing.assert_guarded("missing csrf");
    let bad = b
        .post(
            "/console/login",
            &[creds[0], creds[1], ("csrf_token", "forged")],
        )
        .await;
    assert_eq!(bad.status, 403);
    assert!(bad.text.contains(r#"id="csrf-error""#));
    // The right field without its cookie (another site's form cannot send it).
    let jar = b.cookies.clone();
    b.cookies.clear();
    let no_cookie = b
        .post(
            "/console/login",
            &[creds[0], creds[1], ("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(no_cookie.status, 403);
    b.cookies = jar;
    let not_a_form = b.post("/console/login", &[]).await;
    assert_eq!(not_a_form.status, 403);
    assert!(!b.cookies.contains_key("rosetta_console"));

    let ok = b
        .post(
            "/console/login",
            &[creds[0], creds[1], ("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.text);
    let token = b.cookies["rosetta_console"].clone();
    let overview = b.page("/console").await;
    let session_csrf = overview.field("csrf_token");
    assert_ne!(session_csrf, csrf, "the session has a token of its own");

    for forged in ["", "forged", csrf.as_str()] {
        let r = b.post("/console/logout", &[("csrf_token", forged)]).await;
        assert_eq!(r.status, 403, "logout with {forged:?}");
        assert!(r.text.contains(r#"id="csrf-error""#));
        r.assert_guarded("logout bad csrf");
    }
    b.page("/console").await; // still logged in

    let out = b
        .post("/console/logout", &[("csrf_token", &session_csrf)])
        .await;
    assert_eq!(out.status, 303);
    assert_eq!(out.header("location"), Some("/console/login"));
    out.assert_guarded("logout");
    let cleared = out.set_cookie("rosetta_console").unwrap();
    assert!(
        cleared.contains("Max-Age=0") && cleared.contains("Path=/console"),
        "{cleared}"
    );
    // The old cookie names no session any more: the row is gone.
    assert!(app
        .directory
        .operator_session(&token, std::time::Duration::from_secs(60))
        .await
        .unwrap()
        .is_none());
    b.cookies.insert("rosetta_console".into(), token);
    b.get("/console").await.assert_login_redirect("old cookie");
}

async fn secure_cookies_when_configured(backend: Backend) {
    let app = TestGateway::start_with(backend, |c| c.console.secure_cookies = true).await;
    operator(&app, "ada", "correct-horse").await;
    let mut b = Browser::new(app.addr);
    let form = b.get("/console/login").await;
    assert!(form
        .set_cookie("rosetta_console_csrf")
        .unwrap()
        .contains("Secure"));
    let ok = b.login("ada", "correct-horse").await;
    assert_eq!(ok.status, 303);
    assert!(ok
        .set_cookie("rosetta_console")
        .unwrap()
        .contains("; Secure"));
}

async fn console_can_be_switched_off(backend: Backend) {
    let app = TestGateway::start_with(backend, |c| c.console.enabled = false).await;
    let mut b = Browser::new(app.addr);
    let r = b.get("/console/login").await;
    assert_eq!(r.status, 404, "{}", r.text);
}

async fn console_on_a_listener_of_its_own(backend: Backend) {
    let app = TestGateway::start_with(backend, |c| {
        c.console.listen = Some("127.0.0.1:0".into());
    })
    .await;
    operator(&app, "ada", "correct-horse").await;
    let own = app.gateway().addrs["console"];
    assert_ne!(own, app.addr);
    let mut b = Browser::new(own);
    assert_eq!(b.login("ada", "correct-horse").await.status, 303);
    b.page("/console").await;
    let mut main = Browser::new(app.addr);
    assert_eq!(
        main.get("/console/login").await.status,
        404,
        "not on the main listener"
    );
}

/// `rosetta operator create` as an operator runs it: JSON or a line, a taken name (any case)
/// refused in one line, and the operator it made can log in.
async fn operator_create_through_the_binary(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let (dir, url) = (app.database.dir(), app.config.database.url.clone());
    let v = json(&rosetta(
        dir,
        &url,
        &[
            "operator",
            "create",
            "--username",
            "Ada",
            "--password",
            "pw-of-ada",
            "--json",
        ],
    ));
    assert_eq!(v["username"], "Ada");
    assert!(v["operator_id"].as_i64().unwrap() > 0);
    let text = rosetta(
        dir,
        &url,
        &[
            "operator",
            "create",
            "--username",
            "grace",
            "--password",
            "pw-of-grace",
        ],
    );
    assert!(text.status.success(), "{text:?}");
    assert!(String::from_utf8_lossy(&text.stdout).starts_with("operator grace created"));
    for (args, says) in [
        (
            ["--username", "ADA", "--password", "other"],
            "already exists",
        ),
        (["--username", " ", "--password", "other"], "invalid"),
        (["--username", "x", "--password", ""], "invalid"),
    ] {
        let mut all = vec!["operator", "create"];
        all.extend(args);
        let out = rosetta(dir, &url, &all);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!err.contains("pw-of"), "{err}");
    }
    let mut b = Browser::new(app.addr);
    assert_eq!(b.login("ada", "pw-of-ada").await.status, 303);
    // Operators are no tenant's users.
    let users = app
        .directory
        .tenant_overview()
        .await
        .unwrap()
        .iter()
        .map(|t| t.users.active + t.users.pending + t.users.inactive)
        .sum::<i64>();
    assert_eq!(users, 0);
}

backend_tests!(
    every_page_needs_a_session,
    login_good_bad_and_unknown,
    five_failures_lock_the_name,
    csrf_is_checked_on_login_and_logout,
    secure_cookies_when_configured,
    console_can_be_switched_off,
    console_on_a_listener_of_its_own,
    operator_create_through_the_binary,
);
