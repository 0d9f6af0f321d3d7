//! Fills one new tenant with N users for `bench/run.sh`, through the store's bulk insert (not
//! over HTTP), and prints one JSON object with what the wrk scripts need: the tenant and its
//! integration key, a usr credential, an administrator, a known user, and timings.
//!
//! Every loaded user shares ONE bcrypt hash of `--password` (computed once at `--bcrypt-cost`)
//! and ONE ciphertext of `--memorable-word` (encrypted with the gateway's own key), so any of
//! them can log in through kashflow or keaz at full cost, without a million hashes at load time.

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use rosetta_core::crypto::{self, SecretCipher};
use rosetta_core::{
    Actor, CreateCredentialRequest, CreateUserRequest, Email, NameInput, Names, NewUser,
    Onboarding, Profile, SecretChange, Status, TenantId, TenantStore, UserId, UserRecord, Username,
};
use rosetta_server::Config;
use rosetta_store::{BulkAudit, BulkUser, DieselStore};
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, Parser)]
#[command(name = "rosetta-bench-loader", about = "Fill one tenant with N users")]
struct Args {
    /// sqlite://PATH or postgres://...; default: the gateway's configuration (rosetta.toml,
    /// ROSETTA_DATABASE_URL).
    #[arg(long)]
    database_url: Option<String>,
    /// How many users to load.
    #[arg(long, default_value_t = 1_000_000)]
    users: usize,
    /// Users per transaction. Large batches matter on SQLite: every commit rewrites the pages
    /// of the random-order indexes (uuid, username, email) it touched, so 10,000 a batch writes
    /// about four times the bytes that 100,000 does.
    #[arg(long, default_value_t = 100_000)]
    batch: usize,
    #[arg(long, default_value = "Bench Ltd")]
    tenant_name: String,
    /// Every loaded user's password (and the administrator's).
    #[arg(long, default_value = "bench-password")]
    password: String,
    /// Every loaded user's memorable word (kashflow logins).
    #[arg(long, default_value = "benchmark")]
    memorable_word: String,
    /// Cost of the one shared hash; match the gateway's security.bcrypt_cost.
    #[arg(long, default_value_t = 12)]
    bcrypt_cost: u32,
    /// Default account ids are spread over 1..=accounts.
    #[arg(long, default_value_t = 1_000)]
    accounts: usize,
    /// The v2 search term whose matches are counted for the deep-page scenario.
    #[arg(long, default_value = "an")]
    search_name: String,
    /// Writes the usernames of the first --login-users loaded users here, one a line (for the
    /// login flood).
    #[arg(long)]
    login_users_file: Option<PathBuf>,
    #[arg(long, default_value_t = 1_000)]
    login_users: usize,
}

const FIRST: &[&str] = &[
    "Ada", "Alan", "Amara", "Andrea", "Anton", "Beatriz", "Bogdan", "Carmen", "Chen", "Daniel",
    "Diana", "Dmitri", "Elena", "Emeka", "Fatima", "Franz", "Grace", "Hana", "Ivan", "Jana",
    "Joan", "Kenji", "Lars", "Leila", "Lucia", "Marco", "Maria", "Mateo", "Nadia", "Noah", "Olga",
    "Omar", "Priya", "Rafael", "Rosa", "Sanjay", "Sofia", "Tomas", "Ursula", "Viktor", "Wanda",
    "Xavier", "Yara", "Zoran", "Helen", "Peter", "Susan", "James",
];

const LAST: &[&str] = &[
    "Abbott",
    "Andersen",
    "Baker",
    "Barros",
    "Becker",
    "Brennan",
    "Castillo",
    "Chowdhury",
    "Cohen",
    "Dalton",
    "Dubois",
    "Eriksson",
    "Fischer",
    "Garcia",
    "Grant",
    "Haddad",
    "Hansen",
    "Ivanova",
    "Jensen",
    "Kaur",
    "Kowalski",
    "Larsen",
    "Lovelace",
    "Martin",
    "Meyer",
    "Moreau",
    "Nakamura",
    "Novak",
    "Okafor",
    "Olsen",
    "Patel",
    "Petrov",
    "Quinn",
    "Rossi",
    "Santos",
    "Schmidt",
    "Silva",
    "Smith",
    "Sorensen",
    "Tanaka",
    "Turner",
    "Ueda",
    "Varga",
    "Wagner",
    "Walsh",
    "Weber",
    "Xu",
    "Yilmaz",
    "Young",
    "Zhang",
    "Ziegler",
    "Nowak",
    "Horvat",
    "Murphy",
    "Kelly",
    "Costa",
    "Ferrari",
    "Romano",
    "Bianchi",
    "Kim",
    "Lee",
    "Park",
    "Singh",
    "Khan",
];

/// The n-th loaded user (from 1): names spread over every first/last pair, unique username,
/// email and external id derived from n.
fn record(tenant: TenantId, n: usize, accounts: usize) -> Result<UserRecord, String> {
    let first = FIRST[n % FIRST.len()];
    let last = LAST[(n / FIRST.len()) % LAST.len()];
    let handle = format!("{}.{}{n}", first.to_lowercase(), last.to_lowercase());
    let bad = |e: rosetta_core::CoreError| e.to_string();
    Ok(UserRecord {
        uuid: Uuid::new_v4(),
        tenant_id: tenant,
        username: Username::parse(&handle).map_err(bad)?,
        email: Email::parse(&format!("{handle}@example.com")).map_err(bad)?,
        names: Names::from_parts(first, last).map_err(bad)?,
        status: Status::Active,
        role_number: 2,
        perms: Vec::new(),
        website_role: None,
        default_account_id: i64::try_from(1 + n % accounts.max(1)).ok(),
        external_id: Some(format!("EXT-{n:08}")),
        profile: Profile::default(),
        license_types: Vec::new(),
        branch_ids: Vec::new(),
        groups: None,
        folders: Vec::new(),
        devices: Vec::new(),
        password_expired: false,
    })
}

/// A written batch: the new ids and uuids, and the known user's place in it with its record.
type BatchResult = rosetta_core::CoreResult<(Vec<(UserId, Uuid)>, Option<(usize, UserRecord)>)>;

fn secs(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0).round() / 1000.0
}

fn millis(d: Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    if let Err(message) = run(args).await {
        eprintln!("rosetta-bench-loader: {message}");
        std::process::exit(1);
    }
}

async fn run(args: Args) -> Result<(), String> {
    let started = Instant::now();
    let mut config = Config::load(None).map_err(|e| e.to_string())?;
    if let Some(url) = &args.database_url {
        config.database.url = url.clone();
    }
    config.security.bcrypt_cost = args.bcrypt_cost;
    let (directory, db) = rosetta_server::app::open_with(
        &config,
        "http://127.0.0.1:8080/keaz/activate/{ticket}".into(),
        2,
    )
    .await
    .map_err(|e| e.to_string())?;
    let store = Arc::new(DieselStore::new(db.clone()));

    let (tenant, integration_key) = directory
        .create_tenant(&args.tenant_name)
        .await
        .map_err(|e| format!("tenant: {e}"))?;
    let (_, usr_token) = directory
        .create_credential(CreateCredentialRequest {
            tenant: tenant.id,
            dialect: "usr",
            name: Some("bench"),
        })
        .await
        .map_err(|e| format!("credential: {e}"))?;
    let cli = Actor::cli(tenant.id);
    let admin_handle = format!("bench-admin-{}", tenant.id);
    let mut admin = NewUser::new(
        format!("{admin_handle}@example.com"),
        NameInput::Full("Bench Admin".into()),
    );
    admin.username = Some(admin_handle.clone());
    admin.password = Some(args.password.clone());
    admin.memorable_word = Some(args.memorable_word.clone());
    admin.role_number = Some(6);
    admin.perms = vec!["admin".into(), "keaz".into()];
    let admin = directory
        .create_user(
            &cli,
            CreateUserRequest {
                user: admin,
                onboarding: Onboarding::Plain,
            },
        )
        .await
        .map_err(|e| format!("administrator: {e}"))?;

    // One hash for everyone; its time (and a verify's) is what a login costs the gateway.
    let t = Instant::now();
    let hash = directory
        .hasher()
        .hash(args.password.clone(), args.bcrypt_cost)
        .await
        .map_err(|e| e.to_string())?;
    let hash_time = t.elapsed();
    let mut verify_times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let ok = directory
            .hasher()
            .verify(args.password.clone(), hash.clone())
            .await
            .map_err(|e| e.to_string())?;
        verify_times.push(t.elapsed());
        if !ok {
            return Err("the shared hash does not verify".into());
        }
    }
    verify_times.sort();
    let verify_time = verify_times[1];
    let secret = match &config.security.secret_key {
        Some(k) => k.clone(),
        None => store
            .setting_get_or_init("secret_key", crypto::random_token())
            .await
            .map_err(|e| e.to_string())?,
    };
    let memorable = SecretCipher::from_secret(&secret)
        .encrypt(&args.memorable_word)
        .map_err(|e| e.to_string())?;
    let secrets = SecretChange {
        password_hash: Some(hash),
        memorable_word_enc: Some(memorable),
    };
    let setup_time = started.elapsed();

    let mut login_file = match &args.login_users_file {
        Some(p) => Some(std::io::BufWriter::new(
            std::fs::File::create(p).map_err(|e| format!("{}: {e}", p.display()))?,
        )),
        None => None,
    };
    let term = args.search_name.to_lowercase();
    let known_n = args.users / 2 + 1;
    let mut known: Option<(UserId, Uuid, UserRecord)> = None;
    let mut search_matches: u64 = 0;
    let mut first_id: Option<UserId> = None;
    let mut last_id: Option<UserId> = None;
    let mut loaded = 0usize;
    let audit = BulkAudit {
        actor: "cli".into(),
        dialect: "bench-loader".into(),
    };

    let load_started = Instant::now();
    let batch = args.batch.max(1);
    let mut pending: Option<tokio::task::JoinHandle<BatchResult>> = None;
    let mut pending_known: Option<(usize, UserRecord)> = None;
    let mut next_report = args.users / 10;
    let mut start = 1;
    // The next batch is built while the previous one is written.
    loop {
        let end = (start + batch - 1).min(args.users);
        let mut users = Vec::new();
        if start <= args.users {
            users.reserve(end + 1 - start);
            for n in start..=end {
                let record = record(tenant.id, n, args.accounts)?;
                let key = format!(
                    "{}\n{}\n{}",
                    record.names.full, record.names.first, record.names.last
                )
                .to_lowercase();
                if key.contains(&term) {
                    search_matches += 1;
                }
                if let Some(f) = login_file.as_mut().filter(|_| n <= args.login_users) {
                    writeln!(f, "{}", record.username.as_str()).map_err(|e| e.to_string())?;
                }
                if n == known_n {
                    pending_known = Some((n - start, record.clone()));
                }
                users.push(BulkUser {
                    record,
                    secrets: secrets.clone(),
                });
            }
        }
        if let Some(handle) = pending.take() {
            let (ids, at_known) = handle
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| format!("bulk insert: {e}"))?;
            if let (Some((i, rec)), false) = (at_known, ids.is_empty()) {
                if let Some((id, uuid)) = ids.get(i) {
                    known = Some((*id, *uuid, rec));
                }
            }
            if let (Some(first), Some(last)) = (ids.first(), ids.last()) {
                // One writer, one statement at a time: the ids must be consecutive.
                if let Some(prev) = last_id {
                    if first.0 .0 != prev.0 + 1 {
                        return Err(format!("ids are not consecutive after {prev}"));
                    }
                }
                first_id.get_or_insert(first.0);
                last_id = Some(last.0);
            }
            loaded += ids.len();
            if loaded >= next_report && args.users >= 10 {
                eprintln!(
                    "rosetta-bench-loader: {loaded} users, {:.0}/s",
                    loaded as f64 / load_started.elapsed().as_secs_f64()
                );
                next_report += args.users / 10;
            }
        }
        if users.is_empty() {
            break;
        }
        let (store, audit, at_known) = (store.clone(), audit.clone(), pending_known.take());
        pending = Some(tokio::spawn(async move {
            let ids = store
                .bulk_insert_users(users, audit, chrono::Utc::now())
                .await?;
            Ok((ids, at_known))
        }));
        start = end + 1;
    }
    let load_time = load_started.elapsed();
    if let Some(mut f) = login_file {
        f.flush().map_err(|e| e.to_string())?;
    }
    let t = Instant::now();
    store
        .finish_bulk_load()
        .await
        .map_err(|e| format!("analyze: {e}"))?;
    let analyze_time = t.elapsed();

    let known = known.map(|(id, uuid, rec)| {
        json!({
            "n": known_n,
            "id": id.0,
            "uuid": uuid,
            "username": rec.username.as_str(),
            "email": rec.email.as_str(),
            "external_id": rec.external_id,
            "full_name": rec.names.full,
        })
    });
    let out = json!({
        "backend": if db.url().is_postgres() { "postgres" } else { "sqlite" },
        "database": db.url().display(),
        "tenant_id": tenant.id.0,
        "company_id": tenant.id.0,
        "integration_key": integration_key,
        "usr_token": usr_token,
        "password": args.password,
        "memorable_word": args.memorable_word,
        "admin": {
            "id": admin.id.0,
            "uuid": admin.uuid,
            "username": admin.username.as_str(),
            "email": admin.email.as_str(),
        },
        "known_user": known,
        "users": loaded,
        "first_id": first_id.map(|i| i.0),
        "last_id": last_id.map(|i| i.0),
        "login_users": loaded.min(args.login_users),
        "login_users_file": args.login_users_file,
        "search": {"name": args.search_name, "matches": search_matches},
        "bcrypt_cost": args.bcrypt_cost,
        "bcrypt_hash_ms": millis(hash_time),
        "bcrypt_verify_ms": millis(verify_time),
        "timings": {
            "setup_s": secs(setup_time),
            "load_s": secs(load_time),
            "analyze_s": secs(analyze_time),
            "total_s": secs(started.elapsed()),
            "users_per_s": (loaded as f64 / load_time.as_secs_f64().max(1e-9)).round(),
        },
    });
    println!("{out}");
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn generated_users_are_valid_and_unique() {
        let mut names = std::collections::HashSet::new();
        for n in 1..=5_000 {
            let r = record(TenantId(1), n, 1_000).unwrap();
            assert!(names.insert(r.username.key()));
            assert!(r.email.as_str().ends_with("@example.com"));
            assert!((1..=1_000).contains(&r.default_account_id.unwrap()));
            assert_eq!(r.names.full, format!("{} {}", r.names.first, r.names.last));
        }
    }
}
