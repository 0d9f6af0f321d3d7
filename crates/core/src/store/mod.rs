//! The persistence boundary. The core states what it needs; `rosetta-store` implements it with
//! Diesel. The needs are split by capability, one trait per aggregate (as lldap splits its
//! backend handlers), and [`Store`] is all of them: what the [`Directory`](crate::Directory)
//! holds. Every write method is one transaction: the audit row, ticket and outbox messages
//! passed with a change commit or roll back with it.

use async_trait::async_trait;

use crate::error::CoreResult;

mod assets;
mod audit;
mod credentials;
mod groups;
mod logins;
mod operators;
mod outbox;
mod queries;
mod sessions;
mod tenants;
mod tickets;
mod usage;
mod user_lists;
mod user_pages;
mod users;

pub use assets::{AssetStore, NewAsset};
pub use audit::AuditStore;
pub use credentials::{CredentialStore, NewCredential};
pub use groups::{GroupStore, GroupUpdateWrite, NewGroupWrite};
pub use logins::{LoginName, LoginStore};
pub use operators::OperatorStore;
pub use outbox::OutboxStore;
pub use queries::QueryStore;
pub use sessions::SessionStore;
pub use tenants::{NewTenant, TenantStore};
pub use tickets::{Redeem, RedeemOutcome, TicketReplace, TicketStore};
pub use usage::UsageStore;
pub use user_lists::UserListStore;
pub use user_pages::{PageSender, UserPages, PAGES_AHEAD};
pub use users::{EndSessions, NewUserWrite, UserDeleteWrite, UserStore, UserUpdateWrite};

/// Every capability over one database.
#[async_trait]
pub trait Store:
    TenantStore
    + CredentialStore
    + UserStore
    + UserListStore
    + LoginStore
    + AuditStore
    + SessionStore
    + TicketStore
    + OutboxStore
    + UsageStore
    + AssetStore
    + GroupStore
    + QueryStore
    + OperatorStore
    + Send
    + Sync
    + 'static
{
    /// Whether the database answers right now (`/readyz`).
    async fn ping(&self) -> CoreResult<()>;
}
