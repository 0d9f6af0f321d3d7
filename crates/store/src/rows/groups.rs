//! The groups and group_members tables: rows read back as the core's groups, the one encoding
//! of a group row, and memberships, written from either side (a group's members, a user's
//! groups) through the functions here.

use std::collections::{BTreeSet, HashMap};

use diesel::prelude::*;
use rosetta_core::{
    CoreError, Field, Group, GroupRef, Member, Members, Problem, TenantId, Timestamp,
};
use uuid::Uuid;

use super::{from_millis, millis, uuid};
use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::{group_members, groups, users};

#[derive(Queryable, Selectable)]
#[diesel(table_name = groups)]
pub(crate) struct GroupRow {
    pub id: i64,
    pub uuid: String,
    pub tenant_id: i64,
    pub display_name: String,
    pub external_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

impl GroupRow {
    pub(crate) fn into_group(self, members: Vec<Member>) -> Result<Group, StoreError> {
        let GroupRow {
            id: _,
            uuid: uuid_text,
            tenant_id,
            display_name,
            external_id,
            created_at,
            updated_at,
            version,
        } = self;
        Ok(Group {
            uuid: uuid(&uuid_text)?,
            tenant_id: TenantId(tenant_id),
            display_name,
            external_id,
            members,
            created_at: from_millis(created_at)?,
            updated_at: from_millis(updated_at)?,
            version,
        })
    }
}

/// The columns a group write sets.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = groups, treat_none_as_null = true)]
pub(crate) struct GroupValues {
    pub display_name: String,
    pub display_key: String,
    pub external_id: Option<String>,
    pub updated_at: i64,
}

/// What a display name is unique by: its lower case (Rust's Unicode folding, as every key).
pub(crate) fn display_key(display_name: &str) -> String {
    display_name.to_lowercase()
}

impl GroupValues {
    pub(crate) fn new(display_name: String, external_id: Option<String>, now: Timestamp) -> Self {
        Self {
            display_key: display_key(&display_name),
            display_name,
            external_id,
            updated_at: millis(now),
        }
    }
}

/// Inserts a group row (version 1); returns its id.
pub(crate) fn insert_group_row(
    conn: &mut DbConn,
    tenant: TenantId,
    group_uuid: Uuid,
    values: &GroupValues,
    now: Timestamp,
) -> Result<i64, StoreError> {
    Ok(diesel::insert_into(groups::table)
        .values((
            values,
            groups::uuid.eq(group_uuid.to_string()),
            groups::tenant_id.eq(tenant.0),
            groups::created_at.eq(millis(now)),
            groups::version.eq(1_i64),
        ))
        .returning(groups::id)
        .get_result(conn)?)
}

pub(crate) fn group_row(
    conn: &mut DbConn,
    tenant: TenantId,
    group_uuid: Uuid,
) -> Result<Option<GroupRow>, StoreError> {
    Ok(groups::table
        .filter(groups::tenant_id.eq(tenant.0))
        .filter(groups::uuid.eq(group_uuid.to_string()))
        .select(GroupRow::as_select())
        .first(conn)
        .optional()?)
}

/// The members of each group, in user id order.
pub(crate) fn members_of(
    conn: &mut DbConn,
    group_ids: &[i64],
) -> Result<HashMap<i64, Vec<Member>>, StoreError> {
    let mut out: HashMap<i64, Vec<Member>> = HashMap::new();
    if group_ids.is_empty() {
        return Ok(out);
    }
    let rows: Vec<(i64, String, String)> = group_members::table
        .inner_join(users::table)
        .filter(group_members::group_id.eq_any(group_ids))
        .filter(super::users::visible())
        .order((group_members::group_id, users::id))
        .select((group_members::group_id, users::uuid, users::full_name))
        .load(conn)?;
    for (group, user, display) in rows {
        out.entry(group).or_default().push(Member {
            user: uuid(&user)?,
            display,
        });
    }
    Ok(out)
}

/// Rows made groups, with their members when asked for.
pub(crate) fn into_groups(
    conn: &mut DbConn,
    rows: Vec<GroupRow>,
    members: Members,
) -> Result<Vec<Group>, StoreError> {
    let mut by_group = match members {
        Members::Include => {
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            members_of(conn, &ids)?
        }
        Members::Exclude => HashMap::new(),
    };
    rows.into_iter()
        .map(|r| {
            let m = by_group.remove(&r.id).unwrap_or_default();
            r.into_group(m)
        })
        .collect()
}

/// The group uuids of each user, in group id order (v2 `Groups`).
pub(crate) fn groups_by_user(
    conn: &mut DbConn,
    user_ids: &[i64],
) -> Result<HashMap<i64, Vec<Uuid>>, StoreError> {
    let mut out: HashMap<i64, Vec<Uuid>> = HashMap::new();
    if user_ids.is_empty() {
        return Ok(out);
    }
    let rows: Vec<(i64, String)> = group_members::table
        .inner_join(groups::table)
        .filter(group_members::user_id.eq_any(user_ids))
        .order((group_members::user_id, group_members::position, groups::id))
        .select((group_members::user_id, groups::uuid))
        .load(conn)?;
    for (user, group) in rows {
        out.entry(user).or_default().push(uuid(&group)?);
    }
    Ok(out)
}

/// A user's groups as SCIM shows them.
pub(crate) fn group_refs(conn: &mut DbConn, user_id: i64) -> Result<Vec<GroupRef>, StoreError> {
    let rows: Vec<(String, String)> = group_members::table
        .inner_join(groups::table)
        .filter(group_members::user_id.eq(user_id))
        .order((group_members::position, groups::id))
        .select((groups::uuid, groups::display_name))
        .load(conn)?;
    rows.into_iter()
        .map(|(u, display_name)| {
            Ok(GroupRef {
                uuid: uuid(&u)?,
                display_name,
            })
        })
        .collect()
}

/// The ids of the tenant's users with these uuids; a validation error of `Field::Members`
/// naming the first that is no user of the tenant.
pub(crate) fn member_ids(
    conn: &mut DbConn,
    tenant: TenantId,
    members: &[Uuid],
) -> Result<Vec<i64>, StoreError> {
    let wanted: BTreeSet<String> = members.iter().map(Uuid::to_string).collect();
    let mut found: HashMap<String, i64> = HashMap::with_capacity(wanted.len());
    let list: Vec<String> = wanted.iter().cloned().collect();
    for chunk in list.chunks(CHUNK) {
        let rows: Vec<(String, i64)> = users::table
            .filter(users::tenant_id.eq(tenant.0))
            .filter(users::uuid.eq_any(chunk))
            .filter(super::users::visible())
            .select((users::uuid, users::id))
            .load(conn)?;
        found.extend(rows);
    }
    let mut ids = Vec::with_capacity(members.len());
    for m in members {
        match found.get(&m.to_string()) {
            Some(id) => ids.push(*id),
            None => {
                return Err(
                    CoreError::invalid(Field::Members, Problem::UnknownMember { uuid: *m }).into(),
                )
            }
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Values bound per membership statement, under both backends' parameter limits.
const CHUNK: usize = 5_000;

/// Adds memberships (pairs already there are left alone).
pub(crate) fn add_members(
    conn: &mut DbConn,
    group_id: i64,
    users: &[i64],
) -> Result<(), StoreError> {
    let present: BTreeSet<i64> = current_members(conn, group_id, users)?;
    let rows: Vec<_> = users
        .iter()
        .filter(|u| !present.contains(u))
        .map(|u| {
            (
                group_members::group_id.eq(group_id),
                group_members::user_id.eq(*u),
            )
        })
        .collect();
    for chunk in rows.chunks(CHUNK / 2) {
        crate::db::on_backend!(&mut *conn, |c| diesel::insert_into(group_members::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// Which of `users` are members of the group already.
fn current_members(
    conn: &mut DbConn,
    group_id: i64,
    users: &[i64],
) -> Result<BTreeSet<i64>, StoreError> {
    let mut present = BTreeSet::new();
    for chunk in users.chunks(CHUNK) {
        let got: Vec<i64> = group_members::table
            .filter(group_members::group_id.eq(group_id))
            .filter(group_members::user_id.eq_any(chunk))
            .select(group_members::user_id)
            .load(conn)?;
        present.extend(got);
    }
    Ok(present)
}

pub(crate) fn remove_members(
    conn: &mut DbConn,
    group_id: i64,
    users: &[i64],
) -> Result<(), StoreError> {
    for chunk in users.chunks(CHUNK) {
        diesel::delete(
            group_members::table
                .filter(group_members::group_id.eq(group_id))
                .filter(group_members::user_id.eq_any(chunk)),
        )
        .execute(conn)?;
    }
    Ok(())
}

pub(crate) fn clear_members(conn: &mut DbConn, group_id: i64) -> Result<(), StoreError> {
    diesel::delete(group_members::table.filter(group_members::group_id.eq(group_id)))
        .execute(conn)?;
    Ok(())
}

/// Makes `groups` a user's memberships (a v2 write of `Groups`): a uuid that names no group of
/// the tenant yet creates that group, with the uuid's text as display name, so nothing a v2
/// client wrote is lost. Each group whose members changed gets a new version.
pub(crate) fn set_user_groups(
    conn: &mut DbConn,
    tenant: TenantId,
    user_id: i64,
    wanted: &[Uuid],
    now: Timestamp,
) -> Result<(), StoreError> {
    let texts: Vec<String> = wanted.iter().map(Uuid::to_string).collect();
    let mut known: HashMap<String, i64> = HashMap::new();
    for chunk in texts.chunks(CHUNK) {
        let rows: Vec<(String, i64)> = groups::table
            .filter(groups::tenant_id.eq(tenant.0))
            .filter(groups::uuid.eq_any(chunk))
            .select((groups::uuid, groups::id))
            .load(conn)?;
        known.extend(rows);
    }
    // Each group once, at its first place in the list.
    let mut order: Vec<i64> = Vec::with_capacity(wanted.len());
    let mut created = BTreeSet::new();
    for (u, text) in wanted.iter().zip(&texts) {
        let id = match known.get(text) {
            Some(id) => *id,
            None => {
                let values = GroupValues::new(text.clone(), None, now);
                let id = insert_group_row(conn, tenant, *u, &values, now)?;
                known.insert(text.clone(), id);
                created.insert(id);
                id
            }
        };
        if !order.contains(&id) {
            order.push(id);
        }
    }
    let want_ids: BTreeSet<i64> = order.iter().copied().collect();
    let had: HashMap<i64, i32> = group_members::table
        .filter(group_members::user_id.eq(user_id))
        .select((group_members::group_id, group_members::position))
        .load::<(i64, i32)>(conn)?
        .into_iter()
        .collect();
    let gone: Vec<i64> = had
        .keys()
        .filter(|g| !want_ids.contains(g))
        .copied()
        .collect();
    for chunk in gone.chunks(CHUNK) {
        diesel::delete(
            group_members::table
                .filter(group_members::user_id.eq(user_id))
                .filter(group_members::group_id.eq_any(chunk)),
        )
        .execute(conn)?;
    }
    let mut new = Vec::new();
    let mut rows = Vec::new();
    for (place, g) in order.iter().enumerate() {
        let position = i32::try_from(place).unwrap_or(i32::MAX);
        match had.get(g) {
            Some(p) if *p == position => {}
            Some(_) => {
                diesel::update(
                    group_members::table
                        .filter(group_members::group_id.eq(*g))
                        .filter(group_members::user_id.eq(user_id)),
                )
                .set(group_members::position.eq(position))
                .execute(conn)?;
            }
            None => {
                new.push(*g);
                rows.push((
                    group_members::group_id.eq(*g),
                    group_members::user_id.eq(user_id),
                    group_members::position.eq(position),
                ));
            }
        }
    }
    for chunk in rows.chunks(CHUNK / 3) {
        crate::db::on_backend!(&mut *conn, |c| diesel::insert_into(group_members::table)
            .values(chunk)
            .execute(c))?;
    }
    // A group made just now is at version 1 with this user in it.
    let changed: Vec<i64> = gone
        .into_iter()
        .chain(new.into_iter().filter(|g| !created.contains(g)))
        .collect();
    for chunk in changed.chunks(CHUNK) {
        diesel::update(groups::table.filter(groups::id.eq_any(chunk)))
            .set((
                groups::version.eq(groups::version + 1),
                groups::updated_at.eq(millis(now)),
            ))
            .execute(conn)?;
    }
    Ok(())
}
