//! The groups migration's upgrade path: a database holding users with v2 `Groups` lists from
//! before groups were entities, migrated, has each GUID as a group with those members.

use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use rosetta_core::{Actor, Members, TenantId, UserKey};
use rosetta_store::DbUrl;
use rosetta_testkit::{backend_tests, open_directory, test_settings, Backend, TestDatabase};
use uuid::Uuid;

const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");
const GROUPS: &str = "2026120100001";

/// Every migration before the groups one.
fn migrate_before_groups<C, S>(conn: &mut C, source: S)
where
    C: MigrationHarness<<C as Connection>::Backend> + Connection,
    S: MigrationSource<<C as Connection>::Backend>,
{
    // Creates the migrations table, as running them all would.
    conn.applied_migrations().unwrap();
    let mut all = source.migrations().unwrap();
    all.sort_by_key(|m| m.name().version().to_string());
    for m in all {
        let version = m.name().version().to_string();
        if version.replace('-', "").starts_with(&format!("{GROUPS}7")) {
            break;
        }
        conn.run_migration(&*m).unwrap();
    }
}

fn old_rows(g1: Uuid, g2: Uuid) -> String {
    let user = |id: i64, tenant: i64, name: &str, groups: &str| {
        format!(
            "INSERT INTO users (id, uuid, tenant_id, username, username_key, email, email_key, \
             full_name, first_name, last_name, name_key, status, role_number, group_ids, \
             created_at, updated_at) VALUES ({id}, '{}', {tenant}, '{name}', '{name}', \
             '{name}@example.com', '{name}@example.com', 'Full {name}', 'Full', '{name}', \
             'full {name}' || char_nl || 'full' || char_nl || '{name}', 'active', 2, '{groups}', 1, 1);",
            Uuid::new_v4()
        )
    };
    [
        "INSERT INTO tenants (id, name, integration_key_hash, created_at) VALUES (1, 'A', 'h', 1), (2, 'B', 'h2', 1);".to_owned(),
        user(1, 1, "ann", &format!("[\"{g1}\",\"{g2}\"]")),
        user(2, 1, "ben", &format!("[\"{g1}\"]")),
        user(3, 1, "cat", "[]"),
        // the same GUID in another tenant: a group of that tenant
        user(4, 2, "dan", &format!("[\"{g1}\"]")),
    ]
    .join("\n")
}

async fn stored_group_lists_become_groups(backend: Backend) {
    let database = tokio::task::spawn_blocking(move || TestDatabase::empty(backend))
        .await
        .unwrap();
    let (g1, g2) = (Uuid::new_v4(), Uuid::new_v4());
    let url = database.url().to_owned();
    let sql = old_rows(g1, g2);
    tokio::task::spawn_blocking(move || match DbUrl::parse(&url).unwrap() {
        DbUrl::Sqlite(path) => {
            let mut c = SqliteConnection::establish(&path).unwrap();
            migrate_before_groups(&mut c, SQLITE);
            c.batch_execute(&sql.replace("char_nl", "char(10)"))
                .unwrap();
        }
        DbUrl::Postgres(url) => {
            let mut c = PgConnection::establish(&url).unwrap();
            migrate_before_groups(&mut c, POSTGRES);
            c.batch_execute(&sql.replace("char_nl", "chr(10)")).unwrap();
        }
    })
    .await
    .unwrap();
    // The gateway migrates the rest when it opens the database.
    let (dir, _db) = open_directory(&database, test_settings()).await;
    let a = Actor::cli(TenantId(1));
    let ann = dir
        .get_user(&a, UserKey::Username("ann".into()))
        .await
        .unwrap();
    let mut want = vec![g1, g2];
    want.sort();
    let mut got = ann.groups.clone();
    got.sort();
    assert_eq!(got, want);
    let group = dir.get_group(&a, g1, Members::Include).await.unwrap();
    assert_eq!(group.display_name, g1.to_string());
    let names: Vec<&str> = group.members.iter().map(|m| m.display.as_str()).collect();
    assert_eq!(names, ["Full ann", "Full ben"]);
    let cat = dir
        .get_user(&a, UserKey::Username("cat".into()))
        .await
        .unwrap();
    assert!(cat.groups.is_empty());
    // the full-name key was filled from name_key: displayName eq finds them
    let by_name = dir
        .query_users(
            &a,
            &rosetta_core::Query {
                filter: Some(rosetta_core::Condition::Compare(rosetta_core::Comparison {
                    attr: rosetta_core::UserAttr::FullName,
                    op: rosetta_core::CompareOp::Eq,
                    value: rosetta_core::Value::Text("FULL BEN".into()),
                    case_exact: false,
                })),
                ..rosetta_core::Query::all(10)
            },
        )
        .await
        .unwrap();
    assert_eq!(by_name.total, 1);
    let b = Actor::cli(TenantId(2));
    let theirs = dir.get_group(&b, g1, Members::Include).await.unwrap();
    assert_eq!(theirs.members.len(), 1);
    assert!(dir.get_group(&b, g2, Members::Include).await.is_err());
}

backend_tests!(stored_group_lists_become_groups);
