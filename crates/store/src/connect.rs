//! Connecting to SQLite or PostgreSQL from one URL, and running the migrations.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};
use tokio::sync::Semaphore;

use crate::access::actors::ActorLookups;
use crate::lookup_batch::LookupBatches;
use crate::shared_read::SharedRead;
use crate::write_queue::WriteQueue;
use crate::writer_gate::WriterGate;
use crate::{StoreError, import};
use pledgeboard_domain::Pledge;

/// How long a SQLite writer waits for another to finish before giving up (then the write is
/// refused as busy, 503): an ordinary write holds the writer for milliseconds (a pledge change
/// about 2 ms here), so 2 s waits out a long queue of them; what holds it longer is an import
/// in another process, and a write should hear so promptly instead of after 10 s.
pub(crate) const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(2);
/// SQLite page cache per pooled connection, in KiB (negative in the pragma). Each of the
/// pooled connections fills its own with whatever it scans: at 64 MiB each, 32 concurrent
/// report requests over 1,000,000 pledges took the server to 535–723 MiB. Reads past it come
/// from the operating system's page cache. An import raises its own connection's cache for
/// its duration ([`SQLITE_IMPORT_CACHE_KIB`]).
pub(crate) const SQLITE_CACHE_KIB: i64 = 8 * 1024;
/// SQLite page cache of an import's connection while it runs, in KiB: big enough that a large
/// import keeps its indexes in memory instead of spilling pages to the WAL and reading them
/// back (the default 2 MiB made a million-row import spend a quarter of its time in pread/pwrite).
pub(crate) const SQLITE_IMPORT_CACHE_KIB: i64 = 64 * 1024;
/// Pooled connections by default: SQLite in WAL has one writer but many readers, and a
/// PostgreSQL server's default 100 connections leave room for a dozen instances at 8 each.
pub const DEFAULT_POOL_CONNECTIONS: u32 = 8;
/// How long a request waits for a pooled connection (or for a new one to open) by default
/// before it is answered 503: a healthy pool hands one over in microseconds, so waiting
/// longer only keeps a planner staring at a spinner while the database is down.
pub const DEFAULT_POOL_TIMEOUT: Duration = Duration::from_secs(5);

/// How a [`Store`] pools its connections.
#[derive(Debug, Clone, Copy)]
pub struct PoolSettings {
    /// Connections kept open at most (one for an in-memory SQLite database).
    pub max_connections: u32,
    /// Time to wait for a connection before the database counts as unavailable.
    pub timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_connections: DEFAULT_POOL_CONNECTIONS,
            timeout: DEFAULT_POOL_TIMEOUT,
        }
    }
}
/// Rows SQLite's worker thread may read ahead of the task that consumes them (sqlx's default
/// is 50). A report that streams every active pledge (the all-states table) otherwise hands
/// rows over one wake-up at a time: measured on 100,000 pledges, the threads' wake-ups took
/// most of its time.
const SQLITE_ROW_BUFFER: usize = 4096;

/// Which database is behind a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Which backend `conn` talks to (a connection or a transaction of a [`Store`]).
    pub(crate) fn of(conn: &impl ConnectionTrait) -> Self {
        match conn.get_database_backend() {
            DbBackend::Postgres => Self::Postgres,
            _ => Self::Sqlite,
        }
    }
}

/// A connection pool to Pledgeboard's database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) db: DatabaseConnection,
    /// Whether an import of this process holds SQLite's writer (`writer_gate.rs`).
    pub(crate) writer: Arc<WriterGate>,
    /// SQLite's pledge writes, committed in groups by one task (`write_queue/`); `None` on
    /// PostgreSQL, where each write has a transaction of its own.
    pub(crate) write_queue: Option<WriteQueue>,
    /// The all-states table's scans, one at a time ([`ALL_STATES_SCANS`]).
    pub(crate) all_states_scans: Arc<Semaphore>,
    /// Readers of the data version sharing one read in flight (`shared_read.rs`).
    pub(crate) version_reads: Arc<SharedRead<i64>>,
    /// Token and session look-ups, batched (`access/actors.rs`).
    pub(crate) actor_lookups: Arc<ActorLookups>,
    /// Pledge look-ups by id, batched (`pledges/read.rs`).
    pub(crate) pledge_lookups: Arc<LookupBatches<i64, Pledge>>,
}

/// All-states scans that may run at once in one process. Each reads every active pledge;
/// side by side they slowed each other more than they gained (100,000 pledges, 2 cores:
/// 3.6 answers a second one at a time, 2.7 four at a time, 0.6 at 32 connections, where up
/// to 8 ran at once, one per pooled connection, with 247 MiB peak memory), so the others wait.
const ALL_STATES_SCANS: usize = 1;

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`) with the default pool; a SQLite
    /// file is created if missing.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with(url, PoolSettings::default()).await
    }

    /// Connects to `url` with the given pool settings.
    pub async fn connect_with(url: &str, pool: PoolSettings) -> Result<Self, StoreError> {
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .sqlx_logging(false)
            .max_connections(pool.max_connections.max(1))
            .min_connections(1)
            .acquire_timeout(pool.timeout)
            .connect_timeout(pool.timeout)
            .map_sqlx_sqlite_opts(|o| {
                o.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT)
                    .foreign_keys(true)
                    .pragma("cache_size", format!("-{SQLITE_CACHE_KIB}"))
                    .pragma("temp_store", "memory")
                    .row_buffer_size(SQLITE_ROW_BUFFER)
            })
            .map_sqlx_sqlite_pool_opts(|pool| {
                pool.after_connect(|conn, _meta| Box::pin(import::register_sqlite_rows(conn)))
            });
        if url.contains(":memory:") || url.contains("mode=memory") {
            // An in-memory database lives only as long as its one connection.
            options
                .max_connections(1)
                .idle_timeout(None)
                .max_lifetime(None);
        }
        let db = Database::connect(options)
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let writer = Arc::<WriterGate>::default();
        let write_queue = match Backend::of(&db) {
            Backend::Sqlite => WriteQueue::start(db.clone(), Arc::clone(&writer)),
            Backend::Postgres => None,
        };
        Ok(Self {
            db,
            writer,
            write_queue,
            all_states_scans: Arc::new(Semaphore::new(ALL_STATES_SCANS)),
            version_reads: Arc::default(),
            actor_lookups: Arc::default(),
            pledge_lookups: Arc::default(),
        })
    }

    /// Which backend this store talks to.
    pub fn backend(&self) -> Backend {
        Backend::of(&self.db)
    }

    /// Answers whether the database is reachable (for `/readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db
            .ping()
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))
    }
}
