//! `/user/{id}/bookings` and the periods under it (`/{year}/{month}/{day}/{hour}`).

use rosetta_testkit::{backend_tests, Backend};
use serde_json::json;

use crate::support::*;

async fn bookings_of_a_user(backend: Backend) {
    let app = spawn_app(backend).await;
    let (a, b, base) = two_companies_and_a_driver(&app).await;

    let bookings = format!("{base}/bookings");
    let r = post(
        &app,
        &bookings,
        &a.admin,
        json!({"asset": "car", "start": "2026-03-10T09:00:00Z", "end": "2026-03-10T17:30:00Z"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    snap!("booking", &r.body);
    let r = post(
        &app,
        &bookings,
        &a.admin,
        json!({"asset": "car", "start": "2026-03-31T22:00:00Z", "end": "2026-04-01T02:00:00Z"}),
    )
    .await;
    assert_eq!(r.status, 201);
    // An offset is converted to UTC: this one starts 2025-12-31T23:00Z.
    let r = post(
        &app,
        &bookings,
        &a.admin,
        json!({"asset": 42, "start": "2026-01-01T00:00:00+01:00", "end": "2026-01-01T01:00:00Z"}),
    )
    .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.body["start"], "2025-12-31T23:00:00Z");
    assert_eq!(r.body["asset"], "42");

    let r = post(
        &app,
        &bookings,
        &a.admin,
        json!({"asset": "car", "start": "2026-03-10T09:00:00Z", "end": "2026-03-10T09:00:00Z"}),
    )
    .await;
    assert_eq!(r.status, 400);
    snap!("booking_end_before_start", &r.body);
    let r = post(
        &app,
        &bookings,
        &a.admin,
        json!({"asset": "car", "start": "next tuesday", "end": "2026-03-10T09:00:00Z"}),
    )
    .await;
    assert_eq!(r.status, 400);
    let r = post(
        &app,
        &bookings,
        &a.reader,
        json!({"asset": "car", "start": "2026-03-10T09:00:00Z", "end": "2026-03-10T10:00:00Z"}),
    )
    .await;
    assert_eq!(r.status, 403);

    let count = |path: String| {
        let app = &app;
        let token = a.reader.clone();
        async move {
            let r = get(app, &path, &token).await;
            assert_eq!(r.status, 200, "{path}: {}", r.text);
            r.body.as_array().unwrap().len()
        }
    };
    assert_eq!(count(format!("{bookings}/2026")).await, 3);
    assert_eq!(count(format!("{bookings}/2025")).await, 1);
    assert_eq!(count(format!("{bookings}/2026/03")).await, 2);
    assert_eq!(count(format!("{bookings}/2026/04")).await, 1);
    assert_eq!(count(format!("{bookings}/2026/03/10")).await, 1);
    assert_eq!(count(format!("{bookings}/2026/03/10/12")).await, 1);
    assert_eq!(count(format!("{bookings}/2026/03/10/17")).await, 1);
    assert_eq!(count(format!("{bookings}/2026/03/10/18")).await, 0);
    assert_eq!(count(format!("{bookings}/2026/04/01/01")).await, 1);
    assert_eq!(count(format!("{bookings}/2026/04/01/02")).await, 0);
    let r = get(&app, &format!("{bookings}/2026/03"), &a.reader).await;
    snap!("bookings", &r.body);
    let r = get(&app, &format!("{bookings}/2026/13"), &a.reader).await;
    assert_eq!(r.status, 400);
    snap!("bookings_bad_path", &r.body);

    // Another company sees none of it.
    assert_eq!(
        get(&app, &format!("{bookings}/2026"), &b.keaz).await.status,
        404
    );
    let r = post(
        &app,
        &bookings,
        &b.keaz,
        json!({"asset": "car", "start": "2026-03-10T09:00:00Z", "end": "2026-03-10T10:00:00Z"}),
    )
    .await;
    assert_eq!(r.status, 404);
}

backend_tests!(bookings_of_a_user);
