//! A large import builds the coverage index — and on PostgreSQL checks the foreign keys of
//! `pledges` and `pledge_partners` — once at the end instead of row by row; an import into an
//! empty table, which looks no key up, builds the unique key index at the end too (1,000,000
//! rows into SQLite: 10.1–11.0 s with it kept, 7.7–10.0 s without). Measured on 1,000,000 rows: on SQLite 42 s with the index kept against 30 s + 3.5 s to
//! rebuild (an earlier insert path); on PostgreSQL `COPY` into `pledges` took 7.4–9.7 s with both
//! indexes kept against 4.6 s + 1.7 s and 2.7 s to build them, and the partners' `COPY` 1.1 s
//! with their foreign keys against 0.3 s + 0.4 s to re-check them.
//!
//! What is dropped is dropped inside the import's own transaction and re-created from its own
//! stored definition (`sqlite_master`; `pg_get_indexdef`, `pg_get_constraintdef`) before commit,
//! so a failed or dry-run import rolls the drop back with everything else. Re-adding a foreign
//! key checks every row of the table in one join, so no row escapes the check: a violation fails
//! the import as it would have row by row.
//!
//! On SQLite readers keep seeing the committed table and its index (WAL), and writers wait for
//! the import in any case. SQLite's foreign keys are part of the table's definition and stay.
//!
//! On PostgreSQL the drops lock `pledges`, `pledge_partners` and the tables they reference
//! until the import commits, if those locks can be had at once (`postgres/set_aside.rs`).

use sea_orm::ConnectionTrait;

use super::txn::ImportTxn;
use crate::StoreError;

/// The index a bulk load rebuilds.
pub(crate) const INDEX: &str = "pledges_current_coverage_idx";
/// The unique index on pledge keys, which a bulk load on PostgreSQL also rebuilds when no key
/// is looked up meanwhile.
pub(crate) const KEY_INDEX: &str = "pledges_member_state_pledge_ref_key";
/// The index answering "does a later pledge supersede this one?" (unique: one successor),
/// which no step of an import reads (the lineage check reads a state's links by the unique key
/// index). It is partial (`WHERE supersedes_ref IS NOT NULL`): a pledge superseding nothing —
/// nearly every one — adds no entry to it, created or changed, and a change leaving its
/// columns alone keeps PostgreSQL's update HOT. So a bulk load sets it aside only for a file
/// with a `supersedes` column, whose rows may move a link from one pledge to another: row by
/// row, the pledge taking the link could be written before the one giving it up, and the
/// index would refuse the moment with two successors that the file's end does not have (the
/// lineage check, and the rebuild, check the end). For any other file, rebuilding it was a pass
/// over the whole table for the few entries it holds: 0.63 s on SQLite and 0.18 s on
/// PostgreSQL over 1,000,000 pledges. An import too small to be a bulk load sets it aside
/// alone, before writing the first batch whose rows take a link ([`BulkLoad::before_linking`]).
pub(crate) const SUPERSEDES_INDEX: &str = "pledges_successor_idx";
/// The secondary indexes of the history tables that a bulk load of changes on PostgreSQL
/// rebuilds at the end, when it adds at least a [`BULK_CHANGED_DIVISOR`]th of the rows those
/// tables hold: each change adds a version row and an audit entry. On 50,000 changes, inserting
/// the versions took 0.44 s with them kept against 0.21 s without, the audit entries 0.37 s
/// against 0.18 s; rebuilding all three over 300,000 rows of each took 1.0 s. (Their primary
/// keys stay: ids drawn in order are appended.)
pub(crate) const HISTORY_INDEXES: [&str; 3] = [
    "pledge_versions_pledge_version_key",
    "pledge_versions_valid_to_idx",
    "audit_entries_entity_idx",
];
/// Creations below which keeping the index (and foreign keys) up to date row by row is cheaper.
const BULK_MIN_ROWS: u64 = 50_000;
/// A re-import that has changed at least this share of the stored pledges (and at least
/// [`BULK_MIN_ROWS`]) sets the index aside too: on SQLite keeping it costs about 12 µs per
/// changed row (200,000 quantities changed: 2.7 s against 0.3 s for an unindexed column), and
/// re-creating it about 3.5 µs per stored row, so it pays from about a quarter of the table.
const BULK_CHANGED_DIVISOR: u64 = 4;

/// Whether the coverage index (and on PostgreSQL the foreign keys of `pledges`) is set aside
/// during this import, and how to put it back.
#[derive(Debug)]
pub(crate) struct BulkLoad {
    /// Pledges stored before the import: rebuilding costs a pass over them too.
    stored: u64,
    /// Whether setting aside was tried already.
    tried: bool,
    /// Whether the unique key index may be set aside too: no key is looked up during the
    /// import, because it started on an empty table that it alone writes to.
    keys_unread: bool,
    /// Whether the file's rows may move lineage links ([`SUPERSEDES_INDEX`]).
    links: bool,
    /// Whether the lineage index was set aside, or tried, on its own
    /// ([`Self::before_linking`]).
    links_tried: bool,
    /// The SQL that puts back what was dropped, one entry per setting aside.
    rebuild: Vec<String>,
    /// About how many rows the file holds (`Table::rows_expected`), if it says.
    rows_expected: Option<u64>,
    /// About how many rows the history tables (`pledge_versions`, `audit_entries`) hold, on a
    /// backend that sets their indexes aside (PostgreSQL); `None` keeps them.
    history_rows: Option<u64>,
}

/// What a bulk load sets aside (`ImportTxn::set_aside_indexes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SetAside {
    /// The coverage index: a bulk load.
    pub coverage: bool,
    /// The unique key index too: no key is looked up during the import.
    pub keys_unread: bool,
    /// The lineage index too: the file's rows may move links ([`SUPERSEDES_INDEX`]).
    pub links: bool,
    /// On PostgreSQL, the foreign keys of `pledges` and `pledge_partners`: for a load of new
    /// pledges, whose every row they check. A change of existing pledges keeps them: PostgreSQL
    /// checks a changed row only when its referencing columns change, and re-adding them
    /// checks every row (0.5 s of a 200,000-row re-import).
    pub foreign_keys: bool,
    /// On PostgreSQL, the history tables' secondary indexes ([`HISTORY_INDEXES`]).
    pub history: bool,
}

/// How far an import has gone: rows read, and pledges created and changed, the batch about to
/// be written included.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Progress {
    pub rows: u64,
    pub created: u64,
    pub changed: u64,
}

impl Progress {
    /// `created` and `changed` as they will stand at the end, were the rest of `expected` rows
    /// like those read so far (never less than now).
    fn projected(self, expected: Option<u64>) -> (u64, u64) {
        let Some(expected) = expected.filter(|&e| e > self.rows && self.rows > 0) else {
            return (self.created, self.changed);
        };
        let scale = |n: u64| {
            let n = u128::from(n) * u128::from(expected) / u128::from(self.rows);
            u64::try_from(n).unwrap_or(u64::MAX)
        };
        (scale(self.created), scale(self.changed))
    }
}

impl BulkLoad {
    /// For an import into a table holding `stored` pledges; `keys_unread` as the field says.
    pub(crate) fn new(stored: u64, keys_unread: bool) -> Self {
        Self {
            stored,
            keys_unread,
            links: false,
            tried: false,
            links_tried: false,
            rebuild: Vec::new(),
            rows_expected: None,
            history_rows: None,
        }
    }

    /// Lets a bulk load set the lineage index aside too, for a file whose rows may move links
    /// (it has a `supersedes` column; [`SUPERSEDES_INDEX`]).
    pub(crate) fn with_links(mut self, links: bool) -> Self {
        self.links = links;
        self
    }

    /// Lets a bulk load of changes set the history tables' indexes aside too, when they hold
    /// about `rows` rows ([`HISTORY_INDEXES`]).
    pub(crate) fn with_history(mut self, rows: Option<u64>) -> Self {
        self.history_rows = rows;
        self
    }

    /// Decides from the first batches, for a file that says about how many rows it holds:
    /// a file whose rows so far would, at the same rate, create or change enough pledges sets
    /// the index aside at once rather than keep it up to date until the count is reached.
    /// For a million changed rows on SQLite that spares about 12 s of the 250,000 rows before
    /// the quarter of the table is reached. A file whose first rows change and later ones do
    /// not costs one rebuild it did not need (about 3.5 s per million stored pledges).
    pub(crate) fn expecting(mut self, rows_expected: Option<u64>) -> Self {
        self.rows_expected = rows_expected;
        self
    }

    /// Sets the index (and foreign keys) aside once the import has created or changed enough
    /// pledges to make a rebuild cheaper, or is on course to (see [`Self::expecting`]): at
    /// least [`BULK_MIN_ROWS`], and at least as many created as were stored, or a
    /// [`BULK_CHANGED_DIVISOR`]th of them changed.
    pub(crate) async fn before_write(
        &mut self,
        txn: &ImportTxn,
        progress: Progress,
    ) -> Result<(), StoreError> {
        let (created, changed) = progress.projected(self.rows_expected);
        let many_created = created >= BULK_MIN_ROWS.max(self.stored);
        let many_changed = changed >= BULK_MIN_ROWS.max(self.stored / BULK_CHANGED_DIVISOR);
        if self.tried || !(many_created || many_changed) {
            return Ok(());
        }
        self.tried = true;
        let history = many_changed
            && self
                .history_rows
                .is_some_and(|rows| changed >= BULK_MIN_ROWS.max(rows / BULK_CHANGED_DIVISOR));
        let what = SetAside {
            coverage: true,
            keys_unread: self.keys_unread,
            links: self.links,
            foreign_keys: many_created,
            history,
        };
        self.rebuild.extend(txn.set_aside_indexes(what).await?);
        Ok(())
    }

    /// Sets the lineage index ([`SUPERSEDES_INDEX`]) aside, once, before the first batch whose
    /// rows take a link (a new pledge superseding one, or a change to what a pledge
    /// supersedes): the file may move the link from a pledge it writes later, and row by row
    /// the index would refuse the moment when both hold it, a state the file does not end in.
    /// The lineage check and the index's rebuild check the end. A bulk load of such a file has
    /// set it aside already (see [`Self::with_links`]); on PostgreSQL, if the table stays busy
    /// (`postgres/set_aside.rs`), the index stays and such a file is refused as before.
    pub(crate) async fn before_linking(&mut self, txn: &ImportTxn) -> Result<(), StoreError> {
        if self.links_tried {
            return Ok(());
        }
        self.links_tried = true;
        let what = SetAside {
            coverage: false,
            keys_unread: false,
            links: true,
            foreign_keys: false,
            history: false,
        };
        self.rebuild.extend(txn.set_aside_indexes(what).await?);
        Ok(())
    }

    /// Whether an index of `pledges` is set aside: on PostgreSQL that holds the table against
    /// everyone else until the import ends (`postgres/set_aside.rs`).
    pub(crate) fn holds_pledges(&self) -> bool {
        !self.rebuild.is_empty()
    }

    /// Puts back what was set aside, if anything; before the import commits.
    pub(crate) async fn restore(&mut self, txn: &ImportTxn) -> Result<(), StoreError> {
        if self.rebuild.is_empty() {
            return Ok(());
        }
        txn.before_index_rebuild().await?;
        for sql in std::mem::take(&mut self.rebuild) {
            txn.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}

/// The indexes a bulk load rebuilds: the unique key index first, if no key is looked up
/// meanwhile (a duplicate key then fails the import before the rest is rebuilt), then the
/// coverage index, and the lineage index if the file may move links.
pub(crate) fn rebuilt_indexes(what: SetAside) -> Vec<&'static str> {
    let keys = what.keys_unread.then_some(KEY_INDEX);
    let coverage = what.coverage.then_some(INDEX);
    let links = what.links.then_some(SUPERSEDES_INDEX);
    keys.into_iter().chain(coverage).chain(links).collect()
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use pledgeboard_domain::import::ImportReport;
    use pledgeboard_domain::table_input::table_from_bytes;
    use pledgeboard_domain::{Catalog, Mission, MissionAcronym, Role};
    use sea_orm::{ConnectionTrait, Statement, TransactionTrait};

    use super::{
        BULK_MIN_ROWS, BulkLoad, HISTORY_INDEXES, INDEX, KEY_INDEX, Progress, SUPERSEDES_INDEX,
    };
    use crate::import::txn::ImportTxn;
    use crate::testing::{actor, backends, fresh_store, query_plan};
    use crate::{Backend, ImportOptions, Store, StoreError};

    /// Rows in a file large enough to be loaded in bulk.
    const LARGE: u64 = BULK_MIN_ROWS + 1000;

    async fn strings(conn: &impl ConnectionTrait, sql: &str) -> Vec<String> {
        conn.query_all_raw(Statement::from_string(conn.get_database_backend(), sql))
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get::<String>("", "def").unwrap())
            .collect()
    }

    /// The definitions of the named indexes, as the database holds them (each only if it
    /// exists).
    async fn defs_of(conn: &impl ConnectionTrait, names: &[&str]) -> Vec<String> {
        let mut defs = Vec::new();
        for name in names {
            let sql = match Backend::of(conn) {
                Backend::Postgres => format!(
                    "SELECT def FROM (SELECT pg_get_indexdef(to_regclass('{name}')) AS def) d \
                     WHERE def IS NOT NULL"
                ),
                Backend::Sqlite => format!(
                    "SELECT sql AS def FROM sqlite_master WHERE type = 'index' AND name = '{name}'"
                ),
            };
            defs.extend(strings(conn, &sql).await);
        }
        defs
    }

    /// The definitions of the coverage index and the unique key index.
    async fn index_defs(conn: &impl ConnectionTrait) -> Vec<String> {
        defs_of(conn, &[INDEX, KEY_INDEX]).await
    }

    /// The foreign keys of `pledges` and `pledge_partners`, as the database describes them
    /// (PostgreSQL adds `NOT VALID` to one whose rows were not checked).
    async fn foreign_keys(conn: &impl ConnectionTrait) -> Vec<String> {
        let sql = match Backend::of(conn) {
            Backend::Postgres => {
                "SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) \
                 AS def FROM pg_constraint \
                 WHERE conrelid IN ('pledges'::regclass, 'pledge_partners'::regclass) \
                 AND contype = 'f' ORDER BY def"
            }
            Backend::Sqlite => {
                "SELECT t.name || ' ' || f.\"from\" || ' -> ' || f.\"table\" || '(' || f.\"to\" || ')' \
                 AS def FROM (SELECT 'pledges' AS name UNION ALL SELECT 'pledge_partners') t, \
                 pragma_foreign_key_list(t.name) f ORDER BY def"
            }
        };
        strings(conn, sql).await
    }

    /// A file of `rows` new pledges, the last of them in `last_state` for `last_mission`.
    fn file(rows: u64, last_state: &str, last_mission: &str) -> Vec<u8> {
        let mut csv = String::from("pledge_ref,member_state,capability,quantity,mission\n");
        for i in 1..rows {
            csv.push_str(&format!("B-{i},PAK,INF-COY,1,UNMISS\n"));
        }
        csv.push_str(&format!("B-{rows},{last_state},INF-COY,1,{last_mission}\n"));
        csv.into_bytes()
    }

    async fn import_with(
        store: &Store,
        catalog: &Catalog,
        bytes: Vec<u8>,
        dry_run: bool,
    ) -> Result<ImportReport, StoreError> {
        let actor = actor(Role::Admin);
        let options = ImportOptions {
            dry_run,
            ..ImportOptions::default()
        };
        let table = table_from_bytes(bytes).unwrap();
        store.import_pledges(catalog, table, &actor, &options).await
    }

    async fn import(store: &Store, bytes: Vec<u8>, dry_run: bool) -> ImportReport {
        let catalog = store.catalog().await.unwrap();
        import_with(store, &catalog, bytes, dry_run).await.unwrap()
    }

    #[tokio::test]
    async fn large_imports_leave_the_index_and_foreign_keys_as_migrated() {
        for backend in backends() {
            let store = fresh_store(backend).await.unwrap();
            let index = index_defs(&store.db).await;
            let keys = foreign_keys(&store.db).await;
            assert_eq!(
                index.len(),
                2,
                "{backend}: the migrations create {INDEX}, {KEY_INDEX}"
            );
            assert_eq!(keys.len(), 6, "{backend}: {keys:?}");

            let dry = import(&store, file(LARGE, "PAK", "UNMISS"), true).await;
            assert!(!dry.applied && !dry.has_errors() && dry.created == LARGE);
            let failed = import(&store, file(LARGE, "Atlantis", "UNMISS"), false).await;
            assert!(!failed.applied && failed.has_errors());
            assert_eq!(index_defs(&store.db).await, index, "{backend}: kept");
            assert_eq!(foreign_keys(&store.db).await, keys, "{backend}: kept");

            let applied = import(&store, file(LARGE, "PAK", "UNMISS"), false).await;
            assert!(applied.applied);
            assert_eq!(applied.created, LARGE);
            assert_eq!(index_defs(&store.db).await, index, "{backend}: rebuilt");
            assert_eq!(foreign_keys(&store.db).await, keys, "{backend}: re-added");
        }
    }

    #[tokio::test]
    async fn a_row_that_only_a_stale_catalog_allows_fails_the_import() {
        for backend in backends() {
            let store = fresh_store(backend).await.unwrap();
            let index = index_defs(&store.db).await;
            let keys = foreign_keys(&store.db).await;
            let stored = store.catalog().await.unwrap();
            let ghost = Mission {
                acronym: MissionAcronym::parse("GHOST").unwrap(),
                name: "Deleted since the catalog was read".into(),
                location: "Nowhere".into(),
                established_on: None,
            };
            let stale = Catalog::new(
                stored.member_states().clone(),
                stored.capabilities().cloned().collect(),
                stored.missions().cloned().chain([ghost]).collect(),
                stored.conferences().cloned().collect(),
                stored.gender_targets().to_vec(),
            );

            // A large file fails when the foreign keys are re-added; a small one as its rows
            // go in, with the keys in place.
            for rows in [LARGE, 10] {
                let refused = import_with(&store, &stale, file(rows, "PAK", "GHOST"), false).await;
                assert!(
                    refused.is_err(),
                    "{backend} {rows}: the foreign key refuses it"
                );
                let count = store
                    .db
                    .query_one_raw(Statement::from_string(
                        store.db.get_database_backend(),
                        "SELECT count(*) AS n FROM pledges",
                    ))
                    .await
                    .unwrap()
                    .map(|r| r.try_get::<i64>("", "n").unwrap());
                assert_eq!(count, Some(0), "{backend} {rows}: nothing written");
                assert_eq!(index_defs(&store.db).await, index, "{backend} {rows}");
                assert_eq!(foreign_keys(&store.db).await, keys, "{backend} {rows}");
            }
            // The failed imports' connections went back to the pool fit for use.
            for _ in 0..3 {
                let fine = import(&store, file(10, "PAK", "UNMISS"), false).await;
                assert!(fine.applied, "{backend}");
            }
        }
    }

    #[tokio::test]
    async fn the_rebuilt_index_serves_the_coverage_query_on_sqlite() {
        let store = fresh_store("sqlite").await.unwrap();
        assert!(
            import(&store, file(LARGE, "PAK", "UNMISS"), false)
                .await
                .applied
        );
        let detail = query_plan(
            &store,
            "SELECT mission, capability, sum(quantity) FROM pledges \
             WHERE status <> 'withdrawn' GROUP BY mission, capability",
            Vec::new(),
        )
        .await
        .unwrap();
        assert!(
            detail.iter().any(|d| d.contains(INDEX)),
            "the rebuilt index serves the coverage query: {detail:?}"
        );
    }

    /// Progress with as many rows read as were created and changed.
    fn counted(created: u64, changed: u64) -> Progress {
        Progress {
            rows: created + changed,
            created,
            changed,
        }
    }

    #[test]
    fn progress_is_projected_over_the_rows_expected() {
        let progress = Progress {
            rows: 1000,
            created: 100,
            changed: 900,
        };
        assert_eq!(progress.projected(None), (100, 900));
        assert_eq!(progress.projected(Some(1_000_000)), (100_000, 900_000));
        assert_eq!(
            progress.projected(Some(10)),
            (100, 900),
            "never less than now"
        );
        assert_eq!(Progress::default().projected(Some(10)), (0, 0));
        let huge = Progress {
            rows: 1,
            created: u64::MAX,
            changed: 1,
        };
        assert_eq!(huge.projected(Some(u64::MAX)), (u64::MAX, u64::MAX));
    }

    #[tokio::test]
    async fn a_file_on_course_to_change_a_quarter_of_the_stored_pledges_sets_the_index_aside_at_once()
     {
        const STORED: u64 = 8 * BULK_MIN_ROWS;
        for backend in backends() {
            let store = fresh_store(backend).await.unwrap();
            let index = index_defs(&store.db).await;
            let txn = ImportTxn::begin(&store, false).await.unwrap();
            let first_batch = |changed| Progress {
                rows: 1000,
                created: 0,
                changed,
            };
            let mut bulk = BulkLoad::new(STORED, false).expecting(Some(STORED));
            // A quarter of the first rows changing projects to just under a quarter of the file.
            bulk.before_write(&txn, first_batch(249)).await.unwrap();
            assert_eq!(
                index_defs(&txn).await,
                index,
                "{backend}: too few on course"
            );
            bulk.before_write(&txn, first_batch(250)).await.unwrap();
            assert_eq!(
                index_defs(&txn).await,
                index[1..].to_vec(),
                "{backend}: set aside after the first batch"
            );
            bulk.restore(&txn).await.unwrap();
            txn.rollback().await.unwrap();
        }
    }

    #[tokio::test]
    async fn a_re_import_changing_a_quarter_of_the_stored_pledges_sets_the_index_aside() {
        const STORED: u64 = 8 * BULK_MIN_ROWS;
        for backend in backends() {
            let store = fresh_store(backend).await.unwrap();
            let index = index_defs(&store.db).await;
            let txn = ImportTxn::begin(&store, false).await.unwrap();
            let mut bulk = BulkLoad::new(STORED, false);
            bulk.before_write(&txn, counted(0, STORED / 4 - 1))
                .await
                .unwrap();
            assert_eq!(index_defs(&txn).await, index, "{backend}: too few changed");
            bulk.before_write(&txn, counted(0, STORED / 4))
                .await
                .unwrap();
            assert_eq!(
                index_defs(&txn).await,
                index[1..].to_vec(),
                "{backend}: the coverage index is set aside, the unique key kept"
            );
            bulk.restore(&txn).await.unwrap();
            assert_eq!(index_defs(&txn).await, index, "{backend}: and put back");
            txn.rollback().await.unwrap();
        }
    }

    #[tokio::test]
    async fn a_bulk_load_sets_the_lineage_index_aside_only_for_a_file_that_may_move_links() {
        for backend in backends() {
            let store = fresh_store(backend).await.unwrap();
            let lineage = defs_of(&store.db, &[SUPERSEDES_INDEX]).await;
            assert_eq!(lineage.len(), 1, "{backend}: the migrations create it");
            for links in [false, true] {
                let txn = ImportTxn::begin(&store, false).await.unwrap();
                let mut bulk = BulkLoad::new(0, false).with_links(links);
                bulk.before_write(&txn, counted(LARGE, 0)).await.unwrap();
                let during = defs_of(&txn, &[SUPERSEDES_INDEX]).await;
                if links {
                    assert!(during.is_empty(), "{backend}: a file with `supersedes`");
                } else {
                    assert_eq!(during, lineage, "{backend}: a file without `supersedes`");
                }
                assert!(defs_of(&txn, &[INDEX]).await.is_empty(), "{backend}");
                bulk.restore(&txn).await.unwrap();
                assert_eq!(
                    defs_of(&txn, &[SUPERSEDES_INDEX]).await,
                    lineage,
                    "{backend}"
                );
                txn.rollback().await.unwrap();
            }
        }
    }

    #[tokio::test]
    async fn rows_taking_links_set_the_lineage_index_aside_alone_once_until_restored() {
        for backend in backends() {
            let store = fresh_store(backend).await.unwrap();
            let lineage = defs_of(&store.db, &[SUPERSEDES_INDEX]).await;
            let index = index_defs(&store.db).await;
            let txn = ImportTxn::begin(&store, false).await.unwrap();
            let mut bulk = BulkLoad::new(0, false).with_links(true);
            bulk.before_write(&txn, counted(10, 0)).await.unwrap();
            assert_eq!(
                defs_of(&txn, &[SUPERSEDES_INDEX]).await,
                lineage,
                "{backend}"
            );
            bulk.before_linking(&txn).await.unwrap();
            assert!(
                defs_of(&txn, &[SUPERSEDES_INDEX]).await.is_empty(),
                "{backend}: set aside"
            );
            assert_eq!(index_defs(&txn).await, index, "{backend}: the rest kept");
            // A bulk load later on sets the coverage index aside too; both come back once.
            bulk.before_linking(&txn).await.unwrap();
            bulk.before_write(&txn, counted(LARGE, 0)).await.unwrap();
            assert_eq!(index_defs(&txn).await, index[1..].to_vec(), "{backend}");
            bulk.restore(&txn).await.unwrap();
            assert_eq!(
                defs_of(&txn, &[SUPERSEDES_INDEX]).await,
                lineage,
                "{backend}"
            );
            assert_eq!(index_defs(&txn).await, index, "{backend}");
            txn.rollback().await.unwrap();
        }
    }

    /// The definitions of the history tables' secondary indexes.
    async fn history_defs(conn: &impl ConnectionTrait) -> Vec<String> {
        defs_of(conn, &HISTORY_INDEXES).await
    }

    #[tokio::test]
    async fn a_bulk_load_of_changes_sets_aside_the_postgres_history_indexes_and_keeps_foreign_keys()
    {
        const STORED: u64 = 8 * BULK_MIN_ROWS;
        for backend in backends() {
            let store = fresh_store(backend).await.unwrap();
            let index = index_defs(&store.db).await;
            let keys = foreign_keys(&store.db).await;
            let history = history_defs(&store.db).await;
            assert_eq!(history.len(), 3, "{backend}: the migrations create them");
            for (history_rows, set_aside) in [(Some(0), true), (Some(4 * STORED), false)] {
                let txn = ImportTxn::begin(&store, false).await.unwrap();
                let history_rows = history_rows.filter(|_| backend == "postgres");
                let mut bulk = BulkLoad::new(STORED, false).with_history(history_rows);
                bulk.before_write(&txn, counted(0, STORED / 4))
                    .await
                    .unwrap();
                assert_eq!(index_defs(&txn).await, index[1..].to_vec(), "{backend}");
                assert_eq!(
                    foreign_keys(&txn).await,
                    keys,
                    "{backend}: changes keep them"
                );
                let kept = if set_aside && backend == "postgres" {
                    vec![]
                } else {
                    history.clone()
                };
                assert_eq!(history_defs(&txn).await, kept, "{backend} {history_rows:?}");
                bulk.restore(&txn).await.unwrap();
                assert_eq!(index_defs(&txn).await, index, "{backend}");
                assert_eq!(history_defs(&txn).await, history, "{backend}: put back");
                txn.rollback().await.unwrap();
            }
        }
    }

    #[tokio::test]
    async fn a_bulk_load_sets_aside_the_index_and_postgres_foreign_keys_until_restored() {
        for backend in backends() {
            let store = fresh_store(backend).await.unwrap();
            let index = index_defs(&store.db).await;
            let keys = foreign_keys(&store.db).await;
            for keys_unread in [false, true] {
                let txn = ImportTxn::begin(&store, false).await.unwrap();
                let mut bulk = BulkLoad::new(0, keys_unread);

                bulk.before_write(&txn, counted(BULK_MIN_ROWS - 1, 0))
                    .await
                    .unwrap();
                assert_eq!(index_defs(&txn).await, index, "{backend}: too few rows");

                bulk.before_write(&txn, counted(BULK_MIN_ROWS, 0))
                    .await
                    .unwrap();
                // Key look-ups need the unique index; SQLite's foreign keys are part of the
                // table.
                let kept_index = if keys_unread {
                    vec![]
                } else {
                    index[1..].to_vec()
                };
                let kept_keys = if backend == "postgres" {
                    vec![]
                } else {
                    keys.clone()
                };
                assert_eq!(
                    index_defs(&txn).await,
                    kept_index,
                    "{backend} {keys_unread}"
                );
                assert_eq!(
                    foreign_keys(&txn).await,
                    kept_keys,
                    "{backend} {keys_unread}"
                );

                bulk.restore(&txn).await.unwrap();
                assert_eq!(index_defs(&txn).await, index, "{backend} {keys_unread}");
                assert_eq!(foreign_keys(&txn).await, keys, "{backend} {keys_unread}");
                txn.rollback().await.unwrap();
            }
        }
    }

    #[tokio::test]
    async fn a_busy_reader_makes_a_postgres_import_keep_everything() {
        if crate::testing::postgres_or_not_run(
            "a_busy_reader_makes_a_postgres_import_keep_everything",
        )
        .is_none()
        {
            return;
        }
        let store = fresh_store("postgres").await.unwrap();
        let index = index_defs(&store.db).await;
        let keys = foreign_keys(&store.db).await;
        let reader = store.db.begin().await.unwrap();
        let stored = reader
            .query_one_raw(Statement::from_string(
                store.db.get_database_backend(),
                "SELECT count(*) AS n FROM pledges",
            ))
            .await
            .unwrap();
        assert!(stored.is_some(), "the reader holds its lock on pledges");

        let txn = ImportTxn::begin(&store, false).await.unwrap();
        let mut bulk = BulkLoad::new(0, true);
        let started = Instant::now();
        bulk.before_write(&txn, counted(BULK_MIN_ROWS, 0))
            .await
            .unwrap();
        assert!(started.elapsed() >= Duration::from_secs(2), "it waited");
        assert_eq!(index_defs(&txn).await, index);
        assert_eq!(foreign_keys(&txn).await, keys);
        let timeout = txn
            .query_one_raw(Statement::from_string(
                store.db.get_database_backend(),
                "SELECT current_setting('lock_timeout') AS def",
            ))
            .await
            .unwrap()
            .map(|r| r.try_get::<String>("", "def").unwrap());
        assert_eq!(
            timeout.as_deref(),
            Some("0"),
            "the transaction goes on as before"
        );

        let started = Instant::now();
        bulk.before_write(&txn, counted(2 * BULK_MIN_ROWS, 0))
            .await
            .unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "tried once only"
        );
        bulk.restore(&txn).await.unwrap();
        assert_eq!(index_defs(&txn).await, index);
        txn.rollback().await.unwrap();
        reader.rollback().await.unwrap();
    }
}
