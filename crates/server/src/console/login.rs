//! Login and logout. The login form's CSRF token is a double-submit one (a pre-session cookie
//! matched to the form's field); logout's is the session's own.

use actix_web::cookie::{time::Duration as CookieAge, Cookie, SameSite};
use actix_web::http::{header, StatusCode};
use actix_web::web::{Data, Form, FormConfig};
use actix_web::{HttpRequest, HttpResponse};
use maud::{html, Markup};
use rosetta_core::{crypto, ConsoleSecret, Directory, OperatorLogin};
use serde::Deserialize;

use super::auth::{Operator, SESSION_COOKIE};
use super::{layout, ConsoleError, ConsoleState};

pub const CSRF_COOKIE: &str = "rosetta_console_csrf";

/// The most a console form may hold: two short fields and a token.
const FORM_LIMIT: usize = 16 * 1024;

/// Every field optional, so a form missing one reaches the CSRF check (403), not a 400.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
}

#[derive(Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf_token: String,
}

/// A body that is no form at all is answered as a bad CSRF token: nothing was submitted by
/// the console's own page.
pub fn form_config() -> FormConfig {
    FormConfig::default()
        .limit(FORM_LIMIT)
        .error_handler(|_, _| ConsoleError::Csrf.into())
}

fn cookie<'a>(state: &ConsoleState, name: &'a str, value: String) -> Cookie<'a> {
    Cookie::build(name, value)
        .path("/console")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.secure_cookies)
        .finish()
}

fn expired<'a>(state: &ConsoleState, name: &'a str) -> Cookie<'a> {
    let mut c = cookie(state, name, String::new());
    c.set_max_age(CookieAge::ZERO);
    c
}

enum Alert {
    Rejected,
    Locked,
}

fn login_page(csrf: &str, alert: Option<Alert>) -> Markup {
    layout::bare(
        "Log in",
        html! {
            @match alert {
                Some(Alert::Rejected) => p id="login-error" role="alert" { "Wrong username or password." },
                Some(Alert::Locked) => p id="login-error" role="alert" {
                    "Too many failed logins: this name is locked for a while. Try again later."
                },
                None => {},
            }
            form id="login-form" method="post" action="/console/login" {
                input type="hidden" name="csrf_token" value=(csrf);
                p {
                    label for="username" { "Username" }
                    input id="username" name="username" type="text" autocomplete="username" required;
                }
                p {
                    label for="password" { "Password" }
                    input id="password" name="password" type="password" autocomplete="current-password" required;
                }
                p { button id="login" type="submit" { "Log in" } }
            }
        },
    )
}

fn html_answer(
    status: StatusCode,
    state: &ConsoleState,
    csrf: &str,
    alert: Option<Alert>,
) -> HttpResponse {
    HttpResponse::build(status)
        .cookie(cookie(state, CSRF_COOKIE, csrf.to_owned()))
        .content_type("text/html; charset=utf-8")
        .body(login_page(csrf, alert).into_string())
}

/// `GET /console/login`: the form, with a fresh double-submit token.
pub async fn form(state: Data<ConsoleState>) -> HttpResponse {
    let csrf = crypto::random_token();
    html_answer(StatusCode::OK, &state, &csrf, None)
}

/// `POST /console/login`.
pub async fn submit(
    req: HttpRequest,
    form: Form<LoginForm>,
    dir: Data<Directory>,
    state: Data<ConsoleState>,
) -> Result<HttpResponse, ConsoleError> {
    let LoginForm {
        username,
        password,
        csrf_token,
    } = form.into_inner();
    let issued = req
        .cookie(CSRF_COOKIE)
        .map(|c| ConsoleSecret::new(c.value().to_owned()));
    match issued {
        Some(issued) if !csrf_token.is_empty() && issued.matches(&csrf_token) => {}
        _ => return Err(ConsoleError::Csrf),
    }
    let answer = match dir
        .operator_login(&username, &password, state.session_idle)
        .await?
    {
        OperatorLogin::Ok {
            operator,
            token,
            csrf: _,
        } => {
            tracing::info!(operator = %operator.id, "console login");
            HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/console"))
                .cookie(cookie(&state, SESSION_COOKIE, token.expose().to_owned()))
                .cookie(expired(&state, CSRF_COOKIE))
                .finish()
        }
        OperatorLogin::Rejected => html_answer(
            StatusCode::UNAUTHORIZED,
            &state,
            &csrf_token,
            Some(Alert::Rejected),
        ),
        OperatorLogin::Locked => {
            tracing::warn!("console login refused: the name is locked");
            html_answer(
                StatusCode::TOO_MANY_REQUESTS,
                &state,
                &csrf_token,
                Some(Alert::Locked),
            )
        }
    };
    Ok(answer)
}

/// `POST /console/logout`: ends the session (its row deleted) and clears the cookie.
pub async fn logout(
    operator: Operator,
    form: Form<LogoutForm>,
    dir: Data<Directory>,
    state: Data<ConsoleState>,
) -> Result<HttpResponse, ConsoleError> {
    if form.csrf_token.is_empty() || !operator.csrf.matches(&form.csrf_token) {
        return Err(ConsoleError::Csrf);
    }
    dir.end_operator_session(operator.token.expose()).await?;
    tracing::info!(operator = %operator.operator.id, "console logout");
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/console/login"))
        .cookie(expired(&state, SESSION_COOKIE))
        .finish())
}
