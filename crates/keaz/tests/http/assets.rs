//! `/user/{id}/assets` and `/user/{id}/assets/{tag}`: JSON kept exactly as sent, per user.

use reqwest::Method;
use rosetta_testkit::{backend_tests, Backend};

use crate::support::*;

async fn assets_of_a_user(backend: Backend) {
    let app = spawn_app(backend).await;
    let (a, b, base) = two_companies_and_a_driver(&app).await;

    let car = r#"{"reg":"AB12 CDE","make":"Volvo","seats":5}"#;
    let send = |tag: &str, body: &str, token: &str| {
        let path = format!("{base}/assets/{tag}");
        let (body, token) = (body.as_bytes().to_vec(), token.to_owned());
        let app = &app;
        async move {
            send(
                app,
                Method::POST,
                &path,
                &token,
                "application/json",
                Some(body),
            )
            .await
        }
    };
    let r = send("car", car, &a.admin).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.text, car, "kept exactly as sent");
    let r = send("fuel-card", "[1, 2]", &a.admin).await;
    assert_eq!(r.status, 201);
    let car2 = r#"{"reg":"AB12 CDE","make":"Volvo","seats":7}"#;
    let r = send("car", car2, &a.admin).await;
    assert_eq!(r.status, 200, "replaced");
    let r = send("car", "{oops", &a.admin).await;
    assert_eq!(r.status, 400);
    snap!("asset_invalid", &r.body);
    let r = send("a%20b", "{}", &a.admin).await;
    assert_eq!(r.status, 400);
    snap!("asset_bad_tag", &r.body);
    let r = send("car", "{}", &a.reader).await;
    assert_eq!(r.status, 403);

    let r = get(&app, &format!("{base}/assets/car"), &a.reader).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.text, car2);
    let r = get(&app, &format!("{base}/assets"), &a.reader).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.text, format!(r#"{{"car":{car2},"fuel-card":[1, 2]}}"#));
    snap!("assets", &r.body);
    assert_eq!(
        get(&app, &format!("{base}/assets/boat"), &a.reader)
            .await
            .status,
        404
    );

    // Another company sees none of it.
    assert_eq!(
        get(&app, &format!("{base}/assets"), &b.keaz).await.status,
        404
    );
    assert_eq!(
        get(&app, &format!("{base}/assets/car"), &b.keaz)
            .await
            .status,
        404
    );
    assert_eq!(send("car", "{}", &b.keaz).await.status, 404);
    // They go with the user.
    let r = call(&app, Method::DELETE, &base, &a.admin, None).await;
    assert_eq!(r.status, 204);
    assert_eq!(
        get(&app, &format!("{base}/assets"), &a.reader).await.status,
        404
    );
}

backend_tests!(assets_of_a_user);
