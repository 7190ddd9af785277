//! The open-file limit and the connection cap it allows: every connection is a file
//! descriptor, and the database, the listener and imports need theirs too.

/// Descriptors kept back from connections: the database pool (on SQLite each connection
/// holds the file, its `-wal` and `-shm`; on PostgreSQL one socket each), the
/// listener, standard streams, tokio's own, and the files imports and backups open.
pub const FD_RESERVE: u64 = 256;

/// The connection cap in force and the limit it was derived from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionCap {
    /// Connections served at once.
    pub connections: usize,
    /// The soft open-file limit after raising it (`None`: unknown on this system).
    pub open_file_limit: Option<u64>,
}

/// Raises the soft open-file limit to the hard one and caps connections below it.
pub fn raise_limit_and_cap(configured: usize) -> ConnectionCap {
    let open_file_limit = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => Some(limit),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read or raise the open-file limit");
            None
        }
    };
    cap_for(configured, open_file_limit)
}

/// The cap: the configured number, lowered to what `open_file_limit` leaves after the reserve
/// (at least one connection).
pub fn cap_for(configured: usize, open_file_limit: Option<u64>) -> ConnectionCap {
    let allowed = open_file_limit.map_or(usize::MAX, |limit| {
        usize::try_from(limit.saturating_sub(FD_RESERVE)).unwrap_or(usize::MAX)
    });
    ConnectionCap {
        connections: configured.min(allowed).max(1),
        open_file_limit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_stays_below_the_open_file_limit_with_a_reserve() {
        assert_eq!(cap_for(10_000, Some(1024)).connections, 768);
        assert_eq!(cap_for(10_000, Some(1_048_576)).connections, 10_000);
        assert_eq!(cap_for(500, Some(1024)).connections, 500);
    }

    #[test]
    fn a_tiny_or_unknown_limit_still_serves() {
        assert_eq!(cap_for(10_000, Some(100)).connections, 1);
        assert_eq!(cap_for(10_000, None).connections, 10_000);
        assert_eq!(cap_for(0, None).connections, 1);
    }
}
