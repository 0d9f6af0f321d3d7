//! The pages an operator reads: the overview, one page per dialect, the tenants.

use actix_web::web::{Data, Path};
use actix_web::HttpResponse;
use maud::{html, Markup};
use rosetta_core::{day_of, Directory, UsageQuery};
use rosetta_dialect::deprecation::{AfterSunset, Policy};

use super::auth::Operator;
use super::chart::{self, Series};
use super::{layout, time, ConsoleError, ConsoleState};
use crate::labels::Labels;

/// Days on the overview's chart, today included.
const CHART_DAYS: i64 = 30;
/// How far back a dialect page's callers go (`rosetta usage callers --since 30d`).
const CALLERS_WINDOW_DAYS: i64 = 30;

fn html_page(markup: Markup) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

/// `GET /console`: calls per dialect per day, and the share of legacy calls against scim.
pub async fn overview(
    operator: Operator,
    dir: Data<Directory>,
    state: Data<ConsoleState>,
) -> Result<HttpResponse, ConsoleError> {
    let today = day_of(state.clock.now());
    let first = today - chrono::Duration::days(CHART_DAYS - 1);
    let days: Vec<_> = (0..CHART_DAYS)
        .map(|i| first + chrono::Duration::days(i))
        .collect();
    let daily = dir
        .usage()
        .per_day(UsageQuery {
            since: Some(first),
            dialect: None,
            tenant: None,
        })
        .await?;
    let series: Vec<Series<'_>> = state
        .mounts
        .iter()
        .map(|m| Series {
            dialect: m.dialect.name,
            calls: days
                .iter()
                .map(|d| {
                    daily
                        .iter()
                        .filter(|u| u.day == *d && u.dialect == m.dialect.name)
                        .map(|u| u.calls)
                        .sum()
                })
                .collect(),
        })
        .collect();
    let total = |pick: &dyn Fn(&str) -> bool| -> i64 {
        series
            .iter()
            .filter(|s| pick(s.dialect))
            .flat_map(|s| s.calls.iter())
            .sum()
    };
    let scim = total(&|d| d == "scim");
    let legacy = total(&|d| d != "scim");
    let legacy_pct = if legacy + scim == 0 {
        0
    } else {
        (legacy * 100 + (legacy + scim) / 2) / (legacy + scim)
    };
    let scim_pct = if legacy + scim == 0 {
        0
    } else {
        100 - legacy_pct
    };
    let body = html! {
        section aria-labelledby="calls-heading" {
            h2 id="calls-heading" { "Calls per day, last " (CHART_DAYS) " days" }
            (chart::chart(&days, &series))
        }
        section id="share" aria-labelledby="share-heading" data-legacy-calls=(legacy) data-scim-calls=(scim) {
            h2 id="share-heading" { "Legacy against SCIM" }
            p class="share" { (legacy_pct) "% legacy / " (scim_pct) "% scim" }
            p { (legacy) " legacy call(s) and " (scim) " SCIM call(s) in the last " (CHART_DAYS) " days." }
        }
    };
    Ok(html_page(layout::page(
        &state, &operator, "/console", "Overview", body,
    )))
}

fn deprecation_list(p: Option<&Policy>) -> Markup {
    html! {
        dl id="deprecation" {
            @match p {
                None => { dt { "Status" } dd { "not deprecated" } }
                Some(p) => {
                    dt { "Deprecated since" } dd { time datetime=(time::iso(p.deprecated_at)) { (time::minute(p.deprecated_at)) } }
                    dt { "Sunset" } dd {
                        @match p.sunset {
                            Some(s) => time datetime=(time::iso(s)) { (time::minute(s)) },
                            None => "none set",
                        }
                    }
                    dt { "After sunset" } dd { @match p.after_sunset { AfterSunset::Serve => "serve", AfterSunset::Refuse => "refuse" } }
                    dt { "Link" } dd {
                        @match &p.link { Some(l) => a href=(l) { (l) }, None => "none" }
                    }
                    dt { "Brownout status" } dd { (p.brownout_status.as_u16()) }
                }
            }
        }
    }
}

fn next_brownout(p: Option<&Policy>, now: rosetta_core::Timestamp) -> Markup {
    let window = p.and_then(|p| p.current_or_next_brownout(now));
    html! {
        p id="next-brownout" {
            @match window {
                None => "Next brownout: none scheduled",
                Some(w) => {
                    @if w.contains(now) { "Brownout now: " } @else { "Next brownout: " }
                    time datetime=(time::iso(w.start)) { (time::minute(w.start)) }
                    " to "
                    time datetime=(time::iso(w.end)) { (time::minute(w.end)) }
                }
            }
        }
    }
}

/// `GET /console/dialects/{name}`: deprecation, next brownout, callers of the last 30 days.
pub async fn dialect(
    operator: Operator,
    name: Path<String>,
    dir: Data<Directory>,
    state: Data<ConsoleState>,
) -> Result<HttpResponse, ConsoleError> {
    let Some(mount) = state.mount(&name) else {
        return Err(ConsoleError::NotFound);
    };
    let now = state.clock.now();
    let policy = mount.deprecations.dialect.as_ref();
    let callers = dir
        .usage()
        .callers(UsageQuery {
            since: Some(now - chrono::Duration::days(CALLERS_WINDOW_DAYS)),
            dialect: Some(mount.dialect.name.to_owned()),
            tenant: None,
        })
        .await?;
    let mut labels = Labels::default();
    let mut rows = Vec::with_capacity(callers.len());
    for c in &callers {
        rows.push((c, labels.of(&dir, c).await));
    }
    let routes = &mount.deprecations.routes;
    let body = html! {
        p { "Mounted at " code { @if mount.prefix.is_empty() { "/" } @else { (mount.prefix) } } "." }
        section aria-labelledby="deprecation-heading" {
            h2 id="deprecation-heading" { "Deprecation" }
            (deprecation_list(policy))
            (next_brownout(policy, now))
            @if !routes.is_empty() {
                table id="route-deprecations" {
                    caption { "Routes deprecated on their own" }
                    thead { tr { th scope="col" { "Route" } th scope="col" { "Deprecated since" } th scope="col" { "Sunset" } th scope="col" { "Next brownout" } } }
                    tbody {
                        @for r in routes {
                            tr {
                                th scope="row" { code { (r.method) " " (r.path) } }
                                td { (time::minute(r.policy.deprecated_at)) }
                                td { (r.policy.sunset.map_or_else(|| "none set".to_owned(), time::minute)) }
                                td { (r.policy.current_or_next_brownout(now).map_or_else(|| "none scheduled".to_owned(), |w| format!("{} to {}", time::minute(w.start), time::minute(w.end)))) }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="callers-heading" {
            h2 id="callers-heading" { "Callers, last " (CALLERS_WINDOW_DAYS) " days" }
            @if rows.is_empty() {
                p id="no-callers" { "No calls in the last " (CALLERS_WINDOW_DAYS) " days." }
            }
            div class="scroll" role="region" aria-labelledby="callers-heading" tabindex="0" {
                table id="callers" {
                    thead {
                        tr {
                            th scope="col" { "Tenant" }
                            th scope="col" { "Caller" }
                            th scope="col" { "Label" }
                            th scope="col" class="num" { "Calls" }
                            th scope="col" { "First seen" }
                            th scope="col" { "Last seen" }
                            th scope="col" { "Routes" }
                        }
                    }
                    tbody {
                        @for (c, label) in &rows {
                            tr data-caller=(c.caller) {
                                td { (c.tenant.map_or_else(|| "-".to_owned(), |t| t.0.to_string())) }
                                th scope="row" { code { (c.caller) } }
                                td { (label.as_deref().unwrap_or("-")) }
                                td class="num" { (c.calls) }
                                td { time datetime=(time::iso(c.first_seen)) { (time::minute(c.first_seen)) } }
                                td { time datetime=(time::iso(c.last_seen)) { (time::minute(c.last_seen)) } }
                                td { @for r in &c.routes { code { (r) } " " } }
                            }
                        }
                    }
                }
            }
        }
    };
    let current = format!("/console/dialects/{}", mount.dialect.name);
    Ok(html_page(layout::page(
        &state,
        &operator,
        &current,
        mount.dialect.name,
        body,
    )))
}

/// `GET /console/tenants`: users per status, credentials and when each was last used.
pub async fn tenants(
    operator: Operator,
    dir: Data<Directory>,
    state: Data<ConsoleState>,
) -> Result<HttpResponse, ConsoleError> {
    let tenants = dir.tenant_overview().await?;
    let body = html! {
        @if tenants.is_empty() {
            p { "No tenant yet (" code { "rosetta tenant create" } ")." }
        }
        div class="scroll" role="region" aria-label="Tenants" tabindex="0" {
            table id="tenants" {
                thead {
                    tr {
                        th scope="col" { "Tenant" }
                        th scope="col" class="num" { "Active" }
                        th scope="col" class="num" { "Pending" }
                        th scope="col" class="num" { "Disabled" }
                        th scope="col" { "Credentials (last used)" }
                    }
                }
                tbody {
                    @for t in &tenants {
                        tr data-tenant=(t.tenant.id.0) {
                            th scope="row" { (t.tenant.name) " " span class="muted" { "(" (t.tenant.id.0) ")" } }
                            td class="num" data-status="active" { (t.users.active) }
                            td class="num" data-status="pending" { (t.users.pending) }
                            td class="num" data-status="disabled" { (t.users.inactive) }
                            td {
                                @if t.credentials.is_empty() { "none" } @else {
                                ul class="credentials" {
                                    @for c in &t.credentials {
                                        li data-credential=(c.id) {
                                            code { "credential:" (c.id) } " " (c.dialect)
                                            @if let Some(n) = &c.name { " “" (n) "”" }
                                            " — "
                                            @if c.revoked { "revoked" }
                                            @else {
                                                @match c.last_used_at {
                                                    Some(t) => { "last used " time datetime=(time::iso(t)) { (time::minute(t)) } },
                                                    None => "never used",
                                                }
                                            }
                                        }
                                    }
                                }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(html_page(layout::page(
        &state,
        &operator,
        "/console/tenants",
        "Tenants",
        body,
    )))
}

/// Any other path under `/console`: 404 for an operator, the login for anyone else.
pub async fn not_found(_operator: Operator) -> Result<HttpResponse, ConsoleError> {
    Err(ConsoleError::NotFound)
}
