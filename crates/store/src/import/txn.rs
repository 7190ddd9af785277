//! The one seam of the import that knows the backend: the import's transaction, on either
//! backend, offering every step whose SQL differs between them. The rest of `import/` only
//! calls these.
//!
//! On SQLite it is sea-orm's own transaction; on PostgreSQL one of sqlx's (`postgres/txn.rs`),
//! so that new pledges can be loaded with `COPY`. sea-orm's queries run on either like on any
//! connection ([`ConnectionTrait`]).

use chrono::{DateTime, Utc};
use pledgeboard_domain::{Actor, MemberStateCode, Pledge, PledgeRef};
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, ExecResult, QueryResult,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

use super::batch::{NewPledges, UpdatedPledges};
use super::bulk_load::SetAside;
use super::postgres::{self, IdDraw, PostgresTxn};
use super::sqlite;
use crate::connect::{SQLITE_CACHE_KIB, SQLITE_IMPORT_CACHE_KIB};
use crate::writer_gate::WriterHeld;
use crate::{Backend, Store, StoreError};

/// Sets a SQLite connection's page cache to `kib` KiB (see [`SQLITE_IMPORT_CACHE_KIB`]).
async fn set_cache_kib(txn: &DatabaseTransaction, kib: i64) -> Result<(), StoreError> {
    txn.execute_unprepared(&format!("PRAGMA cache_size = -{kib}"))
        .await?;
    Ok(())
}

/// Gives a SQLite import's connection back the pool's settings (see `connect.rs`) before it
/// returns to the pool: its page cache, and temporary storage in memory.
async fn restore_pool_settings(txn: &DatabaseTransaction) -> Result<(), StoreError> {
    set_cache_kib(txn, SQLITE_CACHE_KIB).await?;
    txn.execute_unprepared("PRAGMA temp_store = MEMORY").await?;
    Ok(())
}

/// Stored pledges as [`ImportTxn::stored_by_key`] read them: on SQLite, the JSON text of
/// one value ([`sqlite::pledges_by_key`]), on PostgreSQL the rows as received
/// ([`postgres::StoredRows`]), made into pledges by [`Self::into_pledges`] when the batch is
/// planned, not while the database's connection waits.
pub(crate) enum StoredPledges {
    Read(Vec<Pledge>),
    Json(String),
    Rows(postgres::StoredRows),
}

impl Default for StoredPledges {
    fn default() -> Self {
        Self::Read(Vec::new())
    }
}

impl StoredPledges {
    pub(crate) async fn into_pledges(self) -> Result<Vec<Pledge>, StoreError> {
        match self {
            Self::Read(pledges) => Ok(pledges),
            Self::Json(json) => sqlite::parse_pledges(&json),
            Self::Rows(rows) => rows.into_pledges().await,
        }
    }
}

/// An import's transaction, on either backend.
pub(crate) enum ImportTxn {
    Sqlite {
        txn: DatabaseTransaction,
        /// This process's writer gate, held by a real import to its end (after the
        /// transaction, which is declared first).
        _writer: Option<WriterHeld>,
    },
    Postgres(PostgresTxn),
}

impl ImportTxn {
    /// Begins an import's transaction. A real import (`writes`) on SQLite takes this process's
    /// writer gate, so that its other writes are told at once (`writer_gate.rs`), then SQLite's
    /// writer itself, kept to the end (`BEGIN IMMEDIATE`, waiting the busy timeout for another
    /// writer to finish). On PostgreSQL a real import waits for any other import of any
    /// instance to end, and the planner is set for the batches' key look-ups.
    pub(crate) async fn begin(store: &Store, writes: bool) -> Result<Self, StoreError> {
        match store.backend() {
            Backend::Sqlite => {
                let writer = writes.then(|| store.writer.take()).transpose()?;
                let options = TransactionOptions {
                    sqlite_transaction_mode: writes.then_some(SqliteTransactionMode::Immediate),
                    ..TransactionOptions::default()
                };
                let txn = store.db.begin_with_options(options).await?;
                set_cache_kib(&txn, SQLITE_IMPORT_CACHE_KIB).await?;
                Ok(Self::Sqlite {
                    txn,
                    _writer: writer,
                })
            }
            Backend::Postgres => {
                let txn = PostgresTxn::begin(store.db.get_postgres_connection_pool()).await?;
                if writes {
                    postgres::queue_behind_other_imports(&txn).await?;
                }
                postgres::set_planner_for_key_lookups(&txn).await?;
                Ok(Self::Postgres(txn))
            }
        }
    }

    /// Before a bulk load rebuilds its indexes: on SQLite the connection's page cache goes back
    /// to the pool's size, and its temporary storage to files. With temporary storage in
    /// memory, SQLite sorts an index's whole content in memory to build it, beside the
    /// import's page cache. Shrinking the cache first brought a million-row import from 242 to
    /// 188–198 MiB and its all-changed re-import from 253 to 214–239 MiB (load 4); the sort's
    /// runs in temporary files (the operating system's page cache, not this process's memory)
    /// brought the re-import's rebuild from 241–248 MiB down to 161 MiB, and its peak to the
    /// batches' 180 MiB, in the same time or less (7 December 2026, 4,000-row batches). The
    /// index build writes and merges sorted runs of about the pool's cache size each, in
    /// temporary files (SQLite's temporary directory: `SQLITE_TMPDIR`, else `TMPDIR`, else
    /// `/var/tmp` or `/tmp`) removed when it ends.
    ///
    /// SQLite refuses to change temporary storage once the transaction has used it, as a file
    /// with milestone columns does (its milestones are staged in a temporary table): that
    /// sort then stays in memory.
    pub(crate) async fn before_index_rebuild(&self) -> Result<(), StoreError> {
        if let Self::Sqlite { txn, .. } = self {
            set_cache_kib(txn, SQLITE_CACHE_KIB).await?;
            if let Err(e) = txn.execute_unprepared("PRAGMA temp_store = FILE").await {
                if !e
                    .to_string()
                    .contains("temporary storage cannot be changed")
                {
                    return Err(e.into());
                }
                tracing::debug!("import: the index rebuild sorts in memory ({e})");
            }
        }
        Ok(())
    }

    /// Commits; on SQLite the connection gets the pool's settings back first.
    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite { txn, .. } => {
                restore_pool_settings(&txn).await?;
                txn.commit().await?;
            }
            Self::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    /// Rolls back; on SQLite the connection gets the pool's settings back first.
    pub(crate) async fn rollback(self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite { txn, .. } => {
                restore_pool_settings(&txn).await?;
                txn.rollback().await?;
            }
            Self::Postgres(t) => t.rollback().await?,
        }
        Ok(())
    }

    /// Rows read, checked and written together.
    pub(crate) fn batch_rows(&self) -> usize {
        match self {
            Self::Sqlite { .. } => sqlite::BATCH_ROWS,
            Self::Postgres(_) => postgres::BATCH_ROWS,
        }
    }

    /// How many pledges are stored.
    pub(crate) async fn stored_pledges(&self) -> Result<u64, StoreError> {
        let row = self
            .query_one_raw(Statement::from_string(
                self.get_database_backend(),
                "SELECT count(*) AS n FROM pledges",
            ))
            .await?;
        let stored: i64 = row.map_or(Ok(0), |r| r.try_get("", "n"))?;
        Ok(u64::try_from(stored).unwrap_or(0))
    }

    /// Whether `pledges`, found empty, stays the import's own until commit. SQLite has one
    /// writer at a time. On PostgreSQL the table is locked against other writers (readers go
    /// on) — there is no meeting's data yet to record against — and counted again under the
    /// lock.
    pub(crate) async fn starts_empty(&self) -> Result<bool, StoreError> {
        match self {
            Self::Sqlite { .. } => Ok(true),
            Self::Postgres(t) => {
                postgres::lock_against_writers(t).await?;
                Ok(self.stored_pledges().await? == 0)
            }
        }
    }

    /// The stored pledges under these keys, with their partners and equipment.
    pub(crate) async fn stored_by_key(
        &self,
        keys: &[(&MemberStateCode, &PledgeRef)],
    ) -> Result<StoredPledges, StoreError> {
        if keys.is_empty() {
            return Ok(StoredPledges::default());
        }
        match self {
            Self::Sqlite { txn, .. } => sqlite::pledges_by_key(txn, keys)
                .await
                .map(StoredPledges::Json),
            Self::Postgres(t) => postgres::pledges_by_key(t, keys)
                .await
                .map(StoredPledges::Rows),
        }
    }

    /// Inserts a batch of new pledges and their partners, as the import's author; `alone`
    /// when no one else can add a pledge until the import ends ([`Self::starts_empty`]).
    pub(crate) async fn insert_batch(
        &self,
        batch: NewPledges,
        alone: bool,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if batch.len() == 0 {
            return Ok(());
        }
        match self {
            Self::Sqlite { txn, .. } => sqlite::insert_batch(txn, batch, by, at).await,
            Self::Postgres(t) => {
                let draw = if alone {
                    IdDraw::AllAtOnce
                } else {
                    IdDraw::EachInTurn
                };
                postgres::insert_batch(t, &batch, draw, by, at).await
            }
        }
    }

    /// Writes a batch of changes to stored pledges, with their versions and audit entries;
    /// `alone` when no one else can change a pledge until the import ends (a bulk load holds
    /// the table), and the changes may then wait for [`Self::write_staged`].
    pub(crate) async fn update_batch(
        &self,
        batch: UpdatedPledges,
        actor: &Actor,
        at: DateTime<Utc>,
        alone: bool,
    ) -> Result<(), StoreError> {
        if batch.len() == 0 {
            return Ok(());
        }
        match self {
            Self::Sqlite { txn, .. } => sqlite::update_batch(txn, batch, actor, at).await,
            Self::Postgres(t) => postgres::update_batch(t, batch, actor, at, alone).await,
        }
    }

    /// Writes the changes that batches written while the import held `pledges` to itself left
    /// staged (on PostgreSQL; `postgres/updates.rs`); before the import checks what it wrote.
    pub(crate) async fn write_staged(
        &self,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        match self {
            Self::Sqlite { .. } => Ok(()),
            Self::Postgres(t) => postgres::write_staged(t, actor, at).await,
        }
    }

    /// Sets aside the indexes (and on PostgreSQL the foreign keys) a bulk load rebuilds at the
    /// end (`bulk_load.rs`), the unique key index too with `keys_unread`; returns the SQL that
    /// puts them back, `None` if nothing was set aside.
    /// What is set aside beyond the coverage index is `what` says; SQLite keeps its foreign
    /// keys (part of the table) and its history tables' indexes.
    pub(crate) async fn set_aside_indexes(
        &self,
        what: SetAside,
    ) -> Result<Option<String>, StoreError> {
        match self {
            Self::Sqlite { txn, .. } => sqlite::set_aside_indexes(txn, what).await,
            Self::Postgres(t) => postgres::set_aside_indexes(t, what).await,
        }
    }

    /// About how many rows the history tables hold, where a bulk load of changes may set their
    /// indexes aside: on PostgreSQL, the larger of the planner's estimates for
    /// `pledge_versions` and `audit_entries`. `None` on SQLite, which keeps them (its version
    /// rows and audit entries are appended in key order).
    pub(crate) async fn history_rows(&self) -> Result<Option<u64>, StoreError> {
        match self {
            Self::Sqlite { .. } => Ok(None),
            Self::Postgres(t) => postgres::history_rows(t).await.map(Some),
        }
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for ImportTxn {
    fn get_database_backend(&self) -> DbBackend {
        match self {
            Self::Sqlite { txn, .. } => txn.get_database_backend(),
            Self::Postgres(t) => t.get_database_backend(),
        }
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        match self {
            Self::Sqlite { txn, .. } => txn.execute_raw(stmt).await,
            Self::Postgres(t) => t.execute_raw(stmt).await,
        }
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        match self {
            Self::Sqlite { txn, .. } => txn.execute_unprepared(sql).await,
            Self::Postgres(t) => t.execute_unprepared(sql).await,
        }
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        match self {
            Self::Sqlite { txn, .. } => txn.query_one_raw(stmt).await,
            Self::Postgres(t) => t.query_one_raw(stmt).await,
        }
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        match self {
            Self::Sqlite { txn, .. } => txn.query_all_raw(stmt).await,
            Self::Postgres(t) => t.query_all_raw(stmt).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, TransactionTrait};

    use super::ImportTxn;
    use crate::Store;
    use crate::testing::fresh_url;

    /// Another writer's `INSERT` needs this lock; asked for with a short timeout.
    async fn other_writer_gets_in(store: &Store) -> bool {
        let txn = store.db.begin().await.unwrap();
        txn.execute_unprepared("SET LOCAL lock_timeout = '200ms'")
            .await
            .unwrap();
        let got = txn
            .execute_unprepared("LOCK TABLE pledges IN ROW EXCLUSIVE MODE")
            .await
            .is_ok();
        txn.rollback().await.ok();
        got
    }

    #[tokio::test]
    async fn an_import_into_an_empty_postgres_table_keeps_other_writers_out_until_it_ends() {
        if crate::testing::postgres_or_not_run(
            "an_import_into_an_empty_postgres_table_keeps_other_writers_out_until_it_ends",
        )
        .is_none()
        {
            return;
        }
        let url = fresh_url("postgres").await.unwrap();
        let importer = Store::connect(&url).await.unwrap();
        importer.migrate().await.unwrap();
        let other = Store::connect(&url).await.unwrap();

        let txn = ImportTxn::begin(&importer, false).await.unwrap();
        assert!(txn.starts_empty().await.unwrap());
        assert!(
            !other_writer_gets_in(&other).await,
            "no one else writes a pledge while the import relies on the table being empty"
        );
        txn.rollback().await.unwrap();
        assert!(
            other_writer_gets_in(&other).await,
            "the lock ends with the import"
        );
    }

    #[tokio::test]
    async fn a_real_sqlite_import_holds_the_writer_gate_until_it_ends() {
        let store = crate::testing::fresh_store("sqlite").await.unwrap();
        let dry = ImportTxn::begin(&store, false).await.unwrap();
        assert!(store.writer.check().is_ok(), "a dry run takes no gate");
        dry.rollback().await.unwrap();
        let real = ImportTxn::begin(&store, true).await.unwrap();
        assert!(store.writer.check().is_err(), "other writes are refused");
        real.commit().await.unwrap();
        assert!(store.writer.check().is_ok(), "open again once it ends");
    }
}
