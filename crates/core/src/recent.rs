//! Machine credentials that verified a moment ago.
//!
//! usr bearer tokens and v2 integration keys are checked on every call, and that check was one
//! of the two database reads of a GET by id. A positive answer is kept for a few seconds (the
//! `security.credential_cache_ttl` setting, 0 to turn it off): that is how long a credential
//! revoked or rotated out (by the CLI, in another process) may still be honoured here. Only
//! hashes are kept, never a token, and a failed check is never kept, so a wrong key always
//! costs a read.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// More entries than this and the map starts over: one tenant's few credentials fit many times
/// over, and a flood of distinct valid tokens cannot grow it without bound.
const MAX_ENTRIES: usize = 4096;

pub(crate) struct Recent<V> {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Instant, V)>>,
}

impl<V: Clone> Recent<V> {
    pub(crate) fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<V> {
        if self.ttl.is_zero() {
            return None;
        }
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| v.clone())
    }

    pub(crate) fn put(&self, key: String, value: V) {
        if self.ttl.is_zero() {
            return;
        }
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(key, (Instant::now(), value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_for_the_ttl_only() {
        let r = Recent::new(Duration::from_millis(50));
        r.put("a".into(), 1);
        assert_eq!(r.get("a"), Some(1));
        assert_eq!(r.get("b"), None);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(r.get("a"), None);
    }

    #[test]
    fn zero_ttl_keeps_nothing() {
        let r = Recent::new(Duration::ZERO);
        r.put("a".into(), 1);
        assert_eq!(r.get("a"), None);
    }

    #[test]
    fn bounded() {
        let r = Recent::new(Duration::from_secs(60));
        for i in 0..=MAX_ENTRIES {
            r.put(i.to_string(), i);
        }
        assert!(r.entries.lock().unwrap().len() <= MAX_ENTRIES);
        assert_eq!(r.get(&MAX_ENTRIES.to_string()), Some(MAX_ENTRIES));
    }
}
