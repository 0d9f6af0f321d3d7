//! The persistence boundary. The core states what it needs; `rosetta-store` implements it with
//! Diesel. Every write method is one transaction: the audit row, ticket and outbox messages
//! passed with a change commit or roll back with it.

use async_trait::async_trait;

use crate::error::CoreResult;
use crate::ids::{TenantId, UserId};
use crate::model::{
    Asset, AuditRecord, Booking, Credential, Cursor, NewAudit, NewBooking, NewEmail, NewSession,
    NewTicket, OutboxEmail, Page, Role, SecretChange, Session, Tenant, Timestamp, UsageCount, User,
    UserFilter, UserKey, UserRecord, UserSecrets,
};

/// What happens to a user row when a ticket is redeemed.
#[derive(Clone, Default)]
pub struct Redeem {
    /// Set when the client sent a password with the activation.
    pub password_hash: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RedeemOutcome {
    Activated(Box<User>),
    /// Unknown, used, replaced or expired: all look the same to the caller.
    NoSuchTicket,
    /// The user has no password and none was sent; nothing changed.
    PasswordRequired,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Whether the database answers right now (`/readyz`).
    async fn ping(&self) -> CoreResult<()>;

    // Settings
    /// Reads `key`, or stores `value` under it if it is absent, and returns what is stored.
    async fn setting_get_or_init(&self, key: &str, value: String) -> CoreResult<String>;

    // Tenants and roles
    async fn create_tenant(
        &self,
        name: &str,
        integration_key_hash: &str,
        roles: &[Role],
        now: Timestamp,
    ) -> CoreResult<Tenant>;
    async fn tenant(&self, id: TenantId) -> CoreResult<Option<Tenant>>;
    async fn tenant_key_hash(&self, id: TenantId) -> CoreResult<Option<String>>;
    async fn roles(&self, tenant: TenantId) -> CoreResult<Vec<Role>>;
    async fn set_role(&self, tenant: TenantId, role: &Role) -> CoreResult<()>;

    // Users
    /// Inserts the user with its secrets, audit row, optional activation ticket and emails.
    async fn insert_user(
        &self,
        record: UserRecord,
        secrets: SecretChange,
        audit: NewAudit,
        ticket: Option<NewTicket>,
        emails: Vec<NewEmail>,
        now: Timestamp,
    ) -> CoreResult<User>;
    /// Inserts many users in one transaction (CSV import): all or nothing.
    async fn insert_users(
        &self,
        users: Vec<(
            UserRecord,
            SecretChange,
            NewAudit,
            Option<NewTicket>,
            Vec<NewEmail>,
        )>,
        now: Timestamp,
    ) -> CoreResult<Vec<User>>;
    async fn user(&self, tenant: TenantId, key: UserKey) -> CoreResult<Option<User>>;
    async fn user_secrets(&self, tenant: TenantId, id: UserId) -> CoreResult<Option<UserSecrets>>;
    /// Users matching a login name in any tenant, with their secrets, oldest first. Logins of
    /// kashflow and keaz name no tenant, so the tenant is found from the user.
    async fn login_candidates(&self, key: UserKey) -> CoreResult<Vec<(User, UserSecrets)>>;
    async fn list_users(
        &self,
        tenant: TenantId,
        filter: &UserFilter,
        cursor: Cursor,
        limit: u32,
    ) -> CoreResult<Page>;
    /// Every user matching `filter`, by id, without counting them first (the legacy list
    /// routes answer whole lists). Read on one connection, a bounded page per statement.
    async fn all_users(&self, tenant: TenantId, filter: &UserFilter) -> CoreResult<Vec<User>>;
    /// Writes the full record if the stored version is still `expected_version`.
    /// `Err(VersionConflict)` otherwise, `Err(NotFound)` if the user is gone.
    // Every argument is one part of the same transaction; a wrapper struct would only rename them.
    #[allow(clippy::too_many_arguments)]
    async fn update_user(
        &self,
        tenant: TenantId,
        id: UserId,
        expected_version: i64,
        record: UserRecord,
        secrets: SecretChange,
        audit: NewAudit,
        now: Timestamp,
    ) -> CoreResult<User>;
    /// Deletes the user with its sessions and tickets; the audit row stays. False if absent.
    async fn delete_user(&self, tenant: TenantId, id: UserId, audit: NewAudit) -> CoreResult<bool>;
    async fn deleted_audits(&self, tenant: TenantId, limit: u32) -> CoreResult<Vec<AuditRecord>>;
    async fn audits_for_user(&self, tenant: TenantId, id: UserId) -> CoreResult<Vec<AuditRecord>>;

    // Logins
    /// Counts a failed login; locks the user until `lock_until` once `threshold` is reached.
    /// Returns whether the user is now locked.
    async fn login_failed(
        &self,
        id: UserId,
        threshold: i32,
        lock_until: Timestamp,
    ) -> CoreResult<bool>;
    async fn login_succeeded(&self, id: UserId, now: Timestamp) -> CoreResult<()>;

    // Sessions
    async fn create_session(&self, session: NewSession, now: Timestamp) -> CoreResult<Session>;
    /// The session under a token hash, with its user and the tenant's role catalogue. Every
    /// authenticated request needs all three, so they are read in one go (one connection, one
    /// trip to the blocking pool) rather than as three calls. `None` when either is gone.
    async fn session_by_hash(
        &self,
        token_hash: &str,
    ) -> CoreResult<Option<(Session, User, Vec<Role>)>>;
    /// Removes a session (a temporary token is used once; logout). False if it was gone, so
    /// two racing uses of one temporary token cannot both win.
    async fn delete_session(&self, id: i64) -> CoreResult<bool>;
    async fn touch_session(&self, id: i64, now: Timestamp, expires_at: Timestamp)
        -> CoreResult<()>;
    /// Unexpired sessions of each user (kashflow `NoOfLogins`).
    async fn session_counts(
        &self,
        ids: &[UserId],
        kind: crate::model::SessionKind,
        now: Timestamp,
    ) -> CoreResult<Vec<(UserId, i64)>>;

    /// A user with its unexpired sessions of `kind` counted, read on one connection (the one
    /// user kashflow's `GET /users/{n}` shows with `NoOfLogins`).
    async fn user_with_session_count(
        &self,
        tenant: TenantId,
        id: UserId,
        kind: crate::model::SessionKind,
        now: Timestamp,
    ) -> CoreResult<Option<(User, i64)>>;

    // Credentials
    async fn create_credential(
        &self,
        tenant: TenantId,
        dialect: &str,
        name: Option<&str>,
        token_hash: &str,
        now: Timestamp,
    ) -> CoreResult<Credential>;
    async fn credential_by_hash(&self, token_hash: &str) -> CoreResult<Option<Credential>>;

    // Activation tickets
    /// Voids the user's open tickets and stores a new one, with its email, in one transaction.
    async fn replace_ticket(
        &self,
        tenant: TenantId,
        id: UserId,
        ticket: NewTicket,
        email: Option<NewEmail>,
        now: Timestamp,
    ) -> CoreResult<()>;
    /// Whether a ticket is valid now (unused, not replaced, not expired).
    async fn ticket_valid(&self, token_hash: &str, now: Timestamp) -> CoreResult<bool>;
    async fn redeem_ticket(
        &self,
        token_hash: &str,
        redeem: Redeem,
        audit_actor: &str,
        dialect: &str,
        now: Timestamp,
    ) -> CoreResult<RedeemOutcome>;

    // Usage
    /// Adds counts to the minute `bucket` starts.
    async fn record_usage(&self, bucket: Timestamp, counts: Vec<UsageCount>) -> CoreResult<()>;
    /// Sums per dialect, credential and route since `since`, most calls first.
    async fn usage_since(&self, since: Timestamp) -> CoreResult<Vec<UsageCount>>;

    // Outbox
    async fn due_emails(&self, now: Timestamp, limit: u32) -> CoreResult<Vec<OutboxEmail>>;
    /// Marks a message sent. Returns false if it was already marked (another gateway sent it).
    async fn mark_email_sent(&self, id: i64, now: Timestamp) -> CoreResult<bool>;
    async fn mark_email_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt: Timestamp,
    ) -> CoreResult<()>;
    /// Claims a message for sending until `lease_until`, so two gateways never send it twice.
    async fn claim_email(
        &self,
        id: i64,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> CoreResult<bool>;

    // keaz assets and bookings. Each is scoped to the tenant: a user of another tenant is
    // `Err(NotFound)`, exactly like one that does not exist.
    /// The user's assets, by tag.
    async fn user_assets(&self, tenant: TenantId, user: UserId) -> CoreResult<Vec<Asset>>;
    async fn user_asset(
        &self,
        tenant: TenantId,
        user: UserId,
        tag: &str,
    ) -> CoreResult<Option<Asset>>;
    /// Creates or replaces the asset under `tag`; true when it was created.
    async fn put_user_asset(
        &self,
        tenant: TenantId,
        user: UserId,
        tag: &str,
        data: &str,
        now: Timestamp,
    ) -> CoreResult<(Asset, bool)>;
    async fn insert_booking(
        &self,
        tenant: TenantId,
        user: UserId,
        booking: NewBooking,
        now: Timestamp,
    ) -> CoreResult<Booking>;
    /// The user's bookings that overlap `[from, to)`, by start.
    async fn bookings_overlapping(
        &self,
        tenant: TenantId,
        user: UserId,
        from: Timestamp,
        to: Timestamp,
    ) -> CoreResult<Vec<Booking>>;
}
