//! `GET /pub/usr/acc/{accountId}` (and `/usr/acc/{accountId}`): users by default account.

use insta::assert_json_snapshot;
use rosetta_testkit::rosetta_core::{
    Actor, CreateUsersRequest, NameInput, NewUser, Onboarding, Status,
};
use rosetta_testkit::{backend_tests, Backend, Fixtures};
use serde_json::json;

use crate::support::*;

async fn list_by_account(backend: Backend) {
    let app = spawn_app(backend).await;
    let (a, _) = app.tenant("a").await;
    let (b, _) = app.tenant("b").await;
    let token_a = app.credential(a, "usr").await;
    let token_b = app.credential(b, "usr").await;
    let acc = |n: i64| move |u: &mut NewUser| u.default_account_id = Some(n);
    let a1 = app.user_with(a, "a1", "a1@example.com", "pw", acc(1)).await;
    let a2 = app.user_with(a, "a2", "a2@example.com", "pw", acc(2)).await;
    let a3 = app.user_with(a, "a3", "a3@example.com", "pw", acc(1)).await;
    let _none = app.user(a, "a4", "a4@example.com", "pw").await;
    let b1 = app.user_with(b, "b1", "b1@example.com", "pw", acc(1)).await;

    let list = get(&app, "/pub/usr/acc/1", &token_a).await;
    assert_eq!(list.status, 200);
    assert_eq!(ids(&list.body), vec![a1.id.0, a3.id.0]);
    assert!(list
        .body
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u["defaultAccountId"] == json!(1)));
    let list = get(&app, "/pub/usr/acc/2", &token_a).await;
    assert_eq!(ids(&list.body), vec![a2.id.0]);
    let list = get(&app, "/pub/usr/acc/1", &token_b).await;
    assert_eq!(ids(&list.body), vec![b1.id.0]);

    // An account without users, and one that only another tenant uses.
    let empty = get(&app, "/pub/usr/acc/3", &token_a).await;
    assert_eq!((empty.status, empty.body.clone()), (200, json!([])));
    assert_json_snapshot!("list_by_account_empty", empty.body);
    let empty = get(&app, "/pub/usr/acc/2", &token_b).await;
    assert_eq!((empty.status, empty.body), (200, json!([])));

    // A non-numeric account cannot exist.
    let bad = get(&app, "/pub/usr/acc/abc", &token_a).await;
    assert_eq!(bad.status, 404);
    assert_json_snapshot!("unknown_account", bad.body);

    // Another tenant's user is answered exactly like a missing one.
    let theirs = get(&app, &format!("/usr/{}", b1.id), &token_a).await;
    let missing = get(&app, "/usr/987654321", &token_a).await;
    assert_eq!(theirs.status, 404);
    assert_eq!(theirs.body, missing.body);
    // More users than one store page: the list pages through all of them.
    let many: Vec<NewUser> = (0..520)
        .map(|i| {
            let mut u = NewUser::new(
                format!("m{i}@example.com"),
                NameInput::Full(format!("Many {i}")),
            );
            u.default_account_id = Some(9);
            u
        })
        .collect();
    let made = app
        .directory
        .create_users(
            &Actor::cli(a),
            CreateUsersRequest {
                users: many,
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap();
    let list = get(&app, "/pub/usr/acc/9", &token_a).await;
    let mut want: Vec<i64> = made.iter().map(|u| u.id.0).collect();
    want.sort_unstable();
    assert_eq!(ids(&list.body), want);

    let pending = app
        .user_with(a, "p1", "p1@example.com", "pw", |u| {
            u.status = Status::Pending
        })
        .await;
    let read = get(&app, &format!("/usr/{}", pending.id), &token_a).await;
    assert_eq!(read.body["active"], json!(0));
}

backend_tests!(list_by_account);
