//! Row types and their conversion to the core model. Lists are JSON text and times are epoch
//! milliseconds, which both backends store the same way.

use chrono::DateTime;
use diesel::prelude::*;
use rosetta_core::{
    AuditAction, AuditRecord, Email, Names, Profile, Session, SessionKind, Status, TenantId,
    Timestamp, User, UserId, UserRecord, UserSecrets, Username,
};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::error::StoreError;
use crate::schema::{audit_log, sessions, users};

pub fn millis(t: Timestamp) -> i64 {
    t.timestamp_millis()
}

pub fn from_millis(ms: i64) -> Result<Timestamp, StoreError> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| StoreError::Corrupt(format!("time {ms}")))
}

fn json<T: DeserializeOwned>(column: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn uuid(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|e| StoreError::Corrupt(format!("uuid: {e}")))
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub uuid: String,
    pub tenant_id: i64,
    pub username: String,
    pub email: String,
    pub full_name: String,
    pub first_name: String,
    pub last_name: String,
    pub status: String,
    pub role_number: i32,
    pub perms: String,
    pub website_role: Option<String>,
    pub default_account_id: Option<i64>,
    pub external_id: Option<String>,
    pub employee_id: Option<String>,
    pub contact_number: Option<String>,
    pub license_number: Option<String>,
    pub license_expiry_month: Option<String>,
    pub license_expiry_year: Option<String>,
    pub license_type: Option<String>,
    pub license_country: Option<String>,
    pub cost_centre_id: Option<String>,
    pub activated_via_company_id: Option<String>,
    pub license_types: String,
    pub branch_ids: String,
    pub group_ids: String,
    pub folder_ids: String,
    pub devices: String,
    pub password_hash: Option<String>,
    pub memorable_word_enc: Option<String>,
    pub password_expired: bool,
    pub failed_logins: i32,
    pub locked_until: Option<i64>,
    pub last_login_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

impl UserRow {
    pub fn secrets(&self) -> Result<UserSecrets, StoreError> {
        Ok(UserSecrets {
            password_hash: self.password_hash.clone(),
            memorable_word_enc: self.memorable_word_enc.clone(),
            failed_logins: self.failed_logins,
            locked_until: self.locked_until.map(from_millis).transpose()?,
        })
    }

    pub fn into_user(self) -> Result<User, StoreError> {
        let UserRow {
            id,
            uuid: uuid_text,
            tenant_id,
            username,
            email,
            full_name,
            first_name,
            last_name,
            status,
            role_number,
            perms,
            website_role,
            default_account_id,
            external_id,
            employee_id,
            contact_number,
            license_number,
            license_expiry_month,
            license_expiry_year,
            license_type,
            license_country,
            cost_centre_id,
            activated_via_company_id,
            license_types,
            branch_ids,
            group_ids,
            folder_ids,
            devices,
            password_hash,
            memorable_word_enc,
            password_expired,
            failed_logins: _,
            locked_until: _,
            last_login_at,
            created_at,
            updated_at,
            version,
        } = self;
        Ok(User {
            id: UserId(id),
            uuid: uuid(&uuid_text)?,
            tenant_id: TenantId(tenant_id),
            username: Username::parse(&username)
                .map_err(|e| StoreError::Corrupt(format!("username: {e}")))?,
            email: Email::parse(&email).map_err(|e| StoreError::Corrupt(format!("email: {e}")))?,
            names: Names {
                full: full_name,
                first: first_name,
                last: last_name,
            },
            status: Status::parse(&status)
                .ok_or_else(|| StoreError::Corrupt(format!("status {status}")))?,
            role_number,
            perms: json("perms", &perms)?,
            website_role,
            default_account_id,
            external_id,
            profile: Profile {
                employee_id,
                contact_number,
                license_number,
                license_expiry_month,
                license_expiry_year,
                license_type,
                license_country,
                cost_centre_id,
                activated_via_company_id,
            },
            license_types: json("license_types", &license_types)?,
            branch_ids: json("branch_ids", &branch_ids)?,
            groups: json("group_ids", &group_ids)?,
            folders: json("folder_ids", &folder_ids)?,
            devices: json("devices", &devices)?,
            last_login_at: last_login_at.map(from_millis).transpose()?,
            password_expired,
            has_password: password_hash.is_some(),
            has_memorable_word: memorable_word_enc.is_some(),
            created_at: from_millis(created_at)?,
            updated_at: from_millis(updated_at)?,
            version,
        })
    }
}

/// The columns a user write sets from a [`UserRecord`]. `treat_none_as_null` so that clearing
/// an optional field really clears it on update; `treat_none_as_default_value = false` so that
/// an insert binds `NULL` for an absent value instead of writing `DEFAULT` (none of these
/// columns has another default): SQLite has no `DEFAULT` in `VALUES`, and Diesel falls back to
/// one statement per row when a batch could contain it.
#[derive(Insertable, AsChangeset)]
#[diesel(
    table_name = users,
    treat_none_as_null = true,
    treat_none_as_default_value = false
)]
pub struct UserValues {
    pub uuid: String,
    pub tenant_id: i64,
    pub username: String,
    pub username_key: String,
    pub email: String,
    pub email_key: String,
    pub full_name: String,
    pub first_name: String,
    pub last_name: String,
    pub name_key: String,
    pub status: String,
    pub role_number: i32,
    pub perms: String,
    pub website_role: Option<String>,
    pub default_account_id: Option<i64>,
    pub external_id: Option<String>,
    pub employee_id: Option<String>,
    pub contact_number: Option<String>,
    pub license_number: Option<String>,
    pub license_expiry_month: Option<String>,
    pub license_expiry_year: Option<String>,
    pub license_type: Option<String>,
    pub license_country: Option<String>,
    pub cost_centre_id: Option<String>,
    pub activated_via_company_id: Option<String>,
    pub license_types: String,
    pub branch_ids: String,
    pub group_ids: String,
    pub folder_ids: String,
    pub devices: String,
    pub password_expired: bool,
    pub updated_at: i64,
}

/// What a name search matches against: full, first and last name in lower case.
pub fn name_key(names: &Names) -> String {
    format!("{}\n{}\n{}", names.full, names.first, names.last).to_lowercase()
}

impl UserValues {
    pub fn from_record(record: UserRecord, now: Timestamp) -> Result<Self, StoreError> {
        let UserRecord {
            uuid,
            tenant_id,
            username,
            email,
            names,
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
        } = record;
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
        } = profile;
        Ok(Self {
            uuid: uuid.to_string(),
            tenant_id: tenant_id.0,
            username_key: username.key(),
            username: username.into(),
            email_key: email.key(),
            email: email.into(),
            name_key: name_key(&names),
            full_name: names.full,
            first_name: names.first,
            last_name: names.last,
            status: status.as_str().to_owned(),
            role_number,
            perms: to_json(&perms)?,
            website_role,
            default_account_id,
            external_id,
            employee_id,
            contact_number,
            license_number,
            license_expiry_month,
            license_expiry_year,
            license_type,
            license_country,
            cost_centre_id,
            activated_via_company_id,
            license_types: to_json(&license_types)?,
            branch_ids: to_json(&branch_ids)?,
            group_ids: to_json(&groups)?,
            folder_ids: to_json(&folders)?,
            devices: to_json(&devices)?,
            password_expired,
            updated_at: millis(now),
        })
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: i64,
    pub tenant_id: i64,
    pub user_id: i64,
    pub dialect: String,
    pub kind: String,
    pub data: Option<String>,
    pub created_at: i64,
    pub last_used_at: i64,
    pub expires_at: i64,
}

impl SessionRow {
    pub fn into_session(self) -> Result<Session, StoreError> {
        Ok(Session {
            id: self.id,
            tenant_id: TenantId(self.tenant_id),
            user_id: UserId(self.user_id),
            dialect: self.dialect,
            kind: SessionKind::parse(&self.kind)
                .ok_or_else(|| StoreError::Corrupt(format!("session kind {}", self.kind)))?,
            data: self.data,
            created_at: from_millis(self.created_at)?,
            last_used_at: from_millis(self.last_used_at)?,
            expires_at: from_millis(self.expires_at)?,
        })
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: i64,
    pub tenant_id: i64,
    pub actor: String,
    pub dialect: String,
    pub action: String,
    pub user_id: i64,
    pub user_uuid: String,
    pub user_email: String,
    pub at: i64,
}

impl AuditRow {
    pub fn into_record(self) -> Result<AuditRecord, StoreError> {
        Ok(AuditRecord {
            id: self.id,
            tenant_id: TenantId(self.tenant_id),
            actor: self.actor,
            dialect: self.dialect,
            action: AuditAction::parse(&self.action)
                .ok_or_else(|| StoreError::Corrupt(format!("audit action {}", self.action)))?,
            user_id: UserId(self.user_id),
            user_uuid: uuid(&self.user_uuid)?,
            user_email: self.user_email,
            at: from_millis(self.at)?,
        })
    }
}
