//! The users table, write side: the columns a write sets, the one encoding of a new user row,
//! and the one multi-row insert of many.

use diesel::prelude::*;
use rosetta_core::{Names, Profile, SecretChange, Timestamp, UserRecord};

use super::users::UserRow;
use super::{millis, rows_per_statement, to_json};
use crate::db::{on_backend, DbConn};
use crate::error::StoreError;
use crate::schema::users;

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
pub(crate) struct UserValues {
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
    /// `full_name` in lower case: SCIM `displayName eq` seeks by it.
    pub full_name_key: String,
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
    pub folder_ids: String,
    pub devices: String,
    pub password_expired: bool,
    pub updated_at: i64,
}

/// What a name search matches against: full, first and last name in lower case.
fn name_key(names: &Names) -> String {
    format!("{}\n{}\n{}", names.full, names.first, names.last).to_lowercase()
}

impl UserValues {
    pub(crate) fn from_record(record: UserRecord, now: Timestamp) -> Result<Self, StoreError> {
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
            // Memberships: written by the caller, `rows::groups::set_user_groups`.
            groups: _,
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
            full_name_key: names.full.to_lowercase(),
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
            folder_ids: to_json(&folders)?,
            devices: to_json(&devices)?,
            password_expired,
            updated_at: millis(now),
        })
    }
}

/// Every column a new user row sets: the record's columns, its secrets, and the three columns
/// only an insert sets.
#[derive(Insertable)]
#[diesel(table_name = users, treat_none_as_default_value = false)]
pub(crate) struct NewUserRow {
    #[diesel(embed)]
    values: UserValues,
    password_hash: Option<String>,
    memorable_word_enc: Option<String>,
    created_at: i64,
    version: i64,
    /// The import batch the row is written under, invisible until its flip; `None` (NULL)
    /// for every other insert (`crate::import_batch`).
    import_batch: Option<i64>,
}

/// Bound parameters per new user row (the columns of [`UserValues`] and the five of
/// [`NewUserRow`]).
pub(crate) const USER_COLUMNS: usize = 37;

impl NewUserRow {
    pub(crate) fn new(
        record: UserRecord,
        secrets: SecretChange,
        now: Timestamp,
    ) -> Result<Self, StoreError> {
        let SecretChange {
            password_hash,
            memorable_word_enc,
        } = secrets;
        Ok(Self {
            values: UserValues::from_record(record, now)?,
            password_hash,
            memorable_word_enc,
            created_at: millis(now),
            version: 1,
            import_batch: None,
        })
    }

    /// The row written under import batch `batch`: no reader sees it until the batch's flip.
    pub(crate) fn set_import_batch(&mut self, batch: i64) {
        self.import_batch = Some(batch);
    }

    /// Inserts one user row; returns its id.
    pub(crate) fn insert(&self, conn: &mut DbConn) -> Result<i64, StoreError> {
        Ok(diesel::insert_into(users::table)
            .values(self)
            .returning(users::id)
            .get_result(conn)?)
    }

    /// The row as the database now holds it, once its insert gave it `id`: what a read-back
    /// would give, built without one (a new row's other columns take their defaults).
    pub(crate) fn into_stored(self, id: i64) -> UserRow {
        let Self {
            values,
            password_hash,
            memorable_word_enc,
            created_at,
            version,
            // Cleared by the flip before anyone reads the row as a user.
            import_batch: _,
        } = self;
        let UserValues {
            uuid,
            tenant_id,
            username,
            username_key: _,
            email,
            email_key: _,
            full_name,
            first_name,
            last_name,
            name_key: _,
            full_name_key: _,
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
            folder_ids,
            devices,
            password_expired,
            updated_at,
        } = values;
        UserRow {
            id,
            uuid,
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
            folder_ids,
            devices,
            password_hash,
            memorable_word_enc,
            password_expired,
            failed_logins: 0,
            locked_until: None,
            last_login_at: None,
            created_at,
            updated_at,
            version,
        }
    }
}

/// Inserts user rows in multi-row statements, on a connection the caller has put in a
/// transaction. The one way users are inserted in numbers: the loader (`bulk`) and the CSV
/// import (`Store::insert_users`) both come through it. Returns each row's id and uuid, and
/// nothing else: whatever is decoded here is decoded under the write lock. In statement order;
/// RETURNING promises no order within a statement, so match by uuid or sort by id.
pub(crate) fn insert_user_rows(
    conn: &mut DbConn,
    rows: &[NewUserRow],
) -> Result<Vec<(i64, String)>, StoreError> {
    let mut inserted: Vec<(i64, String)> = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(rows_per_statement(USER_COLUMNS)) {
        // The same statement for each concrete connection: Diesel's batch insert is written
        // per backend (SQLite's needs the no-DEFAULT form above).
        let mut got: Vec<(i64, String)> =
            on_backend!(&mut *conn, |c| diesel::insert_into(users::table)
                .values(chunk)
                .returning((users::id, users::uuid))
                .get_results(c))?;
        inserted.append(&mut got);
    }
    Ok(inserted)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use rosetta_core::{Email, Status, TenantId, Username};
    use uuid::Uuid;

    fn row(n: usize) -> NewUserRow {
        let record = UserRecord {
            uuid: Uuid::new_v4(),
            tenant_id: TenantId(1),
            username: Username::parse(&format!("u{n}")).unwrap(),
            email: Email::parse(&format!("u{n}@example.com")).unwrap(),
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
        };
        NewUserRow::new(record, SecretChange::default(), chrono::Utc::now()).unwrap()
    }

    /// The point of the multi-row insert: one statement, not Diesel's one-per-row fallback,
    /// on both backends, with every column bound.
    #[test]
    fn one_statement_per_chunk_on_both_backends() {
        let rows: Vec<NewUserRow> = (0..3).map(row).collect();
        let q = diesel::insert_into(users::table).values(&rows[..]);
        let sqlite = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&q).to_string();
        assert!(!sqlite.contains("BEGIN"), "{sqlite}");
        assert_eq!(sqlite.matches("INSERT").count(), 1, "{sqlite}");
        assert_eq!(sqlite.matches("?").count(), 3 * USER_COLUMNS, "{sqlite}");
        let pg = diesel::debug_query::<diesel::pg::Pg, _>(&q).to_string();
        assert_eq!(pg.matches("INSERT").count(), 1, "{pg}");
        assert!(pg.contains(&format!("${}", 3 * USER_COLUMNS)), "{pg}");
        assert!(!pg.contains("DEFAULT"), "{pg}");
    }
}
