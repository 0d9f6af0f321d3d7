#![allow(clippy::unwrap_used)]

use super::*;
use crate::config::Config;

fn resolve_toml(text: &str) -> Result<Deprecations, String> {
    let config = Config::from_sources(Some(text), Vec::new()).map_err(|e| e.to_string())?;
    let kf = &rosetta_kashflow::DIALECT;
    resolve(
        kf,
        config.dialects["kashflow"].deprecation.as_ref(),
        &Clock::system(),
    )
}

#[test]
fn the_example_of_migration_md_resolves() {
    let d = resolve_toml(
        r#"
[dialects.kashflow.deprecation]
deprecated_at = "2026-06-01T00:00:00Z"
sunset = 2027-06-01T00:00:00Z
link = "https://example.com/migrate-kashflow"
after_sunset = "refuse"
brownouts = ["2027-01-15T10:00:00Z/PT4H", "2026-12-01T10:00:00Z/PT1H"]
brownout_status = 410

[[dialects.kashflow.deprecation.routes]]
method = "get"
path = "/users/{number}"
brownout_status = 503
brownouts = []
"#,
    )
    .unwrap();
    let p = d.dialect.unwrap();
    assert_eq!(p.deprecated_at.timestamp(), 1_780_272_000);
    assert_eq!(p.after_sunset, AfterSunset::Refuse);
    assert_eq!(p.brownouts.len(), 2);
    assert!(p.brownouts[0].start < p.brownouts[1].start, "sorted");
    let r = &d.routes[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("GET", "/users/{number}")
    );
    assert_eq!(r.policy.brownout_status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.policy.brownouts.is_empty());
    // Inherited from the dialect.
    assert_eq!(r.policy.sunset, p.sunset);
    assert_eq!(r.policy.link, p.link);
}

#[test]
fn mistakes_are_one_line_naming_the_key() {
    let base = "[dialects.kashflow.deprecation]\ndeprecated_at = \"2026-06-01T00:00:00Z\"\n";
    let cases = [
        (
            format!("{base}brownouts = [\"2026-12-01T10:00:00Z\"]\n"),
            "dialects.kashflow.deprecation.brownouts[0]: \"2026-12-01T10:00:00Z\" is not an ISO 8601 interval",
        ),
        (
            format!("{base}sunset = \"2026-01-01T00:00:00Z\"\n"),
            "dialects.kashflow.deprecation.sunset is before dialects.kashflow.deprecation.deprecated_at",
        ),
        (
            format!("{base}after_sunset = \"later\"\n"),
            "dialects.kashflow.deprecation.after_sunset must be serve or refuse",
        ),
        (
            format!("{base}brownout_status = 404\n"),
            "dialects.kashflow.deprecation.brownout_status must be 410 or 503",
        ),
        (
            format!("{base}link = \"javascript:alert(1)\"\n"),
            "dialects.kashflow.deprecation.link must be an http(s) URL",
        ),
        (
            "[dialects.kashflow.deprecation]\nsunset = \"2027-01-01T00:00:00Z\"\n".to_owned(),
            "dialects.kashflow.deprecation.deprecated_at is required",
        ),
        (
            format!("{base}[[dialects.kashflow.deprecation.routes]]\nmethod = \"GET\"\npath = \"/kashflow/users\"\n"),
            "dialects.kashflow.deprecation.routes[0]: kashflow has no route GET /kashflow/users",
        ),
        (
            format!("{base}[[dialects.kashflow.deprecation.routes]]\nmethod = \"DELETE\"\npath = \"/users\"\n"),
            "dialects.kashflow.deprecation.routes[0]: kashflow has no route DELETE /users",
        ),
        (
            format!("{base}[[dialects.kashflow.deprecation.routes]]\nmethod = \"GET\"\npath = \"/users\"\nsunset = \"x\"\n"),
            "dialects.kashflow.deprecation.routes[0].sunset: \"x\" is not an RFC 3339 time",
        ),
    ];
    for (toml, expected) in cases {
        let err = resolve_toml(&toml).unwrap_err();
        assert!(err.starts_with(expected), "{toml}\n=> {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn a_table_of_routes_alone_deprecates_only_them() {
    let d = resolve_toml(
        "[dialects.kashflow.deprecation]\nlink = \"https://example.com/m\"\n\
         [[dialects.kashflow.deprecation.routes]]\nmethod = \"GET\"\npath = \"/users\"\n\
         deprecated_at = \"2026-06-01T00:00:00Z\"\n",
    )
    .unwrap();
    assert!(d.dialect.is_none());
    assert_eq!(d.routes.len(), 1);
    assert_eq!(
        d.routes[0].policy.link.as_deref(),
        Some("https://example.com/m")
    );
}

#[test]
fn a_bad_deprecation_fails_the_start_in_one_line() {
    let config = Config::from_sources(
        Some("[dialects.usr.deprecation]\ndeprecated_at = \"2026-06-01T00:00:00Z\"\nbrownouts = [\"soon\"]\n"),
        Vec::new(),
    )
    .unwrap();
    let err = crate::app::resolve_mounts(&config)
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.starts_with("bad config: dialects.usr.deprecation.brownouts[0]:"),
        "{err}"
    );
}
