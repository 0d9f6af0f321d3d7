//! Turning `PageNo` into a keyset. A v2 client names pages by number, which a database can
//! only answer with OFFSET (cost grows with the page number). Clients walk pages in order, so
//! when page N is answered, the id its last user has is remembered as where page N+1 starts;
//! asking for page N+1 then costs what page 0 costs. A page nobody led up to (or whose
//! boundary user has since been deleted, or after a restart, or on another gateway) falls back
//! to OFFSET, which gives the same rows as long as users were only added meanwhile.
//!
//! The boundaries belong to one mount of the dialect ([`Pages`], app data made once per mount
//! and shared by its workers), so two gateways in one process (tests) never share them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rosetta_core::{Status, TenantId, UserFilter, UserId};
use uuid::Uuid;

const TTL: Duration = Duration::from_secs(15 * 60);
const CAPACITY: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    tenant: i64,
    statuses: Vec<&'static str>,
    name: Option<String>,
    email: Option<String>,
    external_id: Option<String>,
    page_size: u32,
    page_no: u64,
}

impl PageKey {
    pub fn new(tenant: TenantId, filter: &UserFilter, page_size: u32, page_no: u64) -> Self {
        let UserFilter {
            statuses,
            default_account_id: _,
            name_contains,
            email,
            external_id,
        } = filter;
        let mut statuses: Vec<&'static str> =
            statuses.iter().map(|s: &Status| s.as_str()).collect();
        statuses.sort_unstable();
        statuses.dedup();
        Self {
            tenant: tenant.0,
            statuses,
            name: name_contains.as_ref().map(|n| n.to_lowercase()),
            email: email.as_ref().map(|e| e.to_lowercase()),
            external_id: external_id.clone(),
            page_size,
            page_no,
        }
    }

    pub fn next(&self) -> Self {
        Self {
            page_no: self.page_no.saturating_add(1),
            ..self.clone()
        }
    }
}

/// Where a page starts: after this user, who must still have this uuid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Boundary {
    pub after: UserId,
    pub uuid: Uuid,
}

struct Entry {
    boundary: Boundary,
    at: Instant,
}

type Finding = Arc<tokio::sync::Mutex<()>>;

/// The boundaries one mount of the dialect remembers, and the pages being found right now.
#[derive(Default)]
pub struct Pages {
    boundaries: Mutex<HashMap<PageKey, Entry>>,
    /// Pages being found by OFFSET right now. Clients ask for the same deep page at once (a
    /// dashboard on many screens, a load test); without this each would count rows off by
    /// OFFSET before the first had remembered where the page starts.
    finding: Mutex<HashMap<PageKey, Finding>>,
}

impl Pages {
    pub fn lookup(&self, key: &PageKey) -> Option<Boundary> {
        let map = self.boundaries.lock().ok()?;
        map.get(key)
            .filter(|e| e.at.elapsed() < TTL)
            .map(|e| e.boundary)
    }

    pub fn remember(&self, key: PageKey, boundary: Boundary) {
        let Ok(mut map) = self.boundaries.lock() else {
            return;
        };
        if map.len() >= CAPACITY {
            map.retain(|_, e| e.at.elapsed() < TTL);
            if map.len() >= CAPACITY {
                map.clear();
            }
        }
        map.insert(
            key,
            Entry {
                boundary,
                at: Instant::now(),
            },
        );
    }

    /// Waits until no other request is finding where `key`'s page starts, and holds that role
    /// until the guard is dropped. Look the boundary up again after this returns: the request
    /// waited for may have remembered it.
    pub async fn finding(&self, key: &PageKey) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        let lock = {
            let mut map = self.finding.lock().ok()?;
            if map.len() >= CAPACITY {
                // Only locks no one holds or waits for go; a held one lives on in its guard.
                map.retain(|_, l| Arc::strong_count(l) > 1);
            }
            Arc::clone(map.entry(key.clone()).or_default())
        };
        Some(lock.lock_owned().await)
    }
}
