//! The equality filters identity providers send (SCIM `userName eq`, `externalId eq`,
//! `emails.value eq`, `id eq`, `displayName eq`; for Groups `displayName eq`, `externalId eq`,
//! `id eq`) are answered from an index, on both backends. The plans are the database's own
//! (`EXPLAIN QUERY PLAN` / `EXPLAIN`) for the very statements `query_users` and `query_groups`
//! run (`rosetta_store::explain`), over a tenant of a few thousand users after `ANALYZE`, with a
//! second tenant beside it so the tenant column alone would not be selective enough either.

use crate::records::plain;
use rosetta_core::{
    Actor, CompareOp, Comparison, Condition, CreateGroupRequest, GroupAttr, Members, Names, Query,
    SecretChange, TenantId, UserAttr, UserRecord, Value,
};
use rosetta_store::explain::{self, QueryPlans};
use rosetta_store::{BulkAudit, BulkUser, DieselStore};
use rosetta_testkit::{backend_tests, Backend, Fixtures, TestDirectory};

const USERS: usize = 3_000;
// Groups are written one by one through the directory (there is no bulk load for them):
// enough that PostgreSQL would not rather read the whole table.
const GROUPS: usize = 2_000;

fn record(tenant: TenantId, t: usize, n: usize) -> UserRecord {
    plain(
        tenant,
        &format!("t{t}user{n}"),
        &format!("T{t}User{n}@Example.com"),
        Names::from_full(&format!("Person{n} Family{}", n % 97)).unwrap(),
        format!("EXT-{t}-{n}"),
    )
}

/// The comparison as the SCIM dialect builds it: `caseExact` from the schema (`id` and
/// `externalId` exact, the others folded).
fn eq<A>(attr: A, value: &str, case_exact: bool) -> Condition<A> {
    Condition::Compare(Comparison {
        attr,
        op: CompareOp::Eq,
        value: Value::Text(value.into()),
        case_exact,
    })
}

/// Both plans use one of `indexes` and neither reads the whole table.
#[track_caller]
fn assert_indexed(what: &str, plans: &QueryPlans, table: &str, indexes: &[&str]) {
    for (statement, plan) in [("count", &plans.count), ("page", &plans.page)] {
        let ctx = format!("{what} ({statement}):\n{plan}");
        assert!(
            indexes.iter().any(|i| plan.contains(i)),
            "{ctx}\nuses none of {indexes:?}"
        );
        // SQLite: `SCAN users` (a full scan; `SEARCH` is a seek). PostgreSQL: `Seq Scan on
        // users`. Only of the table asked: a count also reads `import_batches`, a handful of
        // rows at most, whole (`rows::users::visible_count`).
        for line in plan.lines() {
            let l = line.trim_start_matches(|c: char| !c.is_ascii_alphabetic());
            assert!(
                !(l.starts_with(&format!("SCAN {table}"))
                    || l.contains(&format!("Seq Scan on {table}"))),
                "{ctx}\nscans the table"
            );
        }
        // PostgreSQL says `Index Scan`, `Index Only Scan` or `Bitmap Index Scan`; SQLite
        // `USING INDEX` or `USING COVERING INDEX`.
        assert!(
            plan.contains("Index Scan")
                || plan.contains("Index Only Scan")
                || plan.contains("USING INDEX")
                || plan.contains("USING COVERING INDEX"),
            "{ctx}\nis no index scan"
        );
    }
}

async fn equality_filters_use_indexes(backend: Backend) {
    let app = TestDirectory::open(backend).await;
    let store = DieselStore::new(app.db.clone());
    let hash = app
        .directory
        .hasher()
        .hash("letmein".into(), 4)
        .await
        .unwrap();
    let mut tenants = Vec::new();
    for t in 0..2 {
        let (tenant, _) = app.tenant(&format!("Tenant {t}")).await;
        let users: Vec<BulkUser> = (0..USERS)
            .map(|n| BulkUser {
                record: record(tenant, t, n),
                secrets: SecretChange {
                    password_hash: Some(hash.clone()),
                    memorable_word_enc: None,
                },
            })
            .collect();
        let audit = BulkAudit {
            actor: "cli".into(),
            dialect: "bulk".into(),
        };
        let loaded = store
            .bulk_insert_users(users, audit, chrono::Utc::now())
            .await
            .unwrap();
        tenants.push((tenant, loaded));
    }
    let (tenant, loaded) = &tenants[0];
    let tenant = *tenant;
    let actor = Actor::cli(tenant);
    let mut group_ids = Vec::new();
    for g in 0..GROUPS {
        let group = app
            .directory
            .create_group(
                &actor,
                CreateGroupRequest {
                    display_name: format!("Group {g}"),
                    external_id: Some(format!("GEXT-{g}")),
                    // The first hundred with a member each.
                    members: loaded
                        .get(g)
                        .filter(|_| g < 100)
                        .map(|(_, u)| vec![*u])
                        .unwrap_or_default(),
                },
            )
            .await
            .unwrap();
        group_ids.push(group.uuid);
    }
    store.finish_bulk_load().await.unwrap();

    let uuid = loaded[1234].1.to_string();
    let users = [
        (
            "userName eq",
            eq(UserAttr::Username, "T0USER1234", false),
            &["users_tenant_username_key_idx", "users_username_key_idx"][..],
        ),
        (
            "externalId eq",
            eq(UserAttr::ExternalId, "EXT-0-1234", true),
            &["users_tenant_external_id_idx"][..],
        ),
        (
            "emails.value eq",
            eq(UserAttr::Email, "t0user1234@example.com", false),
            &["users_tenant_email_key_idx", "users_email_key_idx"][..],
        ),
        (
            "id eq",
            eq(UserAttr::Uuid, &uuid, true),
            &["users_uuid_idx"][..],
        ),
        (
            "displayName eq",
            eq(UserAttr::FullName, "person1234 family70", false),
            &["users_tenant_full_name_key_idx"][..],
        ),
    ];
    for (what, filter, indexes) in users {
        // A SCIM list's page: startIndex 1, count 100, no sortBy.
        let query = Query {
            filter: Some(filter),
            ..Query::all(100)
        };
        let plans = explain::users(&app.db, tenant, &query)
            .await
            .unwrap()
            .unwrap();
        assert_indexed(what, &plans, "users", indexes);
        // And the statement finds the one user it plans for.
        let found = app.directory.query_users(&actor, &query).await.unwrap();
        assert_eq!(found.total, 1, "{what}");
        assert_eq!(found.items[0].uuid, loaded[1234].1, "{what}");
    }

    // While no import is pending a count reads its index alone: the statement asks
    // `import_batches` first and filters by the marker (which no index holds, so every
    // row would be read) only when it finds a pending row (`rows::users::visible_count`).
    if backend == Backend::Sqlite {
        let plans = explain::users(&app.db, tenant, &Query::all(100))
            .await
            .unwrap()
            .unwrap();
        let count = &plans.count;
        assert!(count.contains("import_batches"), "{count}");
        assert!(
            count
                .lines()
                .any(|l| l.contains("USING COVERING INDEX users_tenant")),
            "the count reads rows:\n{count}"
        );
    }

    let gid = group_ids[77].to_string();
    let groups = [
        (
            "Group displayName eq",
            eq(GroupAttr::DisplayName, "group 77", false),
            &["groups_tenant_display_key_idx"][..],
        ),
        (
            "Group externalId eq",
            eq(GroupAttr::ExternalId, "GEXT-77", true),
            &["groups_tenant_external_id_idx"][..],
        ),
        (
            "Group id eq",
            eq(GroupAttr::Uuid, &gid, true),
            &["groups_tenant_uuid_idx"][..],
        ),
    ];
    for (what, filter, indexes) in groups {
        let query = Query {
            filter: Some(filter),
            ..Query::all(100)
        };
        let plans = explain::groups(&app.db, tenant, &query)
            .await
            .unwrap()
            .unwrap();
        assert_indexed(what, &plans, "groups", indexes);
        let found = app
            .directory
            .query_groups(&actor, &query, Members::Exclude)
            .await
            .unwrap();
        assert_eq!(found.total, 1, "{what}");
    }
}

backend_tests!(equality_filters_use_indexes);
