//! The `rosetta` command line of CONTRACT.md. Every command prints one line of error and exits
//! non-zero on failure; `--json` prints one JSON object on success.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use rosetta_core::{
    Actor, CoreError, CreateCredentialRequest, CreateUserRequest, NameInput, NewUser, Onboarding,
    Role, TenantId, UniqueField,
};
use rosetta_dialect::wording;
use serde_json::json;

use crate::app;
use crate::config::Config;

mod credentials;
mod deprecation;
mod operators;
mod transfer;
mod usage;

#[derive(Debug, Parser)]
#[command(
    name = "rosetta",
    version,
    about = "One user directory, every legacy dialect"
)]
pub struct Cli {
    /// TOML configuration file (default: rosetta.toml when present).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Overrides database.url.
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    /// Print one JSON object on stdout.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the gateway.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    #[command(subcommand)]
    Tenant(TenantCmd),
    #[command(subcommand)]
    User(UserCmd),
    #[command(subcommand)]
    Credential(CredentialCmd),
    #[command(subcommand)]
    Role(RoleCmd),
    /// Calls by dialect, caller and route (by UTC day, every replica's).
    Usage {
        #[command(subcommand)]
        command: Option<UsageCmd>,
        /// How far back, e.g. 7d, 24h (a day is the resolution).
        #[arg(long, default_value = "7d")]
        since: String,
        #[arg(long)]
        dialect: Option<String>,
        #[arg(long)]
        tenant: Option<i64>,
    },
    #[command(subcommand)]
    Deprecation(DeprecationCmd),
    #[command(subcommand)]
    Operator(OperatorCmd),
}

#[derive(Debug, Subcommand)]
pub enum OperatorCmd {
    /// Create an operator of the console (not a user of any tenant).
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        password: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum UsageCmd {
    /// One row per caller still calling a dialect: the list a migration works through.
    Callers {
        #[arg(long)]
        dialect: String,
        #[arg(long, default_value = "30d")]
        since: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum DeprecationCmd {
    /// Per deprecated dialect and route: since, sunset, brownouts, calls in 7 days.
    Status,
}

#[derive(Debug, Subcommand)]
pub enum TenantCmd {
    /// Create a tenant; prints its v2 integration key once.
    Create {
        #[arg(long)]
        name: String,
    },
    /// Give the tenant a new v2 integration key; prints it once.
    RotateKey {
        #[arg(long)]
        tenant: i64,
        /// How long the old key keeps working, e.g. 24h (default: it stops at once).
        #[arg(long)]
        overlap: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Create an active user (the first administrator of a tenant).
    Create(UserCreate),
    /// Write every user of a tenant to a file, a page at a time.
    Export(UserExport),
    /// Create users from an export file, all checked first, in one transaction.
    Import(UserImport),
}

#[derive(Debug, Args)]
pub struct UserExport {
    #[arg(long)]
    tenant: i64,
    #[arg(long, value_enum)]
    format: transfer::Format,
    /// The file to write (default: stdout).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Add each user's bcrypt hash (`password_hash`; for scim, an extension). A secret.
    #[arg(long)]
    with_password_hashes: bool,
    /// csv only: just the columns keaz's CSV import takes.
    #[arg(long)]
    keaz_columns: bool,
    /// scim only: where the scim dialect is mounted, for `meta.location`.
    #[arg(long, default_value = "/scim/v2")]
    scim_base: String,
}

#[derive(Debug, Args)]
pub struct UserImport {
    #[arg(long)]
    tenant: i64,
    /// The file to read.
    file: PathBuf,
    /// Default: from the file name (.csv, .scim or .scim.jsonl, else jsonl).
    #[arg(long, value_enum)]
    format: Option<transfer::Format>,
}

#[derive(Debug, Args)]
pub struct UserCreate {
    #[arg(long)]
    tenant: i64,
    #[arg(long)]
    username: String,
    #[arg(long)]
    email: String,
    #[arg(long)]
    password: String,
    #[arg(long)]
    full_name: Option<String>,
    #[arg(long)]
    memorable_word: Option<String>,
    /// Default 6, "Full Access".
    #[arg(long, default_value_t = 6)]
    role_number: i32,
    /// Comma-separated perms, e.g. admin,keaz.
    #[arg(long, value_delimiter = ',')]
    perms: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum CredentialCmd {
    /// Create a machine credential; prints its token once.
    Create {
        #[arg(long)]
        tenant: i64,
        #[arg(long)]
        dialect: String,
        #[arg(long)]
        name: Option<String>,
    },
    /// A tenant's credentials (never their tokens).
    List {
        #[arg(long)]
        tenant: i64,
    },
    /// Revoke a credential for good.
    Revoke {
        #[arg(long)]
        id: i64,
    },
    /// Give a credential a new token; prints it once.
    Rotate {
        #[arg(long)]
        id: i64,
        /// How long the old token keeps working, e.g. 24h (default: it stops at once).
        #[arg(long)]
        overlap: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RoleCmd {
    /// Add or rename a role of a tenant's catalogue.
    Set {
        #[arg(long)]
        tenant: i64,
        #[arg(long)]
        number: i32,
        #[arg(long)]
        name: String,
        #[arg(long)]
        admin: bool,
    },
}

/// Runs a parsed command line; the error is the one line to print.
pub async fn run(cli: Cli) -> Result<(), String> {
    let mut config = Config::load(cli.config.as_deref()).map_err(|e| e.to_string())?;
    if let Some(url) = cli.database_url {
        config.database.url = url;
    }
    let json_out = cli.json;
    match cli.command {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            let url =
                rosetta_store::DbUrl::parse(&config.database.url).map_err(|e| e.to_string())?;
            let shown = url.display();
            let applied = tokio::task::spawn_blocking(move || rosetta_store::run_migrations(&url))
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| format!("database {shown}: {}", one_line(&e.to_string())))?;
            print(
                json_out,
                json!({"applied": applied, "database": shown}),
                &format!("{applied} migration(s) applied to {shown}"),
            );
            Ok(())
        }
        Command::Tenant(TenantCmd::Create { name }) => {
            let (dir, _db) = open(&config).await?;
            let (tenant, key) = dir.create_tenant(&name).await.map_err(explain)?;
            print(
                json_out,
                json!({"tenant_id": tenant.id.0, "company_id": tenant.id.0, "integration_key": key}),
                &format!(
                    "tenant {} created (CompanyId {}); integration key: {key}",
                    tenant.name, tenant.id
                ),
            );
            Ok(())
        }
        Command::User(UserCmd::Create(u)) => {
            let (dir, _db) = open(&config).await?;
            let tenant = TenantId(u.tenant);
            dir.tenant(tenant)
                .await
                .map_err(|_| format!("tenant {} does not exist", u.tenant))?;
            let full_name = u.full_name.unwrap_or_else(|| u.username.clone());
            let mut new = NewUser::new(u.email, NameInput::Full(full_name));
            new.username = Some(u.username);
            new.password = Some(u.password);
            new.memorable_word = u.memorable_word;
            new.role_number = Some(u.role_number);
            new.perms = u
                .perms
                .into_iter()
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect();
            let user = dir
                .create_user(
                    &Actor::cli(tenant),
                    CreateUserRequest {
                        user: new,
                        onboarding: Onboarding::Plain,
                    },
                )
                .await
                .map_err(explain)?;
            print(
                json_out,
                json!({"user_id": user.id.0, "uuid": user.uuid}),
                &format!(
                    "user {} created (id {}, uuid {})",
                    user.username.as_str(),
                    user.id,
                    user.uuid
                ),
            );
            Ok(())
        }
        Command::User(UserCmd::Export(e)) => {
            let args = transfer::ExportArgs {
                tenant: e.tenant,
                format: e.format,
                out: e.out,
                with_password_hashes: e.with_password_hashes,
                keaz_columns: e.keaz_columns,
                scim_base: e.scim_base,
                json_out,
            };
            transfer::export(&config, args).await
        }
        Command::User(UserCmd::Import(i)) => {
            let format = i
                .format
                .unwrap_or_else(|| transfer::Format::of_file(&i.file));
            let args = transfer::ImportArgs {
                tenant: i.tenant,
                file: i.file,
                format,
                json_out,
            };
            transfer::import(&config, args).await
        }
        Command::Credential(CredentialCmd::Create {
            tenant,
            dialect,
            name,
        }) => {
            if !rosetta_core::CREDENTIAL_DIALECTS.contains(&dialect.as_str()) {
                return Err(format!(
                    "unknown dialect '{dialect}' (known: {})",
                    rosetta_core::CREDENTIAL_DIALECTS.join(", ")
                ));
            }
            let (dir, _db) = open(&config).await?;
            let (cred, token) = dir
                .create_credential(CreateCredentialRequest {
                    tenant: TenantId(tenant),
                    dialect: &dialect,
                    name: name.as_deref(),
                })
                .await
                .map_err(|e| match e {
                    CoreError::NotFound => format!("tenant {tenant} does not exist"),
                    other => explain(other),
                })?;
            print(
                json_out,
                json!({"credential_id": cred.id, "token": token}),
                &format!(
                    "credential {} created for {dialect}; token: {token}",
                    cred.id
                ),
            );
            Ok(())
        }
        Command::Credential(CredentialCmd::List { tenant }) => {
            credentials::list(&config, tenant, json_out).await
        }
        Command::Credential(CredentialCmd::Revoke { id }) => {
            credentials::revoke(&config, id, json_out).await
        }
        Command::Credential(CredentialCmd::Rotate { id, overlap }) => {
            credentials::rotate(&config, id, overlap.as_deref(), json_out).await
        }
        Command::Tenant(TenantCmd::RotateKey { tenant, overlap }) => {
            credentials::rotate_key(&config, tenant, overlap.as_deref(), json_out).await
        }
        Command::Usage {
            command: Some(UsageCmd::Callers { dialect, since }),
            ..
        } => usage::callers(&config, &dialect, &since, json_out).await,
        Command::Usage {
            command: None,
            since,
            dialect,
            tenant,
        } => {
            let args = usage::UsageArgs {
                since: &since,
                dialect: dialect.as_deref(),
                tenant,
                json_out,
            };
            usage::by_route(&config, args).await
        }
        Command::Operator(OperatorCmd::Create { username, password }) => {
            operators::create(&config, &username, password, json_out).await
        }
        Command::Deprecation(DeprecationCmd::Status) => {
            deprecation::status(&config, json_out).await
        }
        Command::Role(RoleCmd::Set {
            tenant,
            number,
            name,
            admin,
        }) => {
            let (dir, _db) = open(&config).await?;
            dir.set_role(
                TenantId(tenant),
                Role {
                    number,
                    name: name.clone(),
                    admin,
                },
            )
            .await
            .map_err(|e| match e {
                CoreError::NotFound => format!("tenant {tenant} does not exist"),
                other => explain(other),
            })?;
            print(
                json_out,
                json!({"tenant_id": tenant, "number": number, "name": name, "admin": admin}),
                &format!(
                    "role {number} of tenant {tenant} is now \"{name}\"{}",
                    if admin { " (admin)" } else { "" }
                ),
            );
            Ok(())
        }
    }
}

async fn open(
    config: &Config,
) -> Result<(std::sync::Arc<rosetta_core::Directory>, rosetta_store::Db), String> {
    app::open_with(config, String::new(), 1)
        .await
        .map_err(|e| one_line(&e.to_string()))
}

async fn serve(config: Config) -> Result<(), String> {
    let gateway = app::start(&config)
        .await
        .map_err(|e| one_line(&e.to_string()))?;
    if let Some(addr) = gateway.main_addr() {
        tracing::info!(%addr, database = %gateway.db.url().display(), "rosetta serving");
    }
    shutdown_signal().await;
    tracing::info!("shutting down: finishing in-flight requests");
    gateway.stop().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

fn explain(e: CoreError) -> String {
    match e {
        CoreError::Validation { field, problem } => {
            format!("invalid {field}: {}", wording::problem(&problem))
        }
        CoreError::Conflict(UniqueField::Username) => {
            "that username is already taken in this tenant".into()
        }
        CoreError::Conflict(UniqueField::Email) => {
            "that email is already taken in this tenant".into()
        }
        CoreError::Conflict(UniqueField::ExternalId) => {
            "that external id is already taken in this tenant".into()
        }
        CoreError::Forbidden(refusal) => format!("forbidden: {}", wording::refusal(refusal)),
        other => one_line(&other.to_string()),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn print(json_out: bool, value: serde_json::Value, text: &str) {
    if json_out {
        println!("{value}");
    } else {
        println!("{text}");
    }
}
