//! How many connections the gateway holds: the process's open-file limit, raised at start, and
//! `server.max_connections` per listener within it. Each connection is a file descriptor; a
//! gateway that runs out of them cannot accept, open a database connection or write a file,
//! so every request hangs. Bounded below the limit, a flood of sockets is refused (they wait in
//! the listen backlog, then are dropped) while accepted connections are still served.

use crate::config::Config;

/// `server.max_connections` when it is not set.
const DEFAULT_MAX_CONNECTIONS: u64 = 25_000;

/// Descriptors kept free of connections: the database pool, the outbox directory, the log,
/// the listeners, the runtime's own.
const RESERVED_FILES: u64 = 256;

/// The open-file limit before and after [`raise_open_file_limit`]; `None` where the platform
/// has none to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileLimit {
    pub before: Option<u64>,
    pub now: Option<u64>,
}

/// Raises the soft open-file limit to the hard limit (a soft limit of 1,024 is the usual
/// default, which 1,100 idle sockets exhaust). Failing to is logged, not fatal.
#[cfg(unix)]
pub fn raise_open_file_limit() -> FileLimit {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    let limit = getrlimit(Resource::Nofile);
    // An unlimited hard limit cannot be the soft one on Linux (`nr_open` caps it), so a
    // generous finite value is asked for instead.
    let wanted = limit.maximum.unwrap_or(1 << 20);
    let before = limit.current;
    if before.is_some_and(|soft| soft >= wanted) || before.is_none() {
        return FileLimit {
            before,
            now: before,
        };
    }
    match setrlimit(
        Resource::Nofile,
        Rlimit {
            current: Some(wanted),
            maximum: limit.maximum,
        },
    ) {
        Ok(()) => FileLimit {
            before,
            now: getrlimit(Resource::Nofile).current,
        },
        Err(e) => {
            tracing::warn!(error = %e, soft = ?before, hard = ?limit.maximum,
                "could not raise the open-file limit");
            FileLimit {
                before,
                now: before,
            }
        }
    }
}

#[cfg(not(unix))]
pub fn raise_open_file_limit() -> FileLimit {
    FileLimit {
        before: None,
        now: None,
    }
}

/// The connections one listener may hold: `server.max_connections`, else the default within
/// the open-file limit.
pub fn max_connections(config: &Config, files: FileLimit) -> usize {
    if let Some(n) = config.server.max_connections {
        return n;
    }
    let within_files = files.now.map_or(DEFAULT_MAX_CONNECTIONS, |n| {
        n.saturating_sub(RESERVED_FILES)
    });
    usize::try_from(DEFAULT_MAX_CONNECTIONS.min(within_files).max(1)).unwrap_or(25_000)
}

/// actix counts connections per worker thread: the listener's bound spread over its workers
/// (rounded up, so a bound of 1 still accepts).
pub fn per_worker(max_connections: usize, workers: usize) -> usize {
    max_connections.div_ceil(workers.max(1)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_stays_within_the_file_limit() {
        let config = Config::default();
        let files = |n| FileLimit {
            before: Some(1024),
            now: n,
        };
        assert_eq!(max_connections(&config, files(Some(1024))), 768);
        assert_eq!(max_connections(&config, files(Some(1 << 20))), 25_000);
        assert_eq!(max_connections(&config, files(None)), 25_000);
        assert_eq!(max_connections(&config, files(Some(10))), 1);
        let mut config = Config::default();
        config.server.max_connections = Some(3);
        assert_eq!(max_connections(&config, files(Some(1 << 20))), 3);
    }

    #[test]
    fn spread_over_workers() {
        assert_eq!(per_worker(25_000, 2), 12_500);
        assert_eq!(per_worker(3, 2), 2);
        assert_eq!(per_worker(1, 4), 1);
        assert_eq!(per_worker(10, 0), 10);
    }

    #[cfg(unix)]
    #[test]
    fn the_soft_limit_is_raised_to_the_hard_one() {
        let limit = raise_open_file_limit();
        let hard = rustix::process::getrlimit(rustix::process::Resource::Nofile).maximum;
        assert!(limit.now >= limit.before);
        if let (Some(now), Some(hard)) = (limit.now, hard) {
            assert_eq!(now, hard);
        }
    }
}
