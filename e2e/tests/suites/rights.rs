//! The rights rule of MAPPING.md ("Administrator rights") across dialects: an administrator
//! may change another user's password, memorable word, status or perms, or delete that user,
//! only when it holds every grant right that user's perms confer. Otherwise it could set a
//! keaz holder's password in one dialect and log in as that user in another (issue 13,
//! defect 3). Each refusal is a 403 in the dialect's shape and changes nothing.

use reqwest::Method;
use rosetta_e2e::TestGateway;
use rosetta_testkit::callers::{Keaz, Kf, Usr, V2};
use rosetta_testkit::rosetta_core::{Actor, UserKey};
use rosetta_testkit::{backend_tests, Backend, Fixtures};
use serde_json::{json, Value};

fn kf_put(user: &rosetta_testkit::rosetta_core::User, extra: Value) -> Value {
    let mut body = json!({"Number": user.id.0, "FullName": user.names.full,
                          "RoleNumber": user.role_number, "Email": user.email.as_str(),
                          "Username": user.username.as_str()});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    body
}

/// The attack of the issue, then every write path of every dialect refused the same way.
async fn an_admin_without_perms_cannot_take_over_a_keaz_holder(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let gw = app.client.clone();
    let (tenant, key) = app.tenant("Acme").await;
    let kz_pw = gw.secret("Keaz-H0lder-pw");
    let kz = app
        .user_with(tenant, "kz", "kz@acme.test", &kz_pw, |n| {
            n.perms = vec!["keaz".into()];
            n.memorable_word = Some("kzwordkz".into());
        })
        .await;
    // Role 6 ("Full Access"), no perms: an administrator, who may grant neither perm.
    let mal_pw = gw.secret("Mall0ry-Adm1n-pw");
    let mal_word = gw.secret("malloryword");
    let mallory = app
        .user_with(tenant, "mallory", "mallory@acme.test", &mal_pw, |n| {
            n.memorable_word = Some(mal_word.clone());
        })
        .await;
    let hijack = gw.secret("Hijack3d-pw");

    // kashflow: the password, the memorable word, the status, the deletion.
    let kf = Kf::login(&gw, "mallory", &mal_pw, &mal_word).await;
    for extra in [
        json!({"Password": hijack}),
        json!({"MemorableWord": "hijackedword"}),
        json!({"UserAccountDisabled": true}),
    ] {
        let r = kf
            .send(
                Method::PUT,
                &format!("/users/{}", kz.id),
                Some(&kf_put(&kz, extra.clone())),
            )
            .await;
        assert_eq!(r.status, 403, "{extra} {}", r.text);
        assert_eq!(r.json()["Error"], "Forbidden", "{}", r.text);
    }
    let r = kf
        .send(Method::DELETE, &format!("/users/{}", kz.id), None)
        .await;
    assert_eq!(r.status, 403, "{}", r.text);
    // Other fields of the same user are no secret, status or perm: still allowed.
    kf.send(
        Method::PUT,
        &format!("/users/{}", kz.id),
        Some(&kf_put(&kz, json!({"FullName": "Kay Zed"}))),
    )
    .await
    .expect(200);

    // The hijacked password never worked; the holder's own still does, and still active.
    assert_eq!(
        Keaz::try_login(&gw, "kz@acme.test", &hijack).await.status,
        401
    );
    let as_kz = Keaz::login(&gw, "kz@acme.test", &kz_pw).await;
    assert_eq!(
        as_kz.user(kz.id.0).await.expect(200)["perms"],
        json!(["keaz"])
    );

    // keaz, as mallory: perms, status, deletion of the keaz holder.
    let kzm = Keaz::login(&gw, "mallory@acme.test", &mal_pw).await;
    let r = kzm
        .send(
            Method::PUT,
            &format!("/user/{}/perms", kz.id),
            Some(&json!([])),
        )
        .await;
    assert_eq!(r.expect(403)["error"], "forbidden");
    let r = kzm
        .send(
            Method::PUT,
            &format!("/user/{}", kz.id),
            Some(&json!({"status": "inactive"})),
        )
        .await;
    assert_eq!(r.expect(403)["error"], "forbidden");
    let r = kzm
        .send(Method::DELETE, &format!("/user/{}", kz.id), None)
        .await;
    assert_eq!(r.expect(403)["error"], "forbidden");
    // Nor may mallory give herself either perm.
    let r = kzm
        .send(
            Method::PUT,
            &format!("/user/{}/perms", mallory.id),
            Some(&json!(["keaz", "admin"])),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.text);

    // usr and v2: a tenant credential may grant admin but not keaz, so it may not touch a keaz
    // holder either.
    let usr = Usr::new(&gw, &app.credential(tenant, "usr").await);
    let r = usr
        .send(
            Method::POST,
            &format!("/usr/{}", kz.id),
            Some(&json!({"password": hijack})),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.text);
    let r = usr
        .send(Method::DELETE, &format!("/usr/{}", kz.id), None)
        .await;
    assert_eq!(r.status, 403, "{}", r.text);
    let v2 = V2::new(&gw, tenant.0, &key);
    let r = v2
        .send(
            Method::DELETE,
            "/api/v2/user",
            &format!("Id={}", kz.uuid),
            None,
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.text);
    assert_eq!(r.json()["ResponseStatus"]["ErrorCode"], "Forbidden");

    // Nothing changed: same perms, status, secrets; the holder logs in as before.
    let now = app
        .directory
        .get_user(&Actor::cli(tenant), UserKey::Id(kz.id))
        .await
        .unwrap();
    assert_eq!(now.perms, vec!["keaz".to_owned()]);
    assert_eq!(now.status, kz.status);
    assert_eq!(
        Keaz::try_login(&gw, "kz@acme.test", &hijack).await.status,
        401
    );
    Kf::login(&gw, "kz", &kz_pw, "kzwordkz").await;

    // The keaz holder may do all of it to another keaz holder, through kashflow too.
    let kz2 = app
        .user_with(tenant, "kz2", "kz2@acme.test", &kz_pw, |n| {
            n.perms = vec!["keaz".into()];
            n.memorable_word = Some("kzwordkz".into());
        })
        .await;
    let kf_kz = Kf::login(&gw, "kz", &kz_pw, "kzwordkz").await;
    kf_kz
        .send(
            Method::PUT,
            &format!("/users/{}", kz2.id),
            Some(&kf_put(&kz2, json!({"Password": hijack}))),
        )
        .await
        .expect(200);
    Keaz::login(&gw, "kz2@acme.test", &hijack).await;
    gw.assert_no_leaks();
}

/// A user holding only `admin` may not strip `keaz` from a keaz holder (removing a perm needs
/// the right to grant it), nor touch that holder otherwise; it may touch another admin holder.
async fn an_admin_holder_cannot_strip_keaz(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let gw = app.client.clone();
    let (tenant, _) = app.tenant("Acme").await;
    let pw = gw.secret("Adm1n-H0lder-pw");
    let kz = app
        .user_with(tenant, "kz", "kz@acme.test", &pw, |n| {
            n.perms = vec!["keaz".into(), "fleet-view".into()];
        })
        .await;
    let other = app
        .user_with(tenant, "other", "other@acme.test", &pw, |n| {
            n.perms = vec!["admin".into()];
        })
        .await;
    app.user_with(tenant, "adm", "adm@acme.test", &pw, |n| {
        n.role_number = Some(2);
        n.perms = vec!["admin".into()];
    })
    .await;
    let adm = Keaz::login(&gw, "adm@acme.test", &pw).await;
    for perms in [json!(["fleet-view"]), json!(["keaz"]), json!([])] {
        let r = adm
            .send(Method::PUT, &format!("/user/{}/perms", kz.id), Some(&perms))
            .await;
        assert_eq!(r.status, 403, "{perms} {}", r.text);
    }
    let r = adm
        .send(
            Method::PUT,
            &format!("/user/{}", kz.id),
            Some(&json!({"perms": ["fleet-view"]})),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.text);
    assert_eq!(
        adm.user(kz.id.0).await.expect(200)["perms"],
        json!(["keaz", "fleet-view"])
    );
    // An admin holder is within reach: its admin taken away, then given back.
    adm.send(
        Method::PUT,
        &format!("/user/{}/perms", other.id),
        Some(&json!([])),
    )
    .await
    .expect(200);
    adm.send(
        Method::PUT,
        &format!("/user/{}/perms", other.id),
        Some(&json!(["admin"])),
    )
    .await
    .expect(200);
    gw.assert_no_leaks();
}

/// issue 13, defect 7: a password changed through one dialect ends the user's sessions in the
/// others.
async fn a_password_change_ends_sessions_everywhere(backend: Backend) {
    let app = TestGateway::start(backend).await;
    let gw = app.client.clone();
    let (tenant, _) = app.tenant("Acme").await;
    let pw = gw.secret("Pat-0ld-pw");
    let pat = app
        .user_with(tenant, "pat", "pat@acme.test", &pw, |n| {
            n.memorable_word = Some("patsword".into());
        })
        .await;
    let kf = Kf::login(&gw, "pat", &pw, "patsword").await;
    let keaz = Keaz::login(&gw, "pat@acme.test", &pw).await;
    assert_eq!(kf.user(pat.id.0).await.status, 200);
    assert_eq!(keaz.user(pat.id.0).await.status, 200);
    let usr = Usr::new(&gw, &app.credential(tenant, "usr").await);
    let new_pw = gw.secret("Pat-N3w-pw");
    usr.send(
        Method::POST,
        &format!("/usr/{}", pat.id),
        Some(&json!({"password": new_pw})),
    )
    .await
    .expect(200);
    assert_eq!(kf.user(pat.id.0).await.status, 401);
    assert_eq!(keaz.user(pat.id.0).await.status, 401);
    Keaz::login(&gw, "pat@acme.test", &new_pw).await;
    gw.assert_no_leaks();
}

backend_tests!(
    an_admin_without_perms_cannot_take_over_a_keaz_holder,
    an_admin_holder_cannot_strip_keaz,
    a_password_change_ends_sessions_everywhere
);
