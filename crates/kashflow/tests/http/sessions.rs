//! `POST`/`PUT`/`DELETE /sessiontoken`: the two-step login, session expiry and the lockout.

use std::time::Duration;

use reqwest::Method;
use rosetta_testkit::rosetta_core::{
    Actor, CreateUserRequest, LoginCheck, NameInput, NewUser, Onboarding, UserKey,
};
use rosetta_testkit::{backend_tests, Backend};
use serde_json::{json, Value};

use crate::support::*;

async fn login_flow(backend: Backend) {
    let app = spawn_app(backend).await;
    let kf = Kf::new(&app);
    let fx = fixture(&app).await;

    // No token, a malformed header, an unknown token: all the documented 401.
    let r = kf.send(Method::GET, "/users", None, &[], None).await;
    assert_eq!(r.error(), (401, "InvalidSessionToken".into()));
    assert_eq!(
        r.text,
        r#"{"Error":"InvalidSessionToken","Message":"Session token provided is invalid."}"#
    );
    snap("error_invalid_session_token", &r);
    let r = kf
        .send(
            Method::GET,
            "/users",
            None,
            &[("Authorization", "Bearer x")],
            None,
        )
        .await;
    assert_eq!(r.error(), (401, "InvalidSessionToken".into()));
    let r = kf.get("/users", "not-a-token").await;
    assert_eq!(r.error(), (401, "InvalidSessionToken".into()));

    // Wrong password and unknown user read the same.
    let r = kf.start("admin", "wrong").await;
    assert_eq!(r.error(), (401, "InvalidCredentials".into()));
    snap("error_invalid_credentials", &r);
    let r = kf.start("nobody", ADMIN_PW).await;
    assert_eq!(r.error(), (401, "InvalidCredentials".into()));
    let r = kf
        .json(
            Method::POST,
            "/sessiontoken",
            None,
            &json!({"UserName": "admin"}),
        )
        .await;
    assert_eq!(r.error(), (400, "ValidationError".into()));
    assert!(r.json()["Message"].as_str().unwrap().contains("Password"));

    // Step 1: a temporary token, three distinct positions within the word, IsAdmin.
    let r = kf.start("ADMIN", ADMIN_PW).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let step1 = r.json();
    let positions: Vec<u64> = step1["MemorableWordList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["Position"].as_u64().unwrap())
        .collect();
    assert_eq!(positions.len(), 3);
    assert!(positions.windows(2).all(|w| w[0] < w[1]));
    assert!(positions
        .iter()
        .all(|&p| (1..=ADMIN_WORD.len() as u64).contains(&p)));
    assert_eq!(step1["IsAdmin"], true);
    assert!(r.text.starts_with(r#"{"TemporaryToken":""#), "{}", r.text);
    assert!(r.text.ends_with(r#"}],"IsAdmin":true}"#), "{}", r.text);
    snap("temporary_token", &r);

    // Wrong letters: refused, and the temporary token is spent.
    let wrong: Vec<Value> = positions
        .iter()
        .map(|&p| json!({"Position": p, "Value": "#"}))
        .collect();
    let r = kf
        .json(
            Method::PUT,
            "/sessiontoken",
            None,
            &json!({"TemporaryToken": step1["TemporaryToken"], "MemorableWordList": wrong}),
        )
        .await;
    assert_eq!(r.error(), (401, "InvalidMemorableWord".into()));
    snap("error_invalid_memorable_word", &r);
    let r = kf.finish(&step1, ADMIN_WORD).await;
    assert_eq!(r.error(), (401, "InvalidTemporaryToken".into()));
    snap("error_invalid_temporary_token", &r);

    // A right answer in any letter case gives a session; the token cannot be used twice.
    let step1 = kf.start("admin", ADMIN_PW).await.json();
    let r = kf.finish(&step1, ADMIN_WORD).await;
    assert_eq!(r.status, 200, "{}", r.text);
    snap("session_token", &r);
    let token = r.json()["SessionToken"].as_str().unwrap().to_owned();
    let r = kf.finish(&step1, ADMIN_WORD).await;
    assert_eq!(r.error(), (401, "InvalidTemporaryToken".into()));
    // A temporary token is no session token, and a session token no temporary one.
    let r = kf
        .get("/users", step1["TemporaryToken"].as_str().unwrap())
        .await;
    assert_eq!(r.error(), (401, "InvalidSessionToken".into()));
    let r = kf
        .json(
            Method::PUT,
            "/sessiontoken",
            None,
            &json!({"TemporaryToken": token, "MemorableWordList": []}),
        )
        .await;
    assert_eq!(r.error(), (401, "InvalidTemporaryToken".into()));

    // The login is real: LastLogin set, NoOfLogins counts the live sessions.
    let me = kf.get("/users/1", &token).await.json();
    assert_eq!(me["NoOfLogins"], 1);
    assert_datetime(me["LastLogin"].as_str().unwrap());
    let at = app
        .directory
        .get_user(&Actor::cli(fx.tenant), UserKey::Id(fx.admin.id))
        .await
        .unwrap()
        .last_login_at
        .unwrap();
    assert_eq!(me["LastLogin"], at.format("%Y-%m-%dT%H:%M:%S").to_string());
    let second = kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
    assert_eq!(kf.get("/users/1", &token).await.json()["NoOfLogins"], 2);

    // A non-administrator is told so at step 1 and may read.
    let r = kf.start("TestUser", TEST_PW).await;
    assert_eq!(r.json()["IsAdmin"], false);
    let user_token = kf.finish(&r.json(), TEST_WORD).await.json()["SessionToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(kf.get("/users", &user_token).await.status, 200);

    // DELETE ends only the caller's session.
    let r = kf
        .send(Method::DELETE, "/sessiontoken", Some(&second), &[], None)
        .await;
    assert_eq!(r.status, 204);
    let r = kf.get("/users", &second).await;
    assert_eq!(r.error(), (401, "InvalidSessionToken".into()));
    let r = kf
        .send(Method::DELETE, "/sessiontoken", Some(&second), &[], None)
        .await;
    assert_eq!(r.error(), (401, "InvalidSessionToken".into()));
    assert_eq!(kf.get("/users/1", &token).await.json()["NoOfLogins"], 1);

    // A user without a memorable word (made through another dialect) answers an empty list.
    let mut new = NewUser::new("plain@example.com", NameInput::Full("Plain User".into()));
    new.username = Some("plain".into());
    new.password = Some("Sup3r-Secret".into());
    app.directory
        .create_user(
            &Actor::cli(fx.tenant),
            CreateUserRequest {
                user: new,
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .unwrap();
    let r = kf.start("plain", "Sup3r-Secret").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["MemorableWordList"], json!([]));
    assert_eq!(r.json()["IsAdmin"], false);
    let r = kf
        .json(
            Method::PUT,
            "/sessiontoken",
            None,
            &json!({"TemporaryToken": r.json()["TemporaryToken"], "MemorableWordList": []}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);

    // A disabled user's sessions stop working, and the user cannot log in.
    let r = kf
        .json(
            Method::PUT,
            "/users/2",
            Some(&token),
            &json!({"Number": 2, "FullName": "TestUser", "RoleNumber": 11,
                    "Email": "test@test.com", "Username": "TestUser", "UserAccountDisabled": true}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["UserAccountDisabled"], true);
    assert_eq!(
        kf.get("/users", &user_token).await.error(),
        (401, "InvalidSessionToken".into())
    );
    assert_eq!(
        kf.start("TestUser", TEST_PW).await.error(),
        (401, "InvalidCredentials".into())
    );
}

async fn expiry(backend: Backend) {
    let app = spawn_app_with(backend, |o| {
        o.settings.temporary_token_ttl = Duration::from_secs(1);
        o.settings.session_idle_ttl = Duration::from_secs(2);
    })
    .await;
    let kf = Kf::new(&app);
    fixture(&app).await;

    // A stale temporary token.
    let step1 = kf.start("admin", ADMIN_PW).await.json();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let r = kf.finish(&step1, ADMIN_WORD).await;
    assert_eq!(r.error(), (401, "InvalidTemporaryToken".into()));

    // A session kept alive by use, then left idle past its time.
    let token = kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(800)).await;
        assert_eq!(kf.get("/users", &token).await.status, 200);
    }
    assert_eq!(kf.get("/users/1", &token).await.json()["NoOfLogins"], 1);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let r = kf.get("/users", &token).await;
    assert_eq!(r.error(), (401, "InvalidSessionToken".into()));
    // An expired session no longer counts as a login.
    let other = kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
    assert_eq!(kf.get("/users/1", &other).await.json()["NoOfLogins"], 1);
}

async fn lockout(backend: Backend) {
    let app = spawn_app_with(backend, |o| {
        o.settings.lockout_duration = Duration::from_secs(2);
    })
    .await;
    let kf = Kf::new(&app);
    let fx = fixture(&app).await;

    // Five wrong passwords in a row: the fifth answer is the lock.
    for _ in 0..4 {
        assert_eq!(
            kf.start("admin", "wrong").await.error(),
            (401, "InvalidCredentials".into())
        );
    }
    let r = kf.start("admin", "wrong").await;
    assert_eq!(r.error(), (401, "AccountLocked".into()));
    snap("error_account_locked", &r);
    // Locked: even the right password is refused, and nothing counts further.
    assert_eq!(
        kf.start("admin", ADMIN_PW).await.error(),
        (401, "AccountLocked".into())
    );
    // Another user of the tenant is not affected.
    kf.login("TestUser", TEST_PW, TEST_WORD).await;
    tokio::time::sleep(Duration::from_millis(2300)).await;
    // Unlocked after the lock time.
    let token = kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
    assert_eq!(kf.get("/users", &token).await.status, 200);

    // Wrong memorable-word letters count too, mixed with wrong passwords.
    let wrong_letters = |step1: &Value| {
        let list: Vec<Value> = step1["MemorableWordList"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| json!({"Position": p["Position"], "Value": "#"}))
            .collect();
        json!({"TemporaryToken": step1["TemporaryToken"], "MemorableWordList": list})
    };
    for _ in 0..2 {
        assert_eq!(
            kf.start("TestUser", "wrong").await.error(),
            (401, "InvalidCredentials".into())
        );
    }
    for _ in 0..2 {
        let step1 = kf.start("TestUser", TEST_PW).await.json();
        let r = kf
            .json(Method::PUT, "/sessiontoken", None, &wrong_letters(&step1))
            .await;
        assert_eq!(r.error(), (401, "InvalidMemorableWord".into()));
    }
    // A temporary token issued before the lock is refused once the account is locked.
    let held = kf.start("TestUser", TEST_PW).await.json();
    let step1 = kf.start("TestUser", TEST_PW).await.json();
    let r = kf
        .json(Method::PUT, "/sessiontoken", None, &wrong_letters(&step1))
        .await;
    assert_eq!(r.error(), (401, "AccountLocked".into()));
    assert_eq!(
        kf.finish(&held, TEST_WORD).await.error(),
        (401, "AccountLocked".into())
    );
    assert_eq!(
        kf.start("TestUser", TEST_PW).await.error(),
        (401, "AccountLocked".into())
    );
    tokio::time::sleep(Duration::from_millis(2300)).await;
    kf.login("TestUser", TEST_PW, TEST_WORD).await;

    // A success resets the count: four failures, a login, four more, and still not locked.
    for _ in 0..4 {
        assert_eq!(
            kf.start("admin", "wrong").await.error(),
            (401, "InvalidCredentials".into())
        );
    }
    kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
    for _ in 0..4 {
        assert_eq!(
            kf.start("admin", "wrong").await.error(),
            (401, "InvalidCredentials".into())
        );
    }
    kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
    let _ = fx;
}

/// issue 13, defect 4: a name no user has answers as one a user has. Five failures lock it
/// too, in the database (a second directory over it sees the lock), and each failure spends
/// one bcrypt verify of the configured cost against a dummy hash.
async fn unknown_names_answer_as_known_ones(backend: Backend) {
    let app = spawn_app_with(backend, |o| {
        o.settings.lockout_duration = Duration::from_secs(2);
        o.settings.bcrypt_cost = 5;
    })
    .await;
    let kf = Kf::new(&app);
    fixture(&app).await;

    let before = app.directory.password_verifications();
    let known = kf.start("admin", "wrong").await;
    let unknown = kf.start("nobody", "wrong").await;
    assert_eq!(known.error(), (401, "InvalidCredentials".into()));
    assert_eq!((unknown.status, &unknown.text), (known.status, &known.text));
    // One verify each: the real hash, then the dummy, made at the configured cost.
    assert_eq!(app.directory.password_verifications() - before, 2);
    let dummy = app.directory.dummy_hash().await.unwrap();
    assert!(dummy.starts_with("$2b$05$"), "{}", &dummy[..7]);

    for _ in 0..3 {
        for name in ["admin", "NoBody "] {
            assert_eq!(
                kf.start(name, "wrong").await.error(),
                (401, "InvalidCredentials".into()),
                "{name}"
            );
        }
    }
    let known = kf.start("admin", "wrong").await;
    let unknown = kf.start("nobody", "wrong").await;
    assert_eq!(known.error(), (401, "AccountLocked".into()));
    assert_eq!((unknown.status, &unknown.text), (known.status, &known.text));
    // Shared by every replica: another directory over the database sees the lock.
    let other = app.reopen().await;
    let check = other
        .check_login(UserKey::Username("NOBODY".into()), "wrong")
        .await
        .unwrap();
    assert!(matches!(check, LoginCheck::Locked), "{check:?}");
    // Another unknown name is not affected; the lock ends after its time.
    assert_eq!(
        kf.start("somebody", "wrong").await.error(),
        (401, "InvalidCredentials".into())
    );
    tokio::time::sleep(Duration::from_millis(2300)).await;
    assert_eq!(
        kf.start("nobody", "wrong").await.error(),
        (401, "InvalidCredentials".into())
    );
}

/// issue 13, defect 7: a new password or memorable word ends the user's other sessions (the
/// caller's own survives when it changed its own); other changes end none.
async fn secrets_change_ends_other_sessions(backend: Backend) {
    let app = spawn_app(backend).await;
    let kf = Kf::new(&app);
    fixture(&app).await;
    let mine = kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
    let other = kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
    let test_user = kf.login("TestUser", TEST_PW, TEST_WORD).await;
    let held = kf.start("TestUser", TEST_PW).await.json();
    let put = |id: i64, extra: Value| {
        let mut body = if id == 1 {
            json!({"Number": 1, "FullName": "rediff", "RoleNumber": 6,
                   "Email": "swati_garg05@rediff.com", "Username": "admin"})
        } else {
            json!({"Number": 2, "FullName": "TestUser", "RoleNumber": 11,
                   "Email": "test@test.com", "Username": "TestUser"})
        };
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };

    // A rename ends nothing.
    let r = kf
        .json(
            Method::PUT,
            "/users/2",
            Some(&mine),
            &put(2, json!({"FullName": "Tess"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(kf.get("/users", &test_user).await.status, 200);

    // Another user's memorable word: all of that user's sessions and temporary tokens end.
    let r = kf
        .json(
            Method::PUT,
            "/users/2",
            Some(&mine),
            &put(2, json!({"MemorableWord": "zebracrossing"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        kf.get("/users", &test_user).await.error(),
        (401, "InvalidSessionToken".into())
    );
    assert_eq!(
        kf.finish(&held, TEST_WORD).await.error(),
        (401, "InvalidTemporaryToken".into())
    );
    assert_eq!(kf.get("/users", &mine).await.status, 200);

    // Its own password: the caller's session stays, its other one ends.
    let r = kf
        .json(
            Method::PUT,
            "/users/1",
            Some(&mine),
            &put(1, json!({"Password": "Sup3r-Secret"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(kf.get("/users", &mine).await.status, 200);
    assert_eq!(
        kf.get("/users", &other).await.error(),
        (401, "InvalidSessionToken".into())
    );
    assert_eq!(kf.get("/users/1", &mine).await.json()["NoOfLogins"], 1);
}

/// issue 13, defect 7: at most `sessions.max_per_user` sessions per user, the newest kept.
async fn sessions_per_user_are_capped(backend: Backend) {
    let app = spawn_app_with(backend, |o| o.settings.max_sessions_per_user = 3).await;
    let kf = Kf::new(&app);
    fixture(&app).await;
    let mut tokens = Vec::new();
    for _ in 0..5 {
        tokens.push(kf.login("admin", ADMIN_PW, ADMIN_WORD).await);
    }
    for (i, token) in tokens.iter().enumerate() {
        let want = if i < 2 { 401 } else { 200 };
        assert_eq!(kf.get("/users", token).await.status, want, "session {i}");
    }
    assert_eq!(kf.get("/users/1", &tokens[4]).await.json()["NoOfLogins"], 3);
    // Another user's sessions are not counted against this one.
    let t = kf.login("TestUser", TEST_PW, TEST_WORD).await;
    assert_eq!(kf.get("/users", &tokens[2]).await.status, 200);
    assert_eq!(kf.get("/users", &t).await.status, 200);
}

/// issue 13, defect 7: step 2 answers exactly the asked positions, each once.
async fn memorable_word_list_must_be_exact(backend: Backend) {
    let app = spawn_app(backend).await;
    let kf = Kf::new(&app);
    fixture(&app).await;
    let word: Vec<char> = ADMIN_WORD.chars().collect();
    let answer = |p: u64| json!({"Position": p, "Value": word[p as usize - 1].to_string()});
    for case in ["extra", "twice", "wrong extra"] {
        let step1 = kf.start("admin", ADMIN_PW).await.json();
        let asked: Vec<u64> = step1["MemorableWordList"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["Position"].as_u64().unwrap())
            .collect();
        let mut list: Vec<Value> = asked.iter().map(|&p| answer(p)).collect();
        let unasked = (1..=word.len() as u64)
            .find(|p| !asked.contains(p))
            .unwrap();
        match case {
            "extra" => list.push(answer(unasked)),
            "twice" => list.push(answer(asked[0])),
            _ => list.push(json!({"Position": unasked, "Value": "#"})),
        }
        let body = json!({"TemporaryToken": step1["TemporaryToken"], "MemorableWordList": list});
        let r = kf.json(Method::PUT, "/sessiontoken", None, &body).await;
        assert_eq!(r.error(), (401, "InvalidMemorableWord".into()), "{case}");
    }
    // Exactly the asked ones still pass.
    kf.login("admin", ADMIN_PW, ADMIN_WORD).await;
}

backend_tests!(
    login_flow,
    expiry,
    lockout,
    unknown_names_answer_as_known_ones,
    secrets_change_ends_other_sessions,
    sessions_per_user_are_capped,
    memorable_word_list_must_be_exact
);
