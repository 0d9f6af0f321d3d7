//! Callers named as a person reads them, for `rosetta usage callers` and the console.

use std::collections::HashMap;

use rosetta_core::{Actor, CallerUsage, Directory, UserId, UserKey};

/// A caller as a person reads it: the credential's name, the user's username, the tenant's
/// name for its integration key. Looked up once per tenant or user.
#[derive(Default)]
pub struct Labels {
    credentials: HashMap<i64, HashMap<i64, Option<String>>>,
}

impl Labels {
    pub async fn of(&mut self, dir: &Directory, c: &CallerUsage) -> Option<String> {
        let tenant = c.tenant?;
        if let Some(id) = c.caller.strip_prefix("credential:") {
            let id: i64 = id.parse().ok()?;
            if let std::collections::hash_map::Entry::Vacant(e) = self.credentials.entry(tenant.0) {
                let names = dir
                    .credentials_of(tenant)
                    .await
                    .ok()?
                    .into_iter()
                    .map(|s| (s.id, s.name))
                    .collect();
                e.insert(names);
            }
            return self.credentials.get(&tenant.0)?.get(&id).cloned().flatten();
        }
        if let Some(id) = c.caller.strip_prefix("user:") {
            let id: i64 = id.parse().ok()?;
            let user = dir
                .get_user(&Actor::cli(tenant), UserKey::Id(UserId(id)))
                .await
                .ok()?;
            return Some(user.username.as_str().to_owned());
        }
        if c.caller.starts_with("integration-key:") {
            return dir.tenant(tenant).await.ok().map(|t| t.name);
        }
        None
    }
}
