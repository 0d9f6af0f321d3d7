//! The command line's shape: every command, subcommand and flag of CONTRACT.md as clap
//! structs, apart from the code that runs them (`cli.rs`) so each file stays one concern.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
    pub(super) tenant: i64,
    #[arg(long, value_enum)]
    pub(super) format: super::transfer::Format,
    /// The file to write (default: stdout).
    #[arg(long)]
    pub(super) out: Option<PathBuf>,
    /// Add each user's bcrypt hash (`password_hash`; for scim, an extension). A secret.
    #[arg(long)]
    pub(super) with_password_hashes: bool,
    /// csv only: just the columns keaz's CSV import takes.
    #[arg(long)]
    pub(super) keaz_columns: bool,
    /// scim only: where the scim dialect is mounted, for `meta.location`.
    #[arg(long, default_value = "/scim/v2")]
    pub(super) scim_base: String,
}

#[derive(Debug, Args)]
pub struct UserImport {
    #[arg(long)]
    pub(super) tenant: i64,
    /// The file to read.
    pub(super) file: PathBuf,
    /// Default: from the file name (.csv, .scim or .scim.jsonl, else jsonl).
    #[arg(long, value_enum)]
    pub(super) format: Option<super::transfer::Format>,
}

#[derive(Debug, Args)]
pub struct UserCreate {
    #[arg(long)]
    pub(super) tenant: i64,
    #[arg(long)]
    pub(super) username: String,
    #[arg(long)]
    pub(super) email: String,
    #[arg(long)]
    pub(super) password: String,
    #[arg(long)]
    pub(super) full_name: Option<String>,
    #[arg(long)]
    pub(super) memorable_word: Option<String>,
    /// Default 6, "Full Access".
    #[arg(long, default_value_t = 6)]
    pub(super) role_number: i32,
    /// Comma-separated perms, e.g. admin,keaz.
    #[arg(long, value_delimiter = ',')]
    pub(super) perms: Vec<String>,
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
