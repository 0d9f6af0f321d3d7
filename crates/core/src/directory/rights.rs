//! The rights rule of MAPPING.md ("Administrator rights"), in one place for every write path
//! of every dialect: which perms an actor may grant or take away, and which users it may reach.
//!
//! Reaching a user (changing its password, memorable word, status or perms, resetting it, or
//! deleting it) needs every grant right that user's perms confer. Without this an
//! administrator who may not grant `keaz` could set a keaz holder's password through one
//! dialect and log in as that holder through another, gaining what it may not grant.

use super::actor::Actor;
use crate::error::{CoreError, CoreResult, Refusal};
use crate::model::User;
use crate::tags::PermName;

/// The perms that confer a grant right, and the refusals of granting and of reaching them.
const GRANTING_PERMS: [(&str, Refusal, Refusal); 2] = [
    ("keaz", Refusal::GrantKeaz, Refusal::ReachKeaz),
    ("admin", Refusal::GrantAdmin, Refusal::ReachAdmin),
];

/// Whether `actor` may give (or take away) the perm `name`.
fn may_grant(actor: &Actor, name: &str) -> bool {
    match name {
        "keaz" => actor.grants_keaz,
        "admin" => actor.grants_admin,
        _ => true,
    }
}

/// The perms a write adds or removes: removing a perm needs the same right as granting it.
pub(super) fn check_grants(actor: &Actor, before: &[String], after: &[PermName]) -> CoreResult<()> {
    for (name, refusal, _) in GRANTING_PERMS {
        let had = before.iter().any(|p| p == name);
        let has = after.iter().any(|p| p.as_str() == name);
        if had != has && !may_grant(actor, name) {
            return Err(CoreError::Forbidden(refusal));
        }
    }
    Ok(())
}

/// Whether `actor` may change `target`'s secrets, status or perms, or delete it.
pub(super) fn check_reach(actor: &Actor, target: &User) -> CoreResult<()> {
    for (name, _, refusal) in GRANTING_PERMS {
        if target.perms.iter().any(|p| p == name) && !may_grant(actor, name) {
            return Err(CoreError::Forbidden(refusal));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::TenantId;

    fn perms(names: &[&str]) -> Vec<PermName> {
        names.iter().map(|n| PermName::parse(n).unwrap()).collect()
    }

    #[test]
    fn grant_rule() {
        let mut actor = Actor::cli(TenantId(1));
        actor.grants_keaz = false;
        assert!(check_grants(&actor, &[], &perms(&["admin"])).is_ok());
        assert!(check_grants(&actor, &[], &perms(&["keaz"])).is_err());
        // keeping a perm one already has is no grant
        assert!(check_grants(&actor, &["keaz".into()], &perms(&["keaz"])).is_ok());
        // taking one away needs the right to give it
        assert!(matches!(
            check_grants(&actor, &["keaz".into()], &perms(&[])),
            Err(CoreError::Forbidden(Refusal::GrantKeaz))
        ));
        actor.grants_admin = false;
        assert!(check_grants(&actor, &[], &perms(&["admin"])).is_err());
        assert!(check_grants(&actor, &["admin".into()], &perms(&[])).is_err());
        assert!(check_grants(&actor, &["fleet".into()], &perms(&["x"])).is_ok());
    }
}
