//! The reads of one user that every GET by id makes (the session look-up, the user by key, the
//! user with its live-session count), counted in statements on a real connection through
//! Diesel's instrumentation: how many each runs, and that the second run prepares nothing
//! (its statement was cached). A regression here is a round trip per request on PostgreSQL,
//! or a parse per request on SQLite, which no functional test would notice.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use chrono::Utc;
use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::prelude::*;
use rosetta_core::{
    Email, Names, NewSession, Profile, SecretChange, SessionKind, Status, TenantId, UserId,
    UserKey, UserRecord, Username,
};
use uuid::Uuid;

use crate::db::{run_migrations, DbConn, DbUrl};
use crate::rows::groups::set_user_groups;
use crate::rows::sessions::SessionValues;
use crate::rows::tenants::{RoleCache, TenantValues};
use crate::rows::user_values::NewUserRow;
use crate::rows::users::load_user;
use crate::schema::{sessions, tenants};
use crate::session_store::session_with_user;
use crate::user_store::user_with_live_sessions;

/// Statements started and statements prepared into the cache since the last `take`.
#[derive(Default, Clone)]
struct Counts(Arc<Mutex<(usize, usize)>>);

impl Counts {
    fn take(&self) -> (usize, usize) {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

impl Instrumentation for Counts {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        let mut c = self.0.lock().unwrap();
        match event {
            InstrumentationEvent::StartQuery { .. } => c.0 += 1,
            InstrumentationEvent::CacheQuery { .. } => c.1 += 1,
            _ => {}
        }
    }
}

/// A migrated database of its own: a temporary SQLite file, or a PostgreSQL database made on
/// `ROSETTA_TEST_POSTGRES_URL`'s server and dropped with the guard.
struct Scratch {
    url: DbUrl,
    drop_pg: Option<(String, String)>,
    dir: Option<std::path::PathBuf>,
}

impl Scratch {
    fn sqlite() -> Self {
        let dir = std::env::temp_dir().join(format!("rosetta-single-read-{}", Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = DbUrl::Sqlite(dir.join("t.db").to_string_lossy().into_owned());
        run_migrations(&url).unwrap();
        Self {
            url,
            drop_pg: None,
            dir: Some(dir),
        }
    }

    fn postgres() -> Option<Self> {
        let admin = std::env::var("ROSETTA_TEST_POSTGRES_URL").ok()?;
        let name = format!("rosetta_sr_{}", Uuid::new_v4().simple());
        let mut conn = PgConnection::establish(&admin).unwrap();
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .unwrap();
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
        let url = DbUrl::Postgres(format!("{base}/{name}"));
        run_migrations(&url).unwrap();
        Some(Self {
            url,
            drop_pg: Some((admin, name)),
            dir: None,
        })
    }

    fn connect(&self) -> DbConn {
        match &self.url {
            DbUrl::Sqlite(path) => DbConn::Sqlite(SqliteConnection::establish(path).unwrap()),
            DbUrl::Postgres(url) => DbConn::Postgres(PgConnection::establish(url).unwrap()),
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.drop_pg {
            if let Ok(mut conn) = PgConnection::establish(admin) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn);
            }
        }
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn record(tenant: TenantId) -> UserRecord {
    UserRecord {
        uuid: Uuid::new_v4(),
        tenant_id: tenant,
        username: Username::parse("ada").unwrap(),
        email: Email::parse("ada@example.com").unwrap(),
        names: Names::from_full("Ada Lovelace").unwrap(),
        status: Status::Active,
        role_number: 2,
        perms: Vec::new(),
        website_role: None,
        default_account_id: None,
        external_id: None,
        profile: Profile::default(),
        license_types: Vec::new(),
        branch_ids: Vec::new(),
        groups: None,
        folders: Vec::new(),
        devices: Vec::new(),
        password_expired: false,
    }
}

/// What two runs of `read` cost, each result checked by `check`.
#[derive(Debug, PartialEq, Eq)]
struct Runs {
    /// Statements of the first run, and how many of them it put in the statement cache: all of
    /// them, or one is prepared again on every run (Diesel caches no statement holding an SQL
    /// literal or an `IN` list of binds, and says so only by not caching it).
    first: (usize, usize),
    /// The same for the second run: nothing new to cache.
    second: (usize, usize),
}

fn count<T>(
    conn: &mut DbConn,
    counts: &Counts,
    mut read: impl FnMut(&mut DbConn) -> T,
    check: impl Fn(T),
) -> Runs {
    counts.take();
    check(read(conn));
    let first = counts.take();
    check(read(conn));
    let second = counts.take();
    Runs { first, second }
}

fn single_reads_are_one_cached_statement(scratch: &Scratch) {
    let mut conn = scratch.connect();
    let now = Utc::now();
    let tenant: i64 = diesel::insert_into(tenants::table)
        .values(TenantValues {
            name: "Acme",
            integration_key_hash: "x",
            created_at: 0,
        })
        .returning(tenants::id)
        .get_result(&mut conn)
        .unwrap();
    let tenant = TenantId(tenant);
    let id = NewUserRow::new(record(tenant), SecretChange::default(), now)
        .unwrap()
        .insert(&mut conn)
        .unwrap();
    let groups = vec![Uuid::from_u128(3), Uuid::from_u128(1), Uuid::from_u128(2)];
    set_user_groups(&mut conn, tenant, id, &groups, now).unwrap();
    let session = NewSession {
        tenant_id: tenant,
        user_id: UserId(id),
        dialect: "kashflow".into(),
        kind: SessionKind::Session,
        token_hash: "hash".into(),
        data: None,
        expires_at: now + chrono::Duration::hours(1),
    };
    diesel::insert_into(sessions::table)
        .values(SessionValues::new(&session, now))
        .execute(&mut conn)
        .unwrap();

    let counts = Counts::default();
    conn.set_instrumentation(counts.clone());
    let sqlite = matches!(conn, DbConn::Sqlite(_));

    let by_id = count(
        &mut conn,
        &counts,
        |c| load_user(c, tenant, &UserKey::Id(UserId(id))).unwrap(),
        |row| assert_eq!(row.unwrap().into_user().unwrap().groups, groups),
    );
    let cached = |n| Runs {
        first: (n, n),
        second: (n, 0),
    };
    assert_eq!(by_id, cached(1), "the user by id: one statement, cached");

    let cache = RoleCache::default();
    let by_session = count(
        &mut conn,
        &counts,
        |c| session_with_user(c, &cache, "hash").unwrap(),
        |found| assert_eq!(found.unwrap().1.groups, groups),
    );
    // The first run also reads the role catalogue (kept by version after that).
    assert_eq!(
        by_session,
        Runs {
            first: (2, 2),
            second: (1, 0)
        },
        "the session look-up: one statement, cached"
    );

    let with_count = count(
        &mut conn,
        &counts,
        |c| user_with_live_sessions(c, tenant, UserId(id), SessionKind::Session, now).unwrap(),
        |found| {
            let (user, live) = found.unwrap();
            assert_eq!((user.groups, live), (groups.clone(), 1));
        },
    );
    // SQLite: two cached static statements, the user (the one read by id above, so already
    // cached) and the count; PostgreSQL: one.
    let expected = if sqlite {
        Runs {
            first: (2, 1),
            second: (2, 0),
        }
    } else {
        cached(1)
    };
    assert_eq!(with_count, expected, "the user with its session count");
}

#[test]
fn single_reads_are_one_cached_statement_sqlite() {
    single_reads_are_one_cached_statement(&Scratch::sqlite());
}

#[test]
fn single_reads_are_one_cached_statement_postgres() {
    let Some(scratch) = Scratch::postgres() else {
        eprintln!("ROSETTA_TEST_POSTGRES_URL is not set: PostgreSQL not tested");
        return;
    };
    single_reads_are_one_cached_statement(&scratch);
}

/// Not a check: the measurement behind running the hot reads on the concrete connection.
/// Prints what a cached SQLite read of one user by id costs through `DbConn` (Diesel's
/// `MultiConnection`, which writes the SQL text out on every execution) and through the
/// concrete connection, 50,000 times each, three rounds.
///
/// `cargo test --release -p rosetta-store --lib time_read_by_id -- --ignored --nocapture`
#[test]
#[ignore]
fn time_read_by_id() {
    use std::time::Instant;

    use crate::db::on_backend;
    use crate::rows::users::UserWithGroups;
    use crate::schema::users;

    let scratch = Scratch::sqlite();
    let mut conn = scratch.connect();
    let tenant: i64 = diesel::insert_into(tenants::table)
        .values(TenantValues {
            name: "Acme",
            integration_key_hash: "x",
            created_at: 0,
        })
        .returning(tenants::id)
        .get_result(&mut conn)
        .unwrap();
    let id = NewUserRow::new(
        record(TenantId(tenant)),
        SecretChange::default(),
        Utc::now(),
    )
    .unwrap()
    .insert(&mut conn)
    .unwrap();
    let n = 50_000;
    let per_call = |t: Instant| t.elapsed().as_secs_f64() * 1e6 / f64::from(n);
    for round in 0..3 {
        let t = Instant::now();
        for _ in 0..n {
            let row: UserWithGroups = users::table
                .filter(users::tenant_id.eq(tenant))
                .filter(users::id.eq(id))
                .select(UserWithGroups::as_select())
                .first(&mut conn)
                .unwrap();
            assert_eq!(row.row.id, id);
        }
        let multi = per_call(t);
        let t = Instant::now();
        for _ in 0..n {
            let row: UserWithGroups = on_backend!(&mut conn, |c| users::table
                .filter(users::tenant_id.eq(tenant))
                .filter(users::id.eq(id))
                .select(UserWithGroups::as_select())
                .first(c)
                .unwrap());
            assert_eq!(row.row.id, id);
        }
        let concrete = per_call(t);
        eprintln!("round {round}: through DbConn {multi:.2} µs a read, concrete {concrete:.2} µs");
    }
}
