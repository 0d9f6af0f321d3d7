//! `rosetta user export` and `rosetta user import` through the binary, on both backends: every
//! format round-trips every field it carries into a fresh tenant, hashes move only when asked
//! (and log in on the importing side), a bad file writes nothing and names its lines.

use rosetta_core::{
    Actor, Cursor, Device, NameInput, NewUser, Profile, Status, TenantId, User, UserFilter,
};
use rosetta_e2e::TestGateway;
use rosetta_testkit::callers::Keaz;
use rosetta_testkit::{backend_tests, Backend, Fixtures};
use serde_json::Value;
use uuid::Uuid;

use crate::process::{json, rosetta};

pub(crate) const PASSWORD: &str = "correct horse battery";
const WORD: &str = "aardvark";

/// Three users that between them set every canonical field a write can set.
async fn seed(gw: &TestGateway, tenant: TenantId) -> Vec<User> {
    let group = Uuid::new_v4();
    let mut out = Vec::new();
    for (i, status) in [Status::Active, Status::Pending, Status::Inactive]
        .into_iter()
        .enumerate()
    {
        let mut new = NewUser::new(
            format!("Person{i}@Example.com"),
            if i == 0 {
                NameInput::Parts {
                    first: "Ada".into(),
                    last: "Lovelace, \"Countess\"".into(),
                }
            } else {
                NameInput::Full(format!("Grace Brewster Hopper{i}"))
            },
        );
        new.username = Some(format!("Person.{i}"));
        new.status = status;
        new.role_number = Some(if i == 0 { 6 } else { 2 });
        new.perms = if i == 0 {
            vec!["admin".into(), "fleet".into()]
        } else {
            Vec::new()
        };
        if i < 2 {
            new.password = Some(PASSWORD.into());
            new.memorable_word = Some(WORD.into());
        }
        new.website_role = Some(format!("role-{i}"));
        new.default_account_id = Some(100 + i as i64);
        new.external_id = Some(format!("EXT-{i}"));
        new.profile = Profile {
            employee_id: Some(format!("E{i}")),
            contact_number: Some("+44 20, 7946 0000".into()),
            license_number: Some("LIC\nsecond line".into()),
            license_expiry_month: Some("07".into()),
            license_expiry_year: Some("2031".into()),
            license_type: Some("B".into()),
            license_country: Some("GB".into()),
            cost_centre_id: Some("=SUM(A1)".into()),
            activated_via_company_id: Some("42".into()),
        };
        new.license_types = vec!["B".into(), "C1".into()];
        new.branch_ids = vec!["north".into(), "south".into()];
        new.groups = vec![group];
        new.folders = vec![Uuid::new_v4()];
        new.devices = vec![Device {
            id: format!("dev-{i}"),
            name: Some("Phone".into()),
            os: Some("iOS".into()),
            app_version: Some("1.2.3".into()),
            last_used: None,
        }];
        new.password_expired = i == 1;
        let user = gw
            .directory
            .create_user(
                &Actor::cli(tenant),
                rosetta_core::CreateUserRequest {
                    user: new,
                    onboarding: rosetta_core::Onboarding::Plain,
                },
            )
            .await
            .unwrap();
        out.push(user);
    }
    out
}

pub(crate) async fn users(gw: &TestGateway, tenant: TenantId) -> Vec<User> {
    gw.directory
        .list_users(&Actor::cli(tenant), &UserFilter::all(), Cursor::Start, 1000)
        .await
        .unwrap()
        .users
}

/// What an import must carry over: every canonical field but those the store gives.
fn canonical(u: &User, with_secrets: bool) -> Value {
    let User {
        id: _,
        uuid: _,
        tenant_id: _,
        username,
        email,
        names,
        status,
        role_number,
        perms,
        website_role,
        default_account_id,
        external_id,
        profile,
        license_types,
        branch_ids,
        groups,
        folders,
        devices,
        last_login_at: _,
        password_expired,
        has_password,
        has_memorable_word: _,
        created_at: _,
        updated_at: _,
        version: _,
    } = u;
    serde_json::json!({
        "username": username, "email": email, "names": names, "status": status,
        "role_number": role_number, "perms": perms, "website_role": website_role,
        "default_account_id": default_account_id, "external_id": external_id,
        "profile": profile, "license_types": license_types, "branch_ids": branch_ids,
        "groups": groups, "folders": folders, "devices": devices,
        "password_expired": password_expired,
        "has_password": with_secrets && *has_password,
    })
}

/// A user as the scim dialect shows it, less what the importing tenant gives or SCIM's
/// `POST` does not take (`id`, `meta`, `groups`).
fn scim_view(u: &User) -> Value {
    let mut v = rosetta_scim::transfer::Resources::new("/scim/v2", Vec::new()).user(u);
    for gone in ["id", "meta", "groups"] {
        v.as_object_mut().unwrap().remove(gone);
    }
    v
}

pub(crate) fn run(gw: &TestGateway, args: &[&str]) -> std::process::Output {
    rosetta(&std::env::temp_dir(), &gw.config.database.url, args)
}

async fn every_format_round_trips(backend: Backend) {
    let gw = TestGateway::start(backend).await;
    let (source, _) = gw.tenant("Source").await;
    let seeded = seed(&gw, source).await;
    let dir = tempfile::tempdir().unwrap();
    for format in ["jsonl", "csv", "scim"] {
        let file = dir.path().join(format!("users.{format}"));
        let file_s = file.to_str().unwrap();
        let src = source.0.to_string();
        let out = json(&run(
            &gw,
            &[
                "user", "export", "--tenant", &src, "--format", format, "--out", file_s, "--json",
            ],
        ));
        assert_eq!(out["users"], 3, "{out}");
        assert_eq!(out["format"], format);
        assert_eq!(out["file"], file_s);

        let (target, _) = gw.tenant(&format!("Target {format}")).await;
        let tgt = target.0.to_string();
        let out = json(&run(
            &gw,
            &[
                "user", "import", "--tenant", &tgt, file_s, "--format", format, "--json",
            ],
        ));
        assert_eq!(out["imported"], 3, "{out}");
        assert_eq!(out["errors"], serde_json::json!([]));

        let imported = users(&gw, target).await;
        assert_eq!(imported.len(), 3);
        for (a, b) in seeded.iter().zip(&imported) {
            assert_ne!(a.uuid, b.uuid, "the importing tenant gives its own uuids");
            assert!(!b.has_memorable_word, "memorable words never leave");
            if format == "scim" {
                assert_eq!(scim_view(a), scim_view(b), "{format}");
            } else {
                assert_eq!(canonical(a, false), canonical(b, false), "{format}");
            }
        }
    }
}

/// Without `--with-password-hashes` no hash is in any format (nor the memorable word, ever);
/// with it, the hash moves as it is and the original password logs in on the importing side.
async fn hashes_only_when_asked(backend: Backend) {
    let gw = TestGateway::start(backend).await;
    let (source, _) = gw.tenant("Source").await;
    let seeded = seed(&gw, source).await;
    let hash = gw
        .directory
        .user_secrets(source, seeded[0].id)
        .await
        .unwrap()
        .password_hash
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let src = source.0.to_string();
    for format in ["jsonl", "csv", "scim"] {
        let file = dir.path().join(format!("plain.{format}"));
        let file_s = file.to_str().unwrap();
        let out = run(
            &gw,
            &[
                "user", "export", "--tenant", &src, "--format", format, "--out", file_s,
            ],
        );
        assert!(out.status.success(), "{out:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            format!("exported 3 users to {file_s}")
        );
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(!text.contains(&hash), "{format}: a hash leaked");
        assert!(!text.contains("$2b$") && !text.contains("$2a$") && !text.contains("$2y$"));
        assert!(!text.contains(WORD) && !text.contains(PASSWORD), "{format}");
        assert!(!text.contains("password_hash\":") && !text.contains("passwordHash"));

        let file = dir.path().join(format!("hashes.{format}"));
        let file_s = file.to_str().unwrap();
        json(&run(
            &gw,
            &[
                "user",
                "export",
                "--tenant",
                &src,
                "--format",
                format,
                "--out",
                file_s,
                "--with-password-hashes",
                "--json",
            ],
        ));
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.contains(&hash),
            "{format}: the hash is written as it is"
        );
        assert!(
            !text.contains(WORD),
            "{format}: memorable words never leave"
        );

        // A fresh gateway (its own database), so the login names one user.
        let other = TestGateway::start(backend).await;
        let (target, _) = other.tenant("Target").await;
        let tgt = target.0.to_string();
        let out = json(&run(
            &other,
            &[
                "user", "import", "--tenant", &tgt, file_s, "--format", format, "--json",
            ],
        ));
        assert_eq!(out["imported"], 3, "{out}");
        let moved = users(&other, target).await;
        assert_eq!(
            other
                .directory
                .user_secrets(target, moved[0].id)
                .await
                .unwrap()
                .password_hash
                .as_deref(),
            Some(hash.as_str()),
            "{format}: stored as is, not hashed again"
        );
        assert!(moved[0].has_password && !moved[2].has_password);
        Keaz::login(&other.client, "person0@example.com", PASSWORD).await;
        let wrong = Keaz::try_login(&other.client, "person0@example.com", "not it").await;
        assert_eq!(wrong.status, 401, "{}", wrong.text);
    }
}

/// One file with five problems: all reported by line in one go, exit 1, nothing written.
async fn a_bad_file_writes_nothing(backend: Backend) {
    let gw = TestGateway::start(backend).await;
    let (tenant, _) = gw.tenant("Target").await;
    gw.user(tenant, "taken", "taken@example.com", PASSWORD)
        .await;
    let line = |user: &str, email: &str, extra: &str| {
        format!(
            r#"{{"shape":"rosetta.user.v1","username":"{user}","email":"{email}","full_name":"A Person"{extra}}}"#
        )
    };
    let file = [
        line("jo", "jo@example.com", ""),
        line("al", "not an email", ""),
        line("JO", "jo2@example.com", ""),
        line("bo", "TAKEN@example.com", ""),
        line(
            "cy",
            "cy@example.com",
            r#","password_hash":"$2b$04$tooshort""#,
        ),
        line("di", "di@example.com", r#","colour":"blue""#),
        line("ed", "ed@example.com", ""),
    ]
    .join("\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.jsonl");
    std::fs::write(&path, file).unwrap();
    let t = tenant.0.to_string();
    let out = run(
        &gw,
        &[
            "user",
            "import",
            "--tenant",
            &t,
            path.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["imported"], 0);
    let errors: Vec<(u64, String, String)> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["field"].as_str().unwrap().to_owned(),
                e["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let at: Vec<(u64, &str)> = errors.iter().map(|(l, f, _)| (*l, f.as_str())).collect();
    assert_eq!(
        at,
        [
            (2, "email"),
            (3, "username"),
            (4, "email"),
            (5, "password_hash"),
            (6, "line")
        ],
        "{errors:?}"
    );
    assert!(
        errors[1].2.contains("line 1"),
        "both lines named: {errors:?}"
    );
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("tooshort"),
        "a hash is not echoed"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("5 problems") && err.contains("no user was imported"),
        "{err}"
    );
    assert_eq!(users(&gw, tenant).await.len(), 1, "nothing was written");

    // The same file without --json: every problem on stderr, by line.
    let out = run(
        &gw,
        &["user", "import", "--tenant", &t, path.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 3: username: is also on line 1"), "{err}");
    assert!(out.stdout.is_empty());

    // A CSV whose duplicate userName differs in case only.
    let csv = "name,email,username\r\nA One,a1@example.com,Sam\r\nB Two,b2@example.com,sam\r\n";
    let path = dir.path().join("dup.csv");
    std::fs::write(&path, csv).unwrap();
    let out = run(
        &gw,
        &[
            "user",
            "import",
            "--tenant",
            &t,
            path.to_str().unwrap(),
            "--json",
        ],
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["errors"][0]["line"], 3, "{v}");
    assert_eq!(v["errors"][0]["field"], "username");
    assert!(v["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("line 2"));
    assert_eq!(users(&gw, tenant).await.len(), 1, "nothing was written");
}

backend_tests!(
    every_format_round_trips,
    hashes_only_when_asked,
    a_bad_file_writes_nothing
);
