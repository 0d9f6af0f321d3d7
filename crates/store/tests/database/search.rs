//! Substring search through the trigram indexes (migration `search_trigram`): terms of three
//! characters or more, which the v2 name search and the query model's co/sw/ew find by index,
//! answer exactly what the scan did (case folding beyond ASCII, `%` and `_` as themselves, a
//! quote in the term, tenant isolation, negation) and follow renames and deletions (the
//! SQLite triggers, PostgreSQL's GIN indexes).

use rosetta_core::{
    Actor, CompareOp, Comparison, Condition, Cursor, NameInput, Query, UpdateUserRequest, User,
    UserAttr, UserFilter, UserPatch, UserQuery, Value,
};
use rosetta_testkit::{backend_tests, Backend, Fixtures, TestDirectory};

fn cmp(attr: UserAttr, op: CompareOp, value: &str) -> Condition<UserAttr> {
    Condition::Compare(Comparison {
        attr,
        op,
        value: Value::Text(value.into()),
        case_exact: false,
    })
}

struct World {
    app: TestDirectory,
    actor: Actor,
    users: Vec<User>,
}

async fn world(backend: Backend) -> World {
    let app = TestDirectory::open(backend).await;
    let (tenant, _) = app.tenant("Acme").await;
    let mut users = Vec::new();
    for (n, email, full) in [
        (
            "ada.lovelace",
            "Ada.Lovelace@Example.com",
            "Ada King Lovelace",
        ),
        ("zoe", "zoe@sample.net", "Zoë Ëlé Brontë"),
        ("cy", "cy@example.org", "Cy 50% Young"),
        ("quo", "quo@example.org", "Say \"Hi\" There"),
    ] {
        let u = app
            .user_with(tenant, n, email, "letmein", |u| {
                u.name = NameInput::Full(full.into());
            })
            .await;
        users.push(u);
    }
    // Another tenant's user who would match the same terms.
    let (other, _) = app.tenant("Other").await;
    app.user_with(
        other,
        "ada.lovelace",
        "ada.lovelace@example.com",
        "letmein",
        |u| {
            u.name = NameInput::Full("Ada King Lovelace".into());
        },
    )
    .await;
    World {
        actor: Actor::cli(tenant),
        app,
        users,
    }
}

impl World {
    /// The v2 search: total and usernames of the first page.
    async fn v2(&self, term: &str) -> (u64, Vec<String>) {
        let f = UserFilter {
            name_contains: Some(term.into()),
            ..UserFilter::all()
        };
        let p = self
            .app
            .directory
            .list_users(&self.actor, &f, Cursor::Start, 100)
            .await
            .unwrap();
        let names = p.users.iter().map(|u| u.username.as_str().to_owned());
        (p.total, names.collect())
    }

    /// The query model: total and usernames.
    async fn query(&self, filter: Condition<UserAttr>) -> (u64, Vec<String>) {
        let q: UserQuery = Query {
            filter: Some(filter),
            sort: None,
            offset: 0,
            limit: 100,
        };
        let p = self
            .app
            .directory
            .query_users(&self.actor, &q)
            .await
            .unwrap();
        let names = p.items.iter().map(|u| u.username.as_str().to_owned());
        (p.total, names.collect())
    }
}

fn found(names: &[&str]) -> (u64, Vec<String>) {
    (
        names.len() as u64,
        names.iter().map(|s| (*s).to_owned()).collect(),
    )
}

async fn indexed_terms_match_as_the_scan_did(backend: Backend) {
    let w = world(backend).await;
    for (term, want) in [
        ("LOVELACE", &["ada.lovelace"][..]),
        ("ada king lovelace", &["ada.lovelace"]),
        ("ËLÉ", &["zoe"]),
        ("zoë ë", &["zoe"]),
        ("zoe", &[]),
        ("50%", &["cy"]),
        ("y 50% y", &["cy"]),
        ("0_%", &[]),
        ("%%%", &[]),
        ("___", &[]),
        ("\"hi\"", &["quo"]),
        ("\"hi\" t", &["quo"]),
        ("ada\"", &[]),
        ("nobody at all", &[]),
    ] {
        assert_eq!(w.v2(term).await, found(want), "v2 Name={term:?}");
    }

    use CompareOp::*;
    use UserAttr as U;
    let not = |c| Condition::Not(Box::new(c));
    for (filter, want) in [
        (cmp(U::FirstName, Eq, "ADA"), &["ada.lovelace"][..]),
        (cmp(U::FirstName, Eq, "ada king"), &[]),
        (cmp(U::LastName, Co, "OVELA"), &["ada.lovelace"]),
        (cmp(U::LastName, Co, "ada"), &[]),
        (cmp(U::FirstName, Sw, "zoë"), &["zoe"]),
        (cmp(U::FullName, Sw, "ada k"), &["ada.lovelace"]),
        (cmp(U::FullName, Ew, "BRONTË"), &["zoe"]),
        (cmp(U::FullName, Co, "50%"), &["cy"]),
        (cmp(U::Username, Sw, "ADA.L"), &["ada.lovelace"]),
        (cmp(U::Username, Co, "a.l"), &["ada.lovelace"]),
        (cmp(U::Username, Ew, "ace"), &["ada.lovelace"]),
        (cmp(U::Email, Ew, "EXAMPLE.ORG"), &["cy", "quo"]),
        (cmp(U::Email, Co, "@sample"), &["zoe"]),
        (cmp(U::Email, Sw, "example"), &[]),
        (not(cmp(U::LastName, Co, "lovelace")), &["zoe", "cy", "quo"]),
        (cmp(U::LastName, Ne, "king lovelace"), &["zoe", "cy", "quo"]),
        (
            Condition::Or(vec![
                cmp(U::Username, Co, "lovelace"),
                cmp(U::Email, Co, "cy@"),
            ]),
            &["ada.lovelace", "cy"],
        ),
        (
            Condition::And(vec![
                cmp(U::Email, Co, "example"),
                not(cmp(U::Username, Sw, "quo")),
            ]),
            &["ada.lovelace", "cy"],
        ),
    ] {
        assert_eq!(w.query(filter.clone()).await, found(want), "{filter:?}");
    }
}

async fn the_index_follows_renames_and_deletions(backend: Backend) {
    let w = world(backend).await;
    let dir = &w.app.directory;
    let ada = &w.users[0];
    let patch = UserPatch {
        name: Some(NameInput::Parts {
            first: "Amelia".into(),
            last: "Pond".into(),
        }),
        email: Some("amelia@tardis.example".into()),
        ..UserPatch::default()
    };
    dir.update_user(
        &w.actor,
        UpdateUserRequest {
            id: ada.id,
            patch,
            expected_version: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(w.v2("lovelace").await, found(&[]));
    assert_eq!(w.v2("amelia pond").await, found(&["ada.lovelace"]));
    assert_eq!(
        w.query(cmp(UserAttr::Email, CompareOp::Co, "tardis")).await,
        found(&["ada.lovelace"])
    );
    assert_eq!(
        w.query(cmp(UserAttr::Email, CompareOp::Co, "ada.lovelace"))
            .await,
        found(&[])
    );
    // An update that leaves the keys alone keeps the user findable.
    let patch = UserPatch {
        default_account_id: Some(Some(9)),
        ..UserPatch::default()
    };
    dir.update_user(
        &w.actor,
        UpdateUserRequest {
            id: ada.id,
            patch,
            expected_version: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(w.v2("pond").await, found(&["ada.lovelace"]));

    dir.delete_user(&w.actor, w.users[2].id).await.unwrap();
    assert_eq!(w.v2("50%").await, found(&[]));
    assert_eq!(
        w.query(cmp(UserAttr::Username, CompareOp::Sw, "cy")).await,
        found(&[])
    );
    assert_eq!(w.v2("young").await, found(&[]));
}

backend_tests!(
    indexed_terms_match_as_the_scan_did,
    the_index_follows_renames_and_deletions
);
