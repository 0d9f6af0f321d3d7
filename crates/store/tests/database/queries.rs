//! The query model answered by the database: every operator, and/or/not, case folding,
//! absent values, sort, paging and the count, tenant isolation.

use rosetta_core::{
    Actor, CompareOp, Comparison, Condition, CoreError, CreateGroupRequest, Field, GroupAttr,
    GroupQuery, Members, NameInput, Query, Sort, User, UserAttr, UserQuery, Value,
};
use rosetta_testkit::{backend_tests, Backend, Fixtures, TestDirectory};

fn cmp<A>(attr: A, op: CompareOp, value: &str) -> Condition<A> {
    Condition::Compare(Comparison {
        attr,
        op,
        value: Value::Text(value.into()),
        case_exact: false,
    })
}

fn exact<A>(attr: A, op: CompareOp, value: &str) -> Condition<A> {
    Condition::Compare(Comparison {
        attr,
        op,
        value: Value::Text(value.into()),
        case_exact: true,
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
    // (username, email, full name, external id, employee id)
    for (n, email, full, ext, emp) in [
        (
            "ada",
            "Ada@Example.com",
            "Ada King Lovelace",
            Some("E-1"),
            Some("EMP-7"),
        ),
        ("bob", "bob@example.org", "Bob Smith", None, None),
        ("Cy_", "cy@example.com", "Cy 50% Young", Some("e-2"), None),
        ("dee", "dee@sample.net", "Dee Lovelace", None, Some("emp-8")),
    ] {
        let u = app
            .user_with(tenant, n, email, "letmein", |u| {
                u.name = NameInput::Full(full.into());
                u.external_id = ext.map(str::to_owned);
                u.profile.employee_id = emp.map(str::to_owned);
                if n == "bob" {
                    u.status = rosetta_core::Status::Inactive;
                    u.role_number = Some(2);
                    u.perms = vec!["fleet".into(), "admin".into()];
                }
            })
            .await;
        users.push(u);
    }
    // a user of another tenant who would match everything
    let (other, _) = app.tenant("Other").await;
    app.user_with(other, "ada2", "ada@example.com", "letmein", |u| {
        u.name = NameInput::Full("Ada King Lovelace".into());
        u.external_id = Some("E-1".into());
    })
    .await;
    World {
        actor: Actor::cli(tenant),
        app,
        users,
    }
}

impl World {
    async fn names(&self, filter: Condition<UserAttr>) -> Vec<String> {
        self.page(Some(filter), None, 0, 100).await.1
    }

    async fn page(
        &self,
        filter: Option<Condition<UserAttr>>,
        sort: Option<Sort<UserAttr>>,
        offset: u64,
        limit: u32,
    ) -> (u64, Vec<String>) {
        let q: UserQuery = Query {
            filter,
            sort,
            offset,
            limit,
        };
        let p = self
            .app
            .directory
            .query_users(&self.actor, &q)
            .await
            .unwrap();
        (
            p.total,
            p.items
                .iter()
                .map(|u| u.username.as_str().to_owned())
                .collect(),
        )
    }
}

async fn user_operators(backend: Backend) {
    let w = world(backend).await;
    use CompareOp::*;
    use UserAttr as U;
    let cases: Vec<(Condition<UserAttr>, &[&str])> = vec![
        (cmp(U::Username, Eq, "ADA"), &["ada"]),
        (exact(U::Username, Eq, "ADA"), &[]),
        (cmp(U::Username, Ne, "ada"), &["bob", "Cy_", "dee"]),
        (cmp(U::Username, Co, "y_"), &["Cy_"]),
        (cmp(U::Username, Sw, "b"), &["bob"]),
        (cmp(U::Username, Ew, "E"), &["dee"]),
        (exact(U::Username, Sw, "C"), &["Cy_"]),
        (exact(U::Username, Sw, "c"), &[]),
        (exact(U::Username, Ew, "y_"), &["Cy_"]),
        (exact(U::Username, Co, "Y"), &[]),
        (cmp(U::Username, Gt, "bob"), &["Cy_", "dee"]),
        (cmp(U::Username, Ge, "bob"), &["bob", "Cy_", "dee"]),
        (cmp(U::Username, Lt, "bob"), &["ada"]),
        (cmp(U::Username, Le, "bob"), &["ada", "bob"]),
        (cmp(U::Email, Eq, "ada@example.COM"), &["ada"]),
        (cmp(U::Email, Ew, "@EXAMPLE.com"), &["ada", "Cy_"]),
        (cmp(U::Email, Co, "sample"), &["dee"]),
        (cmp(U::FullName, Eq, "ada king lovelace"), &["ada"]),
        (cmp(U::FullName, Co, "50%"), &["Cy_"]),
        (cmp(U::FullName, Co, "5_%"), &[]),
        (cmp(U::FullName, Ew, "lovelace"), &["ada", "dee"]),
        (exact(U::FullName, Eq, "Bob Smith"), &["bob"]),
        (cmp(U::FirstName, Eq, "ADA"), &["ada"]),
        (cmp(U::FirstName, Co, "king"), &[]),
        (cmp(U::LastName, Eq, "lovelace"), &["dee"]),
        (cmp(U::LastName, Sw, "king"), &["ada"]),
        (cmp(U::LastName, Gt, "m"), &["bob"]),
        (exact(U::ExternalId, Eq, "E-1"), &["ada"]),
        (exact(U::ExternalId, Eq, "e-1"), &[]),
        (cmp(U::ExternalId, Eq, "e-1"), &["ada"]),
        (cmp(U::ExternalId, Sw, "E-"), &["ada", "Cy_"]),
        // ne is not eq: users without an external id differ from it
        (exact(U::ExternalId, Ne, "E-1"), &["bob", "Cy_", "dee"]),
        (Condition::Present(U::ExternalId), &["ada", "Cy_"]),
        (Condition::Present(U::EmployeeId), &["ada", "dee"]),
        (cmp(U::EmployeeId, Sw, "emp"), &["ada", "dee"]),
        (exact(U::EmployeeId, Ew, "8"), &["dee"]),
        (cmp(U::Status, Eq, "inactive"), &["bob"]),
        (cmp(U::Active, Eq, "False"), &["bob"]),
        (cmp(U::Active, Ne, "false"), &["ada", "Cy_", "dee"]),
        (cmp(U::RoleNumber, Lt, "6"), &["bob"]),
        (cmp(U::Perm, Eq, "admin"), &["bob"]),
        (cmp(U::Perm, Eq, "adm"), &[]),
        (cmp(U::Perm, Sw, "fl"), &["bob"]),
        (cmp(U::Perm, Ew, "eet"), &["bob"]),
        (cmp(U::Perm, Co, "dmi"), &["bob"]),
        (Condition::Present(U::Perm), &["bob"]),
        (
            cmp(U::Uuid, Eq, &w.users[2].uuid.to_string().to_uppercase()),
            &["Cy_"],
        ),
        (cmp(U::Uuid, Eq, "nope"), &[]),
        (cmp(U::Uuid, Ne, "nope"), &["ada", "bob", "Cy_", "dee"]),
        (cmp(U::Username, Eq, "a\0"), &[]),
        (
            Condition::Not(Box::new(cmp(U::Username, Eq, "a\0"))),
            &["ada", "bob", "Cy_", "dee"],
        ),
        (
            Condition::And(vec![
                cmp(U::FullName, Co, "lovelace"),
                Condition::Not(Box::new(cmp(U::Email, Ew, "sample.net"))),
            ]),
            &["ada"],
        ),
        (
            Condition::Or(vec![
                cmp(U::Username, Eq, "bob"),
                Condition::And(vec![
                    Condition::Present(U::ExternalId),
                    cmp(U::Email, Sw, "cy"),
                ]),
            ]),
            &["bob", "Cy_"],
        ),
        (Condition::Or(vec![]), &[]),
        (Condition::And(vec![]), &["ada", "bob", "Cy_", "dee"]),
    ];
    for (filter, want) in cases {
        let got = w.names(filter.clone()).await;
        assert_eq!(got, want.to_vec(), "{filter:?}");
    }
    // times: everyone was created at or before now, nobody after
    let now = chrono::Utc::now() + chrono::Duration::seconds(1);
    let at = |op| {
        Condition::Compare(Comparison {
            attr: U::CreatedAt,
            op,
            value: Value::Time(now),
            case_exact: false,
        })
    };
    assert_eq!(w.names(at(Le)).await.len(), 4);
    assert!(w.names(at(Gt)).await.is_empty());
    // a wrong value type is a filter error, as is an operator the attribute does not take
    let bad = w
        .app
        .directory
        .query_users(
            &w.actor,
            &Query {
                filter: Some(cmp(U::Active, Gt, "true")),
                ..Query::all(10)
            },
        )
        .await;
    assert!(
        matches!(
            bad,
            Err(CoreError::Validation {
                field: Field::Filter,
                ..
            })
        ),
        "{bad:?}"
    );
}

async fn sort_paging_and_count(backend: Backend) {
    let w = world(backend).await;
    let by = |attr, descending| Some(Sort { attr, descending });
    assert_eq!(
        w.page(None, by(UserAttr::Username, false), 0, 10).await,
        (
            4,
            vec!["ada".into(), "bob".into(), "Cy_".into(), "dee".into()]
        )
    );
    assert_eq!(
        w.page(None, by(UserAttr::Email, true), 0, 2).await,
        (4, vec!["dee".into(), "Cy_".into()])
    );
    // pages tile
    assert_eq!(
        w.page(None, by(UserAttr::FullName, false), 2, 2).await,
        (4, vec!["Cy_".into(), "dee".into()])
    );
    // a limit of 0 gives only the count, an offset past the end none
    assert_eq!(
        w.page(
            Some(cmp(UserAttr::Email, CompareOp::Co, "example")),
            None,
            0,
            0
        )
        .await,
        (3, vec![])
    );
    assert_eq!(w.page(None, None, 10, 5).await, (4, vec![]));
    // no sort: creation order
    assert_eq!(
        w.page(None, None, 1, 2).await,
        (4, vec!["bob".into(), "Cy_".into()])
    );
    // ties keep creation order
    assert_eq!(
        w.page(None, by(UserAttr::Active, false), 0, 4).await.1,
        vec!["ada", "Cy_", "dee", "bob"]
    );
}

async fn group_queries_and_membership_filters(backend: Backend) {
    let w = world(backend).await;
    let dir = &w.app.directory;
    let mk = |name: &str, ext: Option<&str>, members: Vec<&User>| CreateGroupRequest {
        display_name: name.into(),
        external_id: ext.map(str::to_owned),
        members: members.into_iter().map(|u| u.uuid).collect(),
    };
    let eng = dir
        .create_group(
            &w.actor,
            mk("Engineers", Some("G-1"), vec![&w.users[0], &w.users[1]]),
        )
        .await
        .unwrap();
    let ops = dir
        .create_group(&w.actor, mk("Ops", None, vec![&w.users[1]]))
        .await
        .unwrap();
    dir.create_group(&w.actor, mk("Empty", None, vec![]))
        .await
        .unwrap();
    use CompareOp::*;
    let groups = |filter| group_names(dir, &w.actor, filter);
    assert_eq!(
        groups(cmp(GroupAttr::DisplayName, Eq, "engineers")).await,
        ["Engineers"]
    );
    assert!(groups(exact(GroupAttr::DisplayName, Eq, "engineers"))
        .await
        .is_empty());
    assert_eq!(
        groups(cmp(GroupAttr::DisplayName, Co, "p")).await,
        ["Empty", "Ops"]
    );
    assert_eq!(
        groups(exact(GroupAttr::ExternalId, Eq, "G-1")).await,
        ["Engineers"]
    );
    assert_eq!(
        groups(cmp(GroupAttr::Uuid, Eq, &ops.uuid.to_string())).await,
        ["Ops"]
    );
    let bob = w.users[1].uuid.to_string();
    assert_eq!(
        groups(cmp(GroupAttr::Member, Eq, &bob)).await,
        ["Engineers", "Ops"]
    );
    assert_eq!(groups(cmp(GroupAttr::Member, Ne, &bob)).await, ["Empty"]);
    assert_eq!(
        groups(Condition::Present(GroupAttr::Member)).await,
        ["Engineers", "Ops"]
    );
    // members come with the page when asked for
    let q: GroupQuery = Query {
        filter: Some(cmp(GroupAttr::DisplayName, Eq, "Engineers")),
        ..Query::all(10)
    };
    let page = dir
        .query_groups(&w.actor, &q, Members::Include)
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].members.len(), 2);
    // users by membership
    let eng_id = eng.uuid.to_string();
    assert_eq!(
        w.names(cmp(UserAttr::Group, Eq, &eng_id)).await,
        ["ada", "bob"]
    );
    assert_eq!(
        w.names(cmp(UserAttr::Group, Ne, &eng_id)).await,
        ["Cy_", "dee"]
    );
    assert_eq!(
        w.names(Condition::Present(UserAttr::Group)).await,
        ["ada", "bob"]
    );
    // another tenant sees none of it
    let (other, _) = w.app.tenant("Third").await;
    let them = Actor::cli(other);
    let all = dir
        .query_groups(&them, &Query::all(10), Members::Exclude)
        .await
        .unwrap();
    assert_eq!(all.total, 0);
}

async fn group_names(
    dir: &rosetta_core::Directory,
    actor: &Actor,
    filter: Condition<GroupAttr>,
) -> Vec<String> {
    let q: GroupQuery = Query {
        filter: Some(filter),
        sort: Some(Sort {
            attr: GroupAttr::DisplayName,
            descending: false,
        }),
        offset: 0,
        limit: 10,
    };
    dir.query_groups(actor, &q, Members::Exclude)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|g| g.display_name)
        .collect()
}

backend_tests!(
    user_operators,
    sort_paging_and_count,
    group_queries_and_membership_filters
);
