//! The console's door, as a person meets it in the browser: no session lands on the login
//! form, a wrong password says so, a forged CSRF token is refused, the keyboard alone logs in,
//! and logging out ends the session for good.

use fantoccini::cookies::Cookie;
use fantoccini::key::Key;
use rosetta_testkit::Backend;

use crate::driver::Browser;
use crate::gateway::{Fixture, Serve};
use crate::shots;

/// The session cookie and the pre-session CSRF cookie (the contract's names).
pub const SESSION_COOKIE: &str = "rosetta_console";

/// Every console page without a session lands on the login form.
pub async fn refused_without_session(browser: &Browser, serve: &Serve, backend: Backend) {
    for path in ["/console", "/console/tenants", "/console/dialects/usr"] {
        browser.goto(&serve.url(path)).await;
        assert_eq!(browser.path().await, "/console/login", "{path}");
        browser.find("#login-form").await;
    }
    // The form as the contract names it: labelled fields, the hidden token, the button.
    for label in ["username", "password"] {
        let l = browser.find(&format!("label[for=\"{label}\"]")).await;
        assert!(!l.text().await.unwrap().trim().is_empty(), "{label} label");
    }
    let password = browser.find("#password").await;
    assert_eq!(
        password.attr("type").await.unwrap().as_deref(),
        Some("password")
    );
    browser
        .find("#login-form input[type=\"hidden\"][name=\"csrf_token\"]")
        .await;
    browser.find("#login").await;
    shots::page(browser, backend, "login").await;
}

/// Fills the login form by its fields' names and submits it with its button.
async fn submit_login(browser: &Browser, serve: &Serve, username: &str, password: &str) {
    browser.goto(&serve.url("/console/login")).await;
    browser
        .find("#username")
        .await
        .send_keys(username)
        .await
        .unwrap();
    browser
        .find("#password")
        .await
        .send_keys(password)
        .await
        .unwrap();
    browser.find("#login").await.click().await.unwrap();
}

/// A wrong password and an unknown name get the same alert, and no session.
pub async fn wrong_password_alerts(
    browser: &Browser,
    serve: &Serve,
    backend: Backend,
    f: &Fixture,
) {
    submit_login(browser, serve, f.operator, "not the password").await;
    let alert = browser.find("#login-error").await;
    assert_eq!(alert.attr("role").await.unwrap().as_deref(), Some("alert"));
    assert!(alert.is_displayed().await.unwrap());
    let wrong_password = alert.text().await.unwrap();
    assert!(!wrong_password.trim().is_empty());
    assert_eq!(browser.path().await, "/console/login");
    shots::page(browser, backend, "login-error").await;

    submit_login(browser, serve, "nobody-by-this-name", f.password).await;
    let unknown = browser.find("#login-error").await.text().await.unwrap();
    assert_eq!(
        unknown, wrong_password,
        "an unknown name must read as a wrong password"
    );
    browser.goto(&serve.url("/console")).await;
    assert_eq!(
        browser.path().await,
        "/console/login",
        "no session after a refusal"
    );
}

/// The right name and password with the form's CSRF field changed before submit: 403.
pub async fn forged_login_csrf_refused(
    browser: &Browser,
    serve: &Serve,
    backend: Backend,
    f: &Fixture,
) {
    browser.goto(&serve.url("/console/login")).await;
    browser
        .find("#username")
        .await
        .send_keys(f.operator)
        .await
        .unwrap();
    browser
        .find("#password")
        .await
        .send_keys(f.password)
        .await
        .unwrap();
    tamper(browser, "#login-form").await;
    browser.find("#login").await.click().await.unwrap();
    csrf_refused(browser).await;
    shots::page(browser, backend, "csrf-error").await;
    browser.goto(&serve.url("/console")).await;
    assert_eq!(
        browser.path().await,
        "/console/login",
        "a forged token gave a session"
    );
}

/// Changes the hidden `csrf_token` of `form` in the page, as a forged form would carry.
async fn tamper(browser: &Browser, form: &str) {
    let changed = browser
        .js(
            r#"
            const field = document.querySelector(arguments[0] + ' input[name="csrf_token"]');
            const before = field.value;
            field.value = before.length > 0
                ? (before[0] === 'A' ? 'B' : 'A') + before.slice(1)
                : 'forged';
            return [before, field.value];
            "#,
            vec![form.into()],
        )
        .await;
    assert_ne!(changed[0], changed[1]);
}

async fn csrf_refused(browser: &Browser) {
    let alert = browser.find("#csrf-error").await;
    assert_eq!(alert.attr("role").await.unwrap().as_deref(), Some("alert"));
    assert!(!alert.text().await.unwrap().trim().is_empty());
    let status = browser
        .js(
            "return performance.getEntriesByType('navigation')[0].responseStatus;",
            vec![],
        )
        .await;
    assert_eq!(status, 403, "the CSRF refusal's status");
}

/// The id of the focused element.
async fn focused(browser: &Browser) -> String {
    let el = browser.client.active_element().await.unwrap();
    el.attr("id").await.unwrap().unwrap_or_default()
}

/// Tab from the top of the page to the username field (at most 15 stops), type, Tab to the
/// password, type, Enter: the overview. Each field shows that it has the focus.
pub async fn log_in_with_keyboard(browser: &Browser, serve: &Serve, f: &Fixture) {
    browser.goto(&serve.url("/console/login")).await;
    browser.find("#login-form").await;
    let body = browser.find("body").await;
    body.send_keys(&Key::Tab).await.unwrap();
    let mut stops = vec![focused(browser).await];
    while stops.last().map(String::as_str) != Some("username") {
        assert!(stops.len() < 15, "Tab never reached #username: {stops:?}");
        let el = browser.client.active_element().await.unwrap();
        el.send_keys(&Key::Tab).await.unwrap();
        stops.push(focused(browser).await);
    }
    focus_visible(browser, "username").await;
    let el = browser.client.active_element().await.unwrap();
    el.send_keys(f.operator).await.unwrap();
    el.send_keys(&Key::Tab).await.unwrap();
    assert_eq!(focused(browser).await, "password", "Tab after the username");
    focus_visible(browser, "password").await;
    let el = browser.client.active_element().await.unwrap();
    el.send_keys(&(f.password.to_owned() + &Key::Enter))
        .await
        .unwrap();
    browser.find("#calls-chart").await;
    assert_eq!(browser.path().await, "/console");
}

/// The focused element draws an outline or a ring (WCAG 2.4.7).
async fn focus_visible(browser: &Browser, id: &str) {
    let style = browser
        .js(
            r#"
            const s = getComputedStyle(document.activeElement);
            return [s.outlineStyle, s.outlineWidth, s.boxShadow];
            "#,
            vec![],
        )
        .await;
    let outline = style[0] != "none" && style[1] != "0px";
    let ring = style[2] != "none";
    assert!(
        outline || ring,
        "#{id} has the focus but shows none: {style}"
    );
}

/// The session cookie the browser holds now.
pub async fn session_cookie(browser: &Browser) -> Cookie<'static> {
    let cookie = browser
        .client
        .get_named_cookie(SESSION_COOKIE)
        .await
        .unwrap_or_else(|e| panic!("no {SESSION_COOKIE} cookie: {e}"));
    assert_eq!(cookie.http_only(), Some(true), "{cookie}");
    assert_eq!(cookie.path(), Some("/console"), "{cookie}");
    assert_eq!(
        cookie.same_site().map(|s| s.to_string()).as_deref(),
        Some("Strict"),
        "{cookie}"
    );
    cookie
}

/// A forged token on the logout form is refused and the session lives on; the real logout
/// lands on the login form, and the old cookie, put back, opens nothing.
pub async fn logout_ends_the_session(browser: &Browser, serve: &Serve) {
    browser.goto(&serve.url("/console")).await;
    browser.find("#logout-form").await;
    tamper(browser, "#logout-form").await;
    submit(browser, "#logout-form").await;
    csrf_refused(browser).await;
    browser.goto(&serve.url("/console")).await;
    assert_eq!(
        browser.path().await,
        "/console",
        "a refused logout ended the session"
    );

    let old = session_cookie(browser).await;
    submit(browser, "#logout-form").await;
    browser.find("#login-form").await;
    assert_eq!(browser.path().await, "/console/login");
    browser.goto(&serve.url("/console")).await;
    assert_eq!(
        browser.path().await,
        "/console/login",
        "still in after logout"
    );

    // Put the old session back. chromedriver will not add a cookie for an IP host, and
    // the server cannot tell who set it, so the page sets it (it is no longer there as
    // HttpOnly, so it may).
    browser
        .js(
            "document.cookie = arguments[0] + '=' + arguments[1] + '; path=/console; SameSite=Strict';",
            vec![SESSION_COOKIE.into(), old.value().into()],
        )
        .await;
    browser.goto(&serve.url("/console")).await;
    assert_eq!(
        browser.path().await,
        "/console/login",
        "the session outlived its logout"
    );

    // And outside the browser: the old cookie is answered with the redirect, not a page.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = client
        .get(serve.url("/console"))
        .header("Cookie", format!("{SESSION_COOKIE}={}", old.value()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap();
    assert!(location.ends_with("/console/login"), "{location}");
}

/// Presses the submit button of `form` with the keyboard (focus, Enter).
async fn submit(browser: &Browser, form: &str) {
    let button = browser
        .find(&format!(
            "{form} button[type=\"submit\"], {form} button:not([type])"
        ))
        .await;
    browser
        .js(
            "arguments[0].focus();",
            vec![serde_json::to_value(&button).unwrap()],
        )
        .await;
    button.send_keys(&Key::Enter).await.unwrap();
}
