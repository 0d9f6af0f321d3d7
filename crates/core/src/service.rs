//! The directory service: every operation a dialect may perform, scoped to the caller's
//! tenant, validated here once so that no dialect can write a user the others cannot read.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::Semaphore;
use uuid::Uuid;

use crate::crypto::{self, MemorableCipher};
use crate::error::{CoreError, CoreResult};
use crate::ids::{Email, Names, TenantId, UserId, Username};
use crate::model::{
    default_roles, Asset, AuditAction, AuditRecord, Booking, Credential, Cursor, Device, NewAudit,
    NewBooking, NewEmail, NewSession, NewTicket, Page, Profile, Role, SecretChange, Session,
    SessionKind, Status, Tenant, Timestamp, User, UserFilter, UserKey, UserRecord, UserSecrets,
    DEFAULT_ROLE,
};
use crate::recent::Recent;
use crate::store::{Redeem, RedeemOutcome, Store};

/// Knobs from the server's configuration that change what the core does.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bcrypt_cost: u32,
    pub min_password_length: usize,
    pub activation_ttl: Duration,
    pub session_idle_ttl: Duration,
    pub temporary_token_ttl: Duration,
    pub lockout_threshold: i32,
    pub lockout_duration: Duration,
    /// With `{ticket}` where the ticket goes.
    pub activation_url: String,
    /// How long a verified machine credential is trusted without a read (0: always read).
    pub credential_cache_ttl: Duration,
    /// List and search queries running at once; the rest wait their turn without holding a
    /// database connection.
    pub list_concurrency: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            bcrypt_cost: 12,
            min_password_length: 1,
            activation_ttl: Duration::from_secs(72 * 3600),
            session_idle_ttl: Duration::from_secs(3600),
            temporary_token_ttl: Duration::from_secs(300),
            lockout_threshold: 5,
            lockout_duration: Duration::from_secs(15 * 60),
            activation_url: "http://127.0.0.1:8080/keaz/activate/{ticket}".into(),
            credential_cache_ttl: Duration::from_secs(10),
            list_concurrency: 2,
        }
    }
}

/// Who is asking. Built by a dialect from its own credential; the core trusts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub tenant: TenantId,
    pub dialect: &'static str,
    pub principal: Principal,
    /// May create, change and delete other users.
    pub admin: bool,
    /// May give `admin` to others.
    pub grants_admin: bool,
    /// May give `keaz` to others.
    pub grants_keaz: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    User(UserId),
    Credential(i64),
    IntegrationKey,
    Cli,
}

impl Actor {
    /// An operator at the command line: everything, within one tenant.
    pub fn cli(tenant: TenantId) -> Self {
        Self {
            tenant,
            dialect: "cli",
            principal: Principal::Cli,
            admin: true,
            grants_admin: true,
            grants_keaz: true,
        }
    }

    /// A tenant-wide machine credential (usr bearer token, v2 integration key): administrator
    /// of its tenant, may grant `admin` but not `keaz`.
    pub fn machine(tenant: TenantId, dialect: &'static str, principal: Principal) -> Self {
        Self {
            tenant,
            dialect,
            principal,
            admin: true,
            grants_admin: true,
            grants_keaz: false,
        }
    }

    pub fn label(&self) -> String {
        match &self.principal {
            Principal::User(id) => format!("user:{id}"),
            Principal::Credential(id) => format!("credential:{id}"),
            Principal::IntegrationKey => "integration-key".into(),
            Principal::Cli => "cli".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameInput {
    Full(String),
    Parts { first: String, last: String },
}

impl NameInput {
    fn parse(&self) -> CoreResult<Names> {
        match self {
            Self::Full(full) => Names::from_full(full),
            Self::Parts { first, last } => Names::from_parts(first, last),
        }
    }
}

/// A user as a dialect asks for it to be created. Unvalidated: the service parses it.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Option<String>,
    pub email: String,
    pub name: NameInput,
    pub password: Option<String>,
    pub memorable_word: Option<String>,
    pub status: Status,
    pub role_number: Option<i32>,
    pub perms: Vec<String>,
    pub website_role: Option<String>,
    pub default_account_id: Option<i64>,
    pub external_id: Option<String>,
    pub profile: Profile,
    pub license_types: Vec<String>,
    pub branch_ids: Vec<String>,
    pub groups: Vec<Uuid>,
    pub folders: Vec<Uuid>,
    pub devices: Vec<Device>,
    pub password_expired: bool,
}

impl NewUser {
    /// An active user with nothing but the shared essentials; dialects fill in the rest.
    pub fn new(email: impl Into<String>, name: NameInput) -> Self {
        Self {
            username: None,
            email: email.into(),
            name,
            password: None,
            memorable_word: None,
            status: Status::Active,
            role_number: None,
            perms: Vec::new(),
            website_role: None,
            default_account_id: None,
            external_id: None,
            profile: Profile::default(),
            license_types: Vec::new(),
            branch_ids: Vec::new(),
            groups: Vec::new(),
            folders: Vec::new(),
            devices: Vec::new(),
            password_expired: false,
        }
    }
}

/// A partial update: `None` leaves a field as it is. Nullable fields take `Some(None)` to clear.
#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    pub username: Option<String>,
    pub email: Option<String>,
    pub name: Option<NameInput>,
    pub password: Option<String>,
    pub memorable_word: Option<String>,
    pub status: Option<Status>,
    pub role_number: Option<i32>,
    pub perms: Option<Vec<String>>,
    pub website_role: Option<Option<String>>,
    pub default_account_id: Option<Option<i64>>,
    pub external_id: Option<Option<String>>,
    pub profile: Option<Profile>,
    pub license_types: Option<Vec<String>>,
    pub branch_ids: Option<Vec<String>>,
    pub groups: Option<Vec<Uuid>>,
    pub folders: Option<Vec<Uuid>>,
    pub devices: Option<Vec<Device>>,
    pub password_expired: Option<bool>,
}

/// Which message, if any, a new user is sent through the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    None,
    /// The activation ticket (the user must be pending).
    Activation,
    Welcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreateOptions {
    /// Store an activation ticket with the user (pending users only).
    pub ticket: bool,
    pub notice: Notice,
}

impl CreateOptions {
    pub const PLAIN: Self = Self {
        ticket: false,
        notice: Notice::None,
    };
    pub const ACTIVATION: Self = Self {
        ticket: true,
        notice: Notice::Activation,
    };
}

/// The result of checking a login name and password.
#[derive(Debug)]
pub enum LoginCheck {
    Ok(Box<User>, UserSecrets),
    /// Unknown name, wrong password, or a user that may not log in: one answer for all.
    Rejected,
    Locked,
}

/// A live session found by its token: what a session-authenticated request needs to go on.
#[derive(Debug, Clone)]
pub struct SessionAuth {
    pub session: Session,
    pub user: User,
    pub actor: Actor,
    /// The tenant's role catalogue as read with the session (kashflow names roles with it).
    pub roles: Vec<Role>,
}

pub struct Directory {
    store: Arc<dyn Store>,
    settings: Settings,
    cipher: MemorableCipher,
    /// Verified machine credentials by token hash.
    credentials: Recent<Credential>,
    /// Verified v2 integration keys by tenant and key hash.
    integration_keys: Recent<()>,
    list_slots: Semaphore,
}

fn now() -> Timestamp {
    Utc::now()
}

fn after(d: Duration) -> Timestamp {
    now() + chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

const PERM_MAX: usize = 32;

fn check_perm_name(p: &str) -> CoreResult<()> {
    let ok = !p.is_empty()
        && p.len() <= PERM_MAX
        && p.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(CoreError::invalid(
            "perms",
            format!("'{p}' is not a permission name ([a-z0-9_-]{{1,32}})"),
        ))
    }
}

/// Keeps the first occurrence of each item, so lists read back in the order written.
fn dedup<T: PartialEq + Clone>(items: Vec<T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

fn blank_to_none(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.trim().is_empty())
}

impl Directory {
    pub fn new(store: Arc<dyn Store>, settings: Settings, secret_key: &str) -> Self {
        Self {
            credentials: Recent::new(settings.credential_cache_ttl),
            integration_keys: Recent::new(settings.credential_cache_ttl),
            list_slots: Semaphore::new(settings.list_concurrency.max(1)),
            store,
            settings,
            cipher: MemorableCipher::from_secret(secret_key),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    // ----- tenants, roles, credentials -------------------------------------------------------

    /// Creates a tenant with the default role catalogue; returns the integration key once.
    pub async fn create_tenant(&self, name: &str) -> CoreResult<(Tenant, String)> {
        let name = name.trim();
        if name.is_empty() {
            return Err(CoreError::invalid("name", "must not be empty"));
        }
        let key = crypto::random_token();
        let tenant = self
            .store
            .create_tenant(name, &crypto::token_hash(&key), &default_roles(), now())
            .await?;
        Ok((tenant, key))
    }

    pub async fn tenant(&self, id: TenantId) -> CoreResult<Tenant> {
        self.store.tenant(id).await?.ok_or(CoreError::NotFound)
    }

    pub async fn roles(&self, tenant: TenantId) -> CoreResult<Vec<Role>> {
        self.store.roles(tenant).await
    }

    pub async fn set_role(&self, tenant: TenantId, role: Role) -> CoreResult<()> {
        self.tenant(tenant).await?;
        if role.name.trim().is_empty() {
            return Err(CoreError::invalid("name", "must not be empty"));
        }
        self.store.set_role(tenant, &role).await
    }

    pub async fn create_credential(
        &self,
        tenant: TenantId,
        dialect: &str,
        name: Option<&str>,
    ) -> CoreResult<(Credential, String)> {
        self.tenant(tenant).await?;
        let token = crypto::random_token();
        let cred = self
            .store
            .create_credential(tenant, dialect, name, &crypto::token_hash(&token), now())
            .await?;
        Ok((cred, token))
    }

    /// A machine credential of `dialect`, or `Unauthorized`.
    pub async fn authenticate_credential(
        &self,
        dialect: &str,
        token: &str,
    ) -> CoreResult<Credential> {
        let hash = crypto::token_hash(token);
        let cred = match self.credentials.get(&hash) {
            Some(cred) => cred,
            None => {
                let Some(cred) = self.store.credential_by_hash(&hash).await? else {
                    return Err(CoreError::Unauthorized);
                };
                self.credentials.put(hash, cred.clone());
                cred
            }
        };
        if cred.dialect == dialect {
            Ok(cred)
        } else {
            Err(CoreError::Unauthorized)
        }
    }

    /// v2's `CompanyId` + `IntegrationKey`: both must belong together.
    pub async fn authenticate_integration_key(
        &self,
        tenant: TenantId,
        key: &str,
    ) -> CoreResult<()> {
        let hash = crypto::token_hash(key);
        let cache_key = format!("{}:{hash}", tenant.0);
        if self.integration_keys.get(&cache_key).is_some() {
            return Ok(());
        }
        match self.store.tenant_key_hash(tenant).await? {
            Some(stored) if stored == hash => {
                self.integration_keys.put(cache_key, ());
                Ok(())
            }
            _ => Err(CoreError::Unauthorized),
        }
    }

    /// MAPPING.md: an administrator's role grants admin, or its perms hold `admin` or `keaz`.
    pub fn is_admin(user: &User, roles: &[Role]) -> bool {
        user.perms.iter().any(|p| p == "admin" || p == "keaz")
            || roles
                .iter()
                .any(|r| r.number == user.role_number && r.admin)
    }

    /// The actor a logged-in user acts as.
    pub async fn actor_for(&self, user: &User, dialect: &'static str) -> CoreResult<Actor> {
        let roles = self.store.roles(user.tenant_id).await?;
        Ok(Self::user_actor(user, &roles, dialect))
    }

    fn user_actor(user: &User, roles: &[Role], dialect: &'static str) -> Actor {
        Actor {
            tenant: user.tenant_id,
            dialect,
            principal: Principal::User(user.id),
            admin: Self::is_admin(user, roles),
            grants_admin: user.perms.iter().any(|p| p == "admin" || p == "keaz"),
            grants_keaz: user.perms.iter().any(|p| p == "keaz"),
        }
    }

    // ----- users -----------------------------------------------------------------------------

    pub async fn get_user(&self, actor: &Actor, key: UserKey) -> CoreResult<User> {
        self.store
            .user(actor.tenant, key)
            .await?
            .ok_or(CoreError::NotFound)
    }

    /// Every user of the actor's tenant matching `filter`, by id: the whole-list routes of
    /// kashflow, usr and keaz. Takes a list slot like a page does.
    pub async fn all_users(&self, actor: &Actor, filter: &UserFilter) -> CoreResult<Vec<User>> {
        let _slot = self
            .list_slots
            .acquire()
            .await
            .map_err(|_| CoreError::Unavailable("the directory is shutting down".into()))?;
        self.store.all_users(actor.tenant, filter).await
    }

    /// A user and its live sessions (kashflow's `NoOfLogins`), in one store call.
    pub async fn get_user_with_sessions(
        &self,
        actor: &Actor,
        id: UserId,
    ) -> CoreResult<(User, i64)> {
        self.store
            .user_with_session_count(actor.tenant, id, SessionKind::Session, now())
            .await?
            .ok_or(CoreError::NotFound)
    }

    pub async fn list_users(
        &self,
        actor: &Actor,
        filter: &UserFilter,
        cursor: Cursor,
        limit: u32,
    ) -> CoreResult<Page> {
        // Waiting here holds no connection; a caller that goes away leaves the queue.
        let _slot = self
            .list_slots
            .acquire()
            .await
            .map_err(|_| CoreError::Unavailable("the directory is shutting down".into()))?;
        self.store
            .list_users(actor.tenant, filter, cursor, limit.clamp(1, 10_000))
            .await
    }

    fn require_admin(actor: &Actor) -> CoreResult<()> {
        if actor.admin {
            Ok(())
        } else {
            Err(CoreError::Forbidden(
                "only an administrator may change users".into(),
            ))
        }
    }

    /// The keaz grant rule, applied to whatever perms a write adds.
    fn check_grants(actor: &Actor, before: &[String], after: &[String]) -> CoreResult<()> {
        let added =
            |name: &str| after.iter().any(|p| p == name) && !before.iter().any(|p| p == name);
        if added("keaz") && !actor.grants_keaz {
            return Err(CoreError::Forbidden(
                "only keaz users may grant keaz".into(),
            ));
        }
        if added("admin") && !actor.grants_admin {
            return Err(CoreError::Forbidden(
                "only admin or keaz users may grant admin".into(),
            ));
        }
        Ok(())
    }

    fn check_password(&self, password: &str) -> CoreResult<()> {
        let len = password.chars().count();
        if len < self.settings.min_password_length.max(1) {
            return Err(CoreError::invalid(
                "password",
                format!(
                    "must be at least {} characters",
                    self.settings.min_password_length.max(1)
                ),
            ));
        }
        if len > 72 {
            return Err(CoreError::invalid(
                "password",
                "must be at most 72 characters",
            ));
        }
        Ok(())
    }

    fn check_memorable(word: &str) -> CoreResult<()> {
        let len = word.chars().count();
        if len < 3 {
            return Err(CoreError::invalid(
                "memorable_word",
                "must be at least 3 characters",
            ));
        }
        if len > 64 {
            return Err(CoreError::invalid(
                "memorable_word",
                "must be at most 64 characters",
            ));
        }
        Ok(())
    }

    async fn check_role(&self, tenant: TenantId, number: i32) -> CoreResult<()> {
        let roles = self.store.roles(tenant).await?;
        if roles.iter().any(|r| r.number == number) {
            Ok(())
        } else {
            Err(CoreError::invalid(
                "role_number",
                format!("{number} is not a role of this tenant"),
            ))
        }
    }

    fn check_lists(perms: &[String], profile_texts: &[&Option<String>]) -> CoreResult<()> {
        for p in perms {
            check_perm_name(p)?;
        }
        for text in profile_texts.iter().copied().flatten() {
            if text.chars().count() > 1024 {
                return Err(CoreError::invalid(
                    "profile",
                    "a field is over 1024 characters",
                ));
            }
        }
        Ok(())
    }

    async fn secrets_for(
        &self,
        password: Option<String>,
        memorable_word: Option<String>,
    ) -> CoreResult<SecretChange> {
        let password_hash = match password {
            Some(pw) => Some(crypto::hash_password(pw, self.settings.bcrypt_cost).await?),
            None => None,
        };
        let memorable_word_enc = match memorable_word {
            Some(w) => Some(self.cipher.encrypt(&w)?),
            None => None,
        };
        Ok(SecretChange {
            password_hash,
            memorable_word_enc,
        })
    }

    fn audit(
        actor: &Actor,
        action: AuditAction,
        id: UserId,
        uuid: Uuid,
        email: &Email,
    ) -> NewAudit {
        NewAudit {
            tenant_id: actor.tenant,
            actor: actor.label(),
            dialect: actor.dialect.to_owned(),
            action,
            user_id: id,
            user_uuid: uuid,
            user_email: email.as_str().to_owned(),
            at: now(),
        }
    }

    /// Validates a new user into a record, without touching the store.
    fn parse_new(
        &self,
        actor: &Actor,
        new: NewUser,
    ) -> CoreResult<(UserRecord, Option<String>, Option<String>)> {
        let NewUser {
            username,
            email,
            name,
            password,
            memorable_word,
            status,
            role_number,
            perms,
            website_role,
            default_account_id,
            external_id,
            profile,
            license_types,
            branch_ids,
            groups,
            folders,
            devices,
            password_expired,
        } = new;
        let email = Email::parse(&email)?;
        let username = match username {
            Some(u) => Username::parse(&u)?,
            None => Username::parse(email.as_str())?,
        };
        let names = name.parse()?;
        if let Some(pw) = &password {
            self.check_password(pw)?;
        }
        if let Some(w) = &memorable_word {
            Self::check_memorable(w)?;
        }
        let perms = dedup(perms);
        Self::check_lists(&perms, &profile_texts(&profile))?;
        Self::check_grants(actor, &[], &perms)?;
        let record = UserRecord {
            uuid: Uuid::new_v4(),
            tenant_id: actor.tenant,
            username,
            email,
            names,
            status,
            role_number: role_number.unwrap_or(DEFAULT_ROLE),
            perms,
            website_role,
            default_account_id,
            external_id: blank_to_none(external_id),
            profile,
            license_types: dedup(license_types),
            branch_ids: dedup(branch_ids),
            groups: dedup(groups),
            folders: dedup(folders),
            devices,
            password_expired,
        };
        Ok((record, password, memorable_word))
    }

    fn ticket_and_email(
        &self,
        tenant: &Tenant,
        record: &UserRecord,
        opts: CreateOptions,
    ) -> (Option<NewTicket>, Vec<NewEmail>) {
        let ticket = (opts.ticket && record.status == Status::Pending).then(crypto::random_token);
        let mut emails = Vec::new();
        match (opts.notice, &ticket) {
            (Notice::Activation, Some(t)) => emails.push(self.activation_email(
                tenant,
                record.email.as_str(),
                &record.names.full,
                t,
            )),
            (Notice::Welcome, _) => emails.push(welcome_email(
                tenant,
                record.email.as_str(),
                &record.names.full,
            )),
            _ => {}
        }
        let ticket = ticket.map(|t| NewTicket {
            token_hash: crypto::token_hash(&t),
            expires_at: after(self.settings.activation_ttl),
        });
        (ticket, emails)
    }

    fn activation_email(&self, tenant: &Tenant, to: &str, name: &str, ticket: &str) -> NewEmail {
        let url = self.settings.activation_url.replace("{ticket}", ticket);
        NewEmail {
            tenant_id: tenant.id,
            to: to.to_owned(),
            subject: format!("Activate your {} account", tenant.name),
            body: format!(
                "Hello {name},\r\n\r\nAn account has been created for you at {company}.\r\n\
                 To activate it, open this link:\r\n\r\n{url}\r\n\r\n\
                 The link can be used once and expires in {hours} hours.\r\n",
                company = tenant.name,
                hours = self.settings.activation_ttl.as_secs() / 3600,
            ),
        }
    }

    pub async fn create_user(
        &self,
        actor: &Actor,
        new: NewUser,
        opts: CreateOptions,
    ) -> CoreResult<User> {
        Self::require_admin(actor)?;
        let (record, password, memorable) = self.parse_new(actor, new)?;
        self.check_role(actor.tenant, record.role_number).await?;
        let tenant = self.tenant(actor.tenant).await?;
        let (ticket, emails) = self.ticket_and_email(&tenant, &record, opts);
        let secrets = self.secrets_for(password, memorable).await?;
        let audit = Self::audit(
            actor,
            AuditAction::Create,
            UserId(0),
            record.uuid,
            &record.email,
        );
        self.store
            .insert_user(record, secrets, audit, ticket, emails, now())
            .await
    }

    /// Creates many users in one transaction, all or nothing (keaz CSV import). Validation
    /// errors carry the 0-based index of the offending user.
    pub async fn create_users(
        &self,
        actor: &Actor,
        users: Vec<NewUser>,
        opts: CreateOptions,
    ) -> Result<Vec<User>, (Option<usize>, CoreError)> {
        Self::require_admin(actor).map_err(|e| (None, e))?;
        let tenant = self.tenant(actor.tenant).await.map_err(|e| (None, e))?;
        let roles = self
            .store
            .roles(actor.tenant)
            .await
            .map_err(|e| (None, e))?;
        let mut rows = Vec::with_capacity(users.len());
        for (i, new) in users.into_iter().enumerate() {
            let (record, password, memorable) =
                self.parse_new(actor, new).map_err(|e| (Some(i), e))?;
            if !roles.iter().any(|r| r.number == record.role_number) {
                return Err((
                    Some(i),
                    CoreError::invalid("role_number", "is not a role of this tenant"),
                ));
            }
            let (ticket, emails) = self.ticket_and_email(&tenant, &record, opts);
            let secrets = self
                .secrets_for(password, memorable)
                .await
                .map_err(|e| (Some(i), e))?;
            let audit = Self::audit(
                actor,
                AuditAction::Create,
                UserId(0),
                record.uuid,
                &record.email,
            );
            rows.push((record, secrets, audit, ticket, emails));
        }
        self.store
            .insert_users(rows, now())
            .await
            .map_err(|e| (None, e))
    }

    /// Applies a partial update. With `expected_version`, a stale version is refused; without
    /// one, the change is applied to whatever is current (retrying a lost race).
    pub async fn update_user(
        &self,
        actor: &Actor,
        id: UserId,
        patch: UserPatch,
        expected_version: Option<i64>,
    ) -> CoreResult<User> {
        Self::require_admin(actor)?;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let current = self.get_user(actor, UserKey::Id(id)).await?;
            if let Some(v) = expected_version {
                if v != current.version {
                    return Err(CoreError::VersionConflict {
                        current: current.version,
                    });
                }
            }
            let (record, password, memorable) =
                self.apply_patch(actor, &current, patch.clone()).await?;
            let secrets = self.secrets_for(password, memorable).await?;
            let audit = Self::audit(actor, AuditAction::Update, id, current.uuid, &record.email);
            match self
                .store
                .update_user(
                    actor.tenant,
                    id,
                    current.version,
                    record,
                    secrets,
                    audit,
                    now(),
                )
                .await
            {
                Err(CoreError::VersionConflict { .. })
                    if expected_version.is_none() && attempts < 3 =>
                {
                    continue
                }
                other => return other,
            }
        }
    }

    async fn apply_patch(
        &self,
        actor: &Actor,
        current: &User,
        patch: UserPatch,
    ) -> CoreResult<(UserRecord, Option<String>, Option<String>)> {
        let UserPatch {
            username,
            email,
            name,
            password,
            memorable_word,
            status,
            role_number,
            perms,
            website_role,
            default_account_id,
            external_id,
            profile,
            license_types,
            branch_ids,
            groups,
            folders,
            devices,
            password_expired,
        } = patch;
        let email = match email {
            Some(e) => Email::parse(&e)?,
            None => current.email.clone(),
        };
        let username = match username {
            Some(u) => Username::parse(&u)?,
            None => current.username.clone(),
        };
        let names = match name {
            Some(n) => n.parse()?,
            None => current.names.clone(),
        };
        if let Some(pw) = &password {
            self.check_password(pw)?;
        }
        if let Some(w) = &memorable_word {
            Self::check_memorable(w)?;
        }
        let role_number = role_number.unwrap_or(current.role_number);
        if role_number != current.role_number {
            self.check_role(actor.tenant, role_number).await?;
        }
        let perms = perms.map(dedup).unwrap_or_else(|| current.perms.clone());
        let profile = profile.unwrap_or_else(|| current.profile.clone());
        Self::check_lists(&perms, &profile_texts(&profile))?;
        Self::check_grants(actor, &current.perms, &perms)?;
        // A new password clears an expiry set by ResetPassword.
        let password_expired = match (&password, password_expired) {
            (_, Some(v)) => v,
            (Some(_), None) => false,
            (None, None) => current.password_expired,
        };
        let record = UserRecord {
            uuid: current.uuid,
            tenant_id: current.tenant_id,
            username,
            email,
            names,
            status: status.unwrap_or(current.status),
            role_number,
            perms,
            website_role: website_role.unwrap_or_else(|| current.website_role.clone()),
            default_account_id: default_account_id.unwrap_or(current.default_account_id),
            external_id: match external_id {
                Some(v) => blank_to_none(v),
                None => current.external_id.clone(),
            },
            profile,
            license_types: license_types
                .map(dedup)
                .unwrap_or_else(|| current.license_types.clone()),
            branch_ids: branch_ids
                .map(dedup)
                .unwrap_or_else(|| current.branch_ids.clone()),
            groups: groups.map(dedup).unwrap_or_else(|| current.groups.clone()),
            folders: folders
                .map(dedup)
                .unwrap_or_else(|| current.folders.clone()),
            devices: devices.unwrap_or_else(|| current.devices.clone()),
            password_expired,
        };
        Ok((record, password, memorable_word))
    }

    pub async fn delete_user(&self, actor: &Actor, id: UserId) -> CoreResult<()> {
        Self::require_admin(actor)?;
        let current = self.get_user(actor, UserKey::Id(id)).await?;
        let audit = Self::audit(actor, AuditAction::Delete, id, current.uuid, &current.email);
        if self.store.delete_user(actor.tenant, id, audit).await? {
            Ok(())
        } else {
            Err(CoreError::NotFound)
        }
    }

    pub async fn deleted_audits(&self, actor: &Actor, limit: u32) -> CoreResult<Vec<AuditRecord>> {
        self.store.deleted_audits(actor.tenant, limit).await
    }

    // ----- logins and sessions ---------------------------------------------------------------

    /// Checks a login name and password across tenants (legacy logins name no tenant), with
    /// the lockout of five failures in a row. Only active users may log in.
    pub async fn check_login(&self, key: UserKey, password: &str) -> CoreResult<LoginCheck> {
        let candidates = self.store.login_candidates(key).await?;
        if candidates.is_empty() {
            // Spend the same time as a real check, so names cannot be probed by timing.
            let _ =
                crypto::hash_password(password.to_owned(), self.settings.bcrypt_cost.min(10)).await;
            return Ok(LoginCheck::Rejected);
        }
        let at = now();
        let mut locked = false;
        for (user, secrets) in candidates {
            if secrets.locked_until.is_some_and(|until| until > at) {
                locked = true;
                continue;
            }
            let Some(hash) = secrets.password_hash.clone() else {
                continue;
            };
            if crypto::verify_password(password.to_owned(), hash).await? {
                if user.status != Status::Active || user.password_expired {
                    return Ok(LoginCheck::Rejected);
                }
                return Ok(LoginCheck::Ok(Box::new(user), secrets));
            }
            let lock_until = after(self.settings.lockout_duration);
            if self
                .store
                .login_failed(user.id, self.settings.lockout_threshold, lock_until)
                .await?
            {
                locked = true;
            }
        }
        Ok(if locked {
            LoginCheck::Locked
        } else {
            LoginCheck::Rejected
        })
    }

    /// Counts a failed second step (e.g. wrong memorable-word letters) toward the lockout.
    pub async fn login_failed(&self, user: UserId) -> CoreResult<bool> {
        self.store
            .login_failed(
                user,
                self.settings.lockout_threshold,
                after(self.settings.lockout_duration),
            )
            .await
    }

    /// Whether the user is locked out right now.
    pub async fn is_locked(&self, tenant: TenantId, user: UserId) -> CoreResult<bool> {
        let secrets = self
            .store
            .user_secrets(tenant, user)
            .await?
            .unwrap_or_default();
        Ok(secrets.locked_until.is_some_and(|until| until > now()))
    }

    /// Records a completed login: resets the failure count and sets `last_login_at`.
    pub async fn login_succeeded(&self, user: UserId) -> CoreResult<()> {
        self.store.login_succeeded(user, now()).await
    }

    /// The memorable word's letters at `positions` (1-based), for comparing with a login.
    pub fn memorable_letters(
        &self,
        secrets: &UserSecrets,
        positions: &[usize],
    ) -> CoreResult<Vec<char>> {
        let Some(enc) = &secrets.memorable_word_enc else {
            return Ok(Vec::new());
        };
        let word: Vec<char> = self.cipher.decrypt(enc)?.chars().collect();
        positions
            .iter()
            .map(|&p| {
                p.checked_sub(1)
                    .and_then(|i| word.get(i).copied())
                    .ok_or_else(|| {
                        CoreError::Internal("position outside the memorable word".into())
                    })
            })
            .collect()
    }

    pub fn memorable_len(&self, secrets: &UserSecrets) -> CoreResult<usize> {
        match &secrets.memorable_word_enc {
            Some(enc) => Ok(self.cipher.decrypt(enc)?.chars().count()),
            None => Ok(0),
        }
    }

    pub async fn user_secrets(&self, tenant: TenantId, user: UserId) -> CoreResult<UserSecrets> {
        self.store
            .user_secrets(tenant, user)
            .await?
            .ok_or(CoreError::NotFound)
    }

    /// Starts a session or temporary token; returns the token (stored only as a hash).
    pub async fn start_session(
        &self,
        user: &User,
        dialect: &str,
        kind: SessionKind,
        data: Option<String>,
    ) -> CoreResult<(Session, String)> {
        let token = crypto::random_token();
        let ttl = match kind {
            SessionKind::Temporary => self.settings.temporary_token_ttl,
            SessionKind::Session => self.settings.session_idle_ttl,
        };
        let session = self
            .store
            .create_session(
                NewSession {
                    tenant_id: user.tenant_id,
                    user_id: user.id,
                    dialect: dialect.to_owned(),
                    kind,
                    token_hash: crypto::token_hash(&token),
                    data,
                    expires_at: after(ttl),
                },
                now(),
            )
            .await?;
        Ok((session, token))
    }

    /// Finds a live session of `dialect` and `kind` for a token. A session's idle expiry is
    /// pushed forward on use; a temporary token is not (it is consumed instead).
    pub async fn find_session(
        &self,
        dialect: &'static str,
        kind: SessionKind,
        token: &str,
    ) -> CoreResult<Option<SessionAuth>> {
        let Some((session, user, roles)) = self
            .store
            .session_by_hash(&crypto::token_hash(token))
            .await?
        else {
            return Ok(None);
        };
        let at = now();
        if session.dialect != dialect || session.kind != kind || session.expires_at <= at {
            return Ok(None);
        }
        if kind == SessionKind::Session {
            if user.status != Status::Active {
                return Ok(None);
            }
            // Pushing the idle expiry forward is a write; doing it on every read would put
            // every authenticated request behind SQLite's single writer. A session is touched
            // once it has aged a tenth of its idle time (at most a minute), so it expires
            // between 90% and 100% of `sessions.idle_ttl` after its last use.
            let refresh = (self.settings.session_idle_ttl / 10).min(Duration::from_secs(60));
            let aged = (at - session.last_used_at).to_std().unwrap_or_default();
            if aged >= refresh {
                self.store
                    .touch_session(session.id, at, after(self.settings.session_idle_ttl))
                    .await?;
            }
        }
        let actor = Self::user_actor(&user, &roles, dialect);
        Ok(Some(SessionAuth {
            session,
            user,
            actor,
            roles,
        }))
    }

    /// Removes a session; false when it was already gone (a reused temporary token).
    pub async fn end_session(&self, session_id: i64) -> CoreResult<bool> {
        self.store.delete_session(session_id).await
    }

    pub async fn session_counts(&self, ids: &[UserId]) -> CoreResult<Vec<(UserId, i64)>> {
        self.store
            .session_counts(ids, SessionKind::Session, now())
            .await
    }

    // ----- activation ------------------------------------------------------------------------

    pub async fn ticket_valid(&self, ticket: &str) -> CoreResult<bool> {
        self.store
            .ticket_valid(&crypto::token_hash(ticket), now())
            .await
    }

    /// Redeems a ticket: the user becomes active (with the password, if one is sent).
    pub async fn activate(
        &self,
        dialect: &str,
        ticket: &str,
        password: Option<String>,
    ) -> CoreResult<RedeemOutcome> {
        let hash = crypto::token_hash(ticket);
        if !self.store.ticket_valid(&hash, now()).await? {
            return Ok(RedeemOutcome::NoSuchTicket);
        }
        if let Some(pw) = &password {
            self.check_password(pw)?;
        }
        let password_hash = match password {
            Some(pw) => Some(crypto::hash_password(pw, self.settings.bcrypt_cost).await?),
            None => None,
        };
        self.store
            .redeem_ticket(&hash, Redeem { password_hash }, "ticket", dialect, now())
            .await
    }

    /// A new ticket for a pending user (or one whose password was reset); the old one is void.
    pub async fn resend_activation(&self, actor: &Actor, id: UserId) -> CoreResult<()> {
        Self::require_admin(actor)?;
        let user = self.get_user(actor, UserKey::Id(id)).await?;
        if user.status != Status::Pending && !user.password_expired {
            return Err(CoreError::invalid(
                "status",
                "the user is not pending activation",
            ));
        }
        self.replace_ticket(actor, &user, true).await
    }

    /// A ticket (and its email) for a user whose password was just reset.
    pub async fn issue_reset_ticket(
        &self,
        actor: &Actor,
        id: UserId,
        send_email: bool,
    ) -> CoreResult<()> {
        Self::require_admin(actor)?;
        let user = self.get_user(actor, UserKey::Id(id)).await?;
        self.replace_ticket(actor, &user, send_email).await
    }

    /// Voids the user's open tickets and stores a fresh one, with its email when asked.
    async fn replace_ticket(&self, actor: &Actor, user: &User, send_email: bool) -> CoreResult<()> {
        let tenant = self.tenant(actor.tenant).await?;
        let ticket = crypto::random_token();
        let email = send_email.then(|| {
            self.activation_email(&tenant, user.email.as_str(), &user.names.full, &ticket)
        });
        let fresh = NewTicket {
            token_hash: crypto::token_hash(&ticket),
            expires_at: after(self.settings.activation_ttl),
        };
        self.store
            .replace_ticket(actor.tenant, user.id, fresh, email, now())
            .await
    }

    /// Creates a user whose password must be set again through activation (v2
    /// `ResetPassword`): the user (password expired), a ticket and, when `send_email`, the
    /// activation email commit in one transaction, whatever the user's status.
    pub async fn create_user_with_reset(
        &self,
        actor: &Actor,
        mut new: NewUser,
        send_email: bool,
    ) -> CoreResult<User> {
        Self::require_admin(actor)?;
        new.password_expired = true;
        let (record, password, memorable) = self.parse_new(actor, new)?;
        self.check_role(actor.tenant, record.role_number).await?;
        let tenant = self.tenant(actor.tenant).await?;
        let ticket = crypto::random_token();
        let emails = if send_email {
            vec![self.activation_email(&tenant, record.email.as_str(), &record.names.full, &ticket)]
        } else {
            Vec::new()
        };
        let ticket = NewTicket {
            token_hash: crypto::token_hash(&ticket),
            expires_at: after(self.settings.activation_ttl),
        };
        let secrets = self.secrets_for(password, memorable).await?;
        let audit = Self::audit(
            actor,
            AuditAction::Create,
            UserId(0),
            record.uuid,
            &record.email,
        );
        self.store
            .insert_user(record, secrets, audit, Some(ticket), emails, now())
            .await
    }

    // ----- keaz assets and bookings ----------------------------------------------------------

    /// The tag an asset is stored under: short, printable, no path separators.
    fn check_asset_tag(tag: &str) -> CoreResult<()> {
        let ok = !tag.is_empty()
            && tag.chars().count() <= 64
            && tag
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'));
        if ok {
            Ok(())
        } else {
            Err(CoreError::invalid(
                "tag",
                "must be 1 to 64 of the characters A-Z a-z 0-9 _ - . :",
            ))
        }
    }

    pub async fn user_assets(&self, actor: &Actor, id: UserId) -> CoreResult<Vec<Asset>> {
        self.store.user_assets(actor.tenant, id).await
    }

    pub async fn user_asset(&self, actor: &Actor, id: UserId, tag: &str) -> CoreResult<Asset> {
        self.store
            .user_asset(actor.tenant, id, tag)
            .await?
            .ok_or(CoreError::NotFound)
    }

    /// Stores `data` (JSON text, checked by the dialect) under `tag`; true when newly created.
    pub async fn put_user_asset(
        &self,
        actor: &Actor,
        id: UserId,
        tag: &str,
        data: &str,
    ) -> CoreResult<(Asset, bool)> {
        Self::require_admin(actor)?;
        Self::check_asset_tag(tag)?;
        self.store
            .put_user_asset(actor.tenant, id, tag, data, now())
            .await
    }

    pub async fn add_booking(
        &self,
        actor: &Actor,
        id: UserId,
        booking: NewBooking,
    ) -> CoreResult<Booking> {
        Self::require_admin(actor)?;
        let asset = booking.asset.trim();
        if asset.is_empty() || asset.chars().count() > 255 {
            return Err(CoreError::invalid("asset", "must be 1 to 255 characters"));
        }
        if booking.end <= booking.start {
            return Err(CoreError::invalid("end", "must be after start"));
        }
        let booking = NewBooking {
            asset: asset.to_owned(),
            ..booking
        };
        self.store
            .insert_booking(actor.tenant, id, booking, now())
            .await
    }

    /// Bookings of the user overlapping `[from, to)`.
    pub async fn bookings_overlapping(
        &self,
        actor: &Actor,
        id: UserId,
        from: Timestamp,
        to: Timestamp,
    ) -> CoreResult<Vec<Booking>> {
        self.store
            .bookings_overlapping(actor.tenant, id, from, to)
            .await
    }
}

fn profile_texts(p: &Profile) -> [&Option<String>; 9] {
    let Profile {
        employee_id,
        contact_number,
        license_number,
        license_expiry_month,
        license_expiry_year,
        license_type,
        license_country,
        cost_centre_id,
        activated_via_company_id,
    } = p;
    [
        employee_id,
        contact_number,
        license_number,
        license_expiry_month,
        license_expiry_year,
        license_type,
        license_country,
        cost_centre_id,
        activated_via_company_id,
    ]
}

fn welcome_email(tenant: &Tenant, to: &str, name: &str) -> NewEmail {
    NewEmail {
        tenant_id: tenant.id,
        to: to.to_owned(),
        subject: format!("Welcome to {}", tenant.name),
        body: format!(
            "Hello {name},\r\n\r\nAn account has been created for you at {}.\r\n",
            tenant.name
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perm_names() {
        assert!(check_perm_name("admin").is_ok());
        assert!(check_perm_name("cost-centre_2").is_ok());
        assert!(check_perm_name("Admin").is_err());
        assert!(check_perm_name("").is_err());
        assert!(check_perm_name(&"a".repeat(33)).is_err());
    }

    #[test]
    fn grant_rule() {
        let mut actor = Actor::cli(TenantId(1));
        actor.grants_keaz = false;
        assert!(Directory::check_grants(&actor, &[], &["admin".into()]).is_ok());
        assert!(Directory::check_grants(&actor, &[], &["keaz".into()]).is_err());
        // keeping a perm one already has is no grant
        assert!(Directory::check_grants(&actor, &["keaz".into()], &["keaz".into()]).is_ok());
        actor.grants_admin = false;
        assert!(Directory::check_grants(&actor, &[], &["admin".into()]).is_err());
    }
}
