//! Moving users in from an export (`rosetta user import`): every user checked before anything
//! is written, so that a file's problems are reported together, then the batch of
//! [`Directory::create_users`] in one transaction, with bcrypt hashes kept as they were.

use super::actor::Actor;
use super::requests::{NewUser, Onboarding};
use super::service::Directory;
use super::tenants::check_role;
use crate::error::{CoreError, CoreResult};
use crate::model::User;
use crate::secrets::BcryptHash;

/// One user of an import: what a dialect would send to create it, and, instead of a
/// password, the hash its old directory kept (stored as it is, never hashed again).
#[derive(Debug, Clone)]
pub struct ImportedUser {
    pub user: NewUser,
    pub password_hash: Option<BcryptHash>,
}

/// Many users in one transaction, all or nothing.
#[derive(Debug, Clone)]
pub struct ImportUsersRequest {
    pub users: Vec<ImportedUser>,
    pub onboarding: Onboarding,
}

impl Directory {
    /// Every user of `users` that a create would refuse, by 0-based index, with the first
    /// problem the core finds in it (the text rule, the newtypes, perms and grants, the role
    /// catalogue). Nothing is written and nothing is hashed: this is the check an import runs
    /// over a whole file before its one write. Clashes with stored users are not looked at
    /// here; the caller compares keys, and the write refuses what slips through.
    pub async fn check_new_users(
        &self,
        actor: &Actor,
        users: &[NewUser],
    ) -> CoreResult<Vec<(usize, CoreError)>> {
        actor.require_admin()?;
        let roles = self.store.roles(actor.tenant).await?;
        let mut problems = Vec::new();
        for (i, user) in users.iter().enumerate() {
            let checked = self
                .parse_new(actor, user.clone())
                .and_then(|parsed| check_role(&roles, parsed.record.role_number));
            if let Err(e) = checked {
                problems.push((i, e));
            }
        }
        Ok(problems)
    }

    /// Creates every user in one transaction, all or nothing, as [`Self::create_users`] does;
    /// a user with a `password_hash` gets that hash as its password. Errors carry the 0-based
    /// index of the offending user when there is one.
    pub async fn import_users(
        &self,
        actor: &Actor,
        request: ImportUsersRequest,
    ) -> Result<Vec<User>, (Option<usize>, CoreError)> {
        let ImportUsersRequest { users, onboarding } = request;
        let users = users
            .into_iter()
            .map(
                |ImportedUser {
                     user,
                     password_hash,
                 }| (user, password_hash),
            )
            .collect();
        self.create_many(actor, users, onboarding).await
    }
}
