//! `GET /users` of a tenant larger than a page: written a page at a time (chunked), in the
//! bytes of the list written at once, and refused with 503 and `Retry-After` when every
//! whole-list slot is taken.

use rosetta_testkit::rosetta_core::{
    Actor, CreateUsersRequest, NameInput, NewUser, Onboarding, UserFilter,
};
use rosetta_testkit::{backend_tests, Backend};
use serde_json::Value;

use crate::support::*;

/// More than two pages of a whole list (1,000 users each), so the answer is several chunks.
const MANY: usize = 2_345;

async fn add_many(app: &rosetta_testkit::TestApp, fx: &Fixture) {
    let users = (0..MANY)
        .map(|i| {
            let mut n = NewUser::new(
                format!("many{i}@example.com"),
                NameInput::Full(format!("Many {i}")),
            );
            n.username = Some(format!("many{i}"));
            n
        })
        .collect();
    let request = CreateUsersRequest {
        users,
        onboarding: Onboarding::Plain,
    };
    app.directory
        .create_users(&Actor::cli(fx.tenant), request)
        .await
        .map_err(|(row, e)| format!("{row:?}: {e}"))
        .unwrap();
}

async fn whole_list_is_streamed_as_one(backend: Backend) {
    let app = spawn_app(backend).await;
    let kf = Kf::new(&app);
    let fx = fixture(&app).await;
    add_many(&app, &fx).await;
    let token = kf.login("admin", ADMIN_PW, ADMIN_WORD).await;

    let r = kf.get("/users", &token).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.header("transfer-encoding"), Some("chunked"));
    assert_eq!(r.content_type, "application/json; charset=utf-8");
    let list: Value = r.json();
    let numbers: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["Number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers.len(), MANY + 2);
    assert!(
        numbers.windows(2).all(|w| w[0] < w[1]),
        "by number, once each"
    );
    // Pages joined as one array is written: one comma between users, no gaps or brackets
    // where a page ends (the small list's bytes are pinned by the snapshots).
    assert!(r.text.starts_with("[{\"Email\":") && r.text.ends_with("\"}]"));
    assert_eq!(r.text.matches("},{").count(), MANY + 1);
    assert!(!r.text.contains(",,") && !r.text.contains("]["));
    assert_eq!(
        list[0]["NoOfLogins"], 1,
        "the page's session counts are read"
    );

    let r = kf
        .xml(reqwest::Method::GET, "/users", Some(&token), None)
        .await;
    assert_eq!(r.status, 200);
    assert!(r
        .text
        .starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?><ArrayOfUser><User><Email>"));
    assert!(r.text.ends_with("</User></ArrayOfUser>"), "closed once");
    assert_eq!(r.text.matches("<User>").count(), MANY + 2);
    assert_eq!(r.text.matches("<?xml").count(), 1, "one declaration");
}

async fn whole_lists_beyond_the_bound_are_503(backend: Backend) {
    let app = spawn_app_with(backend, |o| o.settings.full_lists = 1).await;
    let kf = Kf::new(&app);
    let fx = fixture(&app).await;
    let token = kf.login("admin", ADMIN_PW, ADMIN_WORD).await;

    // The one slot, taken as a list being written takes it.
    let held = app
        .directory
        .all_users(&Actor::cli(fx.tenant), &UserFilter::all())
        .await
        .unwrap();
    let r = kf.get("/users", &token).await;
    assert_eq!(
        r.error(),
        (503, "ServiceUnavailable".to_owned()),
        "{}",
        r.text
    );
    assert_eq!(r.header("retry-after"), Some("1"));
    let r = kf
        .xml(reqwest::Method::GET, "/users", Some(&token), None)
        .await;
    assert_eq!(r.status, 503);
    assert!(
        r.text
            .contains("<ErrorResponse><Error>ServiceUnavailable</Error>"),
        "{}",
        r.text
    );
    assert_eq!(r.header("retry-after"), Some("1"));

    drop(held);
    let r = kf.get("/users", &token).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json().as_array().unwrap().len(), 2);
}

backend_tests!(
    whole_list_is_streamed_as_one,
    whole_lists_beyond_the_bound_are_503
);
