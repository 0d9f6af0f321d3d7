//! Users and groups by query (SCIM's list and `.search`): checked and folded here, answered
//! by the store, a list slot held as for any page.

use super::actor::Actor;
use super::service::Directory;
use crate::error::{CoreError, CoreResult};
use crate::model::{Folded, Group, GroupQuery, Members, Query, QueryPage, User, UserQuery};

/// The most rows one query returns, whatever it asks for.
const LIMIT_MAX: u32 = 10_000;

impl Directory {
    pub async fn query_users(&self, actor: &Actor, q: &UserQuery) -> CoreResult<QueryPage<User>> {
        let folded = q.prepare()?;
        let _slot = self
            .list_slots
            .acquire()
            .await
            .map_err(|_| CoreError::Unavailable("the directory is shutting down".into()))?;
        let bounded = Query {
            limit: q.limit.min(LIMIT_MAX),
            ..q.clone()
        };
        match folded {
            Folded::Never => Ok(QueryPage {
                total: 0,
                items: Vec::new(),
            }),
            Folded::Always => self.store.query_users(actor.tenant, None, &bounded).await,
            Folded::Cond(c) => {
                self.store
                    .query_users(actor.tenant, Some(&c), &bounded)
                    .await
            }
        }
    }

    pub async fn query_groups(
        &self,
        actor: &Actor,
        q: &GroupQuery,
        members: Members,
    ) -> CoreResult<QueryPage<Group>> {
        let folded = q.prepare()?;
        let _slot = self
            .list_slots
            .acquire()
            .await
            .map_err(|_| CoreError::Unavailable("the directory is shutting down".into()))?;
        let bounded = Query {
            limit: q.limit.min(LIMIT_MAX),
            ..q.clone()
        };
        match folded {
            Folded::Never => Ok(QueryPage {
                total: 0,
                items: Vec::new(),
            }),
            Folded::Always => {
                self.store
                    .query_groups(actor.tenant, None, &bounded, members)
                    .await
            }
            Folded::Cond(c) => {
                self.store
                    .query_groups(actor.tenant, Some(&c), &bounded, members)
                    .await
            }
        }
    }
}
