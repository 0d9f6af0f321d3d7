//! The `rosetta` command line of CONTRACT.md. Every command prints one line of error and exits
//! non-zero on failure; `--json` prints one JSON object on success.

use rosetta_core::{
    Actor, CoreError, CreateCredentialRequest, CreateUserRequest, NameInput, NewUser, Onboarding,
    Role, TenantId, UniqueField,
};
use rosetta_dialect::wording;
use serde_json::json;

use crate::app;
use crate::config::Config;

mod args;
mod credentials;
mod deprecation;
mod operators;
mod transfer;
mod usage;

pub use args::*;

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
