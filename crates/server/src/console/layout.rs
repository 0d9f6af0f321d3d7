//! The page shell: landmarks, skip link, the console's navigation and the logout form.

use maud::{html, Markup, DOCTYPE};

use super::auth::Operator;
use super::ConsoleState;

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · Rosetta console" }
            link rel="stylesheet" href="/console/static/console.css";
        }
    }
}

/// A page for an operator with a session: header, navigation, logout, main content.
pub fn page(
    state: &ConsoleState,
    operator: &Operator,
    current: &str,
    title: &str,
    body: Markup,
) -> Markup {
    let link = |href: &str, text: &str| {
        html! {
            @if href == current {
                a href=(href) aria-current="page" { (text) }
            } @else {
                a href=(href) { (text) }
            }
        }
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                a class="skip-link" href="#main" { "Skip to content" }
                header class="site" {
                    p class="brand" { "Rosetta console" }
                    nav aria-label="Console" {
                        ul {
                            li { (link("/console", "Overview")) }
                            li { (link("/console/tenants", "Tenants")) }
                            @for m in &state.mounts {
                                li { (link(&format!("/console/dialects/{}", m.dialect.name), m.dialect.name)) }
                            }
                        }
                    }
                    form id="logout-form" method="post" action="/console/logout" {
                        input type="hidden" name="csrf_token" value=(operator.csrf.expose());
                        span class="who" { "Signed in as " strong { (operator.operator.username) } }
                        button id="logout" type="submit" { "Log out" }
                    }
                }
                main id="main" tabindex="-1" {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// A page without navigation (login, errors): no session is assumed.
pub fn bare(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                a class="skip-link" href="#main" { "Skip to content" }
                header class="site" {
                    p class="brand" { "Rosetta console" }
                }
                main id="main" tabindex="-1" {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}
