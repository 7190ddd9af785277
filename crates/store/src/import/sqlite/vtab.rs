//! Rows handed to SQLite as a table: `SELECT … FROM pledgeboard_rows(?)` reads a batch the import
//! built in memory, so a 1,000-row `INSERT` binds three values instead of 22,000.
//!
//! Binding each cell through sea-orm and sqlx copies a text cell three times (into a `Value`,
//! into sqlx's `Arc<String>`, into SQLite) and frees it on another thread; for a million-row
//! import that was most of the writer's time. Here a batch is one text buffer plus a cell
//! table; SQLite reads the cells through an eponymous virtual table (like SQLite's own
//! `carray`) registered on every connection when it opens ([`register`]). A batch is lent
//! ([`Rows::lend`]) under a number, and taken back when the loan is dropped; statements on it
//! run only through the loan ([`Loan::execute`], [`Loan::query_one`]), which binds the number,
//! so a batch cannot go back before its statement has run. A number that no live loan holds is
//! an error, not an empty table.
//!
//! This is the workspace's only unsafe code: the registration on sqlx's raw connection handle,
//! and the two virtual-table traits rusqlite marks unsafe (their structs must start with
//! SQLite's own); the callbacks themselves are safe Rust.
#![allow(unsafe_code)]

use std::collections::HashMap;
use std::ffi::c_int;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use rusqlite::ffi;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::vtab::{
    Context, Filters, IndexConstraintOp, IndexInfo, VTab, VTabConfig, VTabConnection, VTabCursor,
    eponymous_only_module,
};
use sea_orm::sqlx::{self, SqliteConnection};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, ExecResult, QueryResult, Statement, Value};

use crate::import::cells::{CellRef, Rows};

/// The table-valued function's name in SQL.
pub(crate) const FUNCTION: &str = "pledgeboard_rows";
/// Columns `c0 … c23`; cells past a batch's width read as NULL.
const MAX_WIDTH: usize = 24;

/// Lending a batch to SQLite.
impl Rows {
    /// Lends the batch to SQLite until the returned loan is dropped; run the statements that
    /// read it through the loan.
    pub(crate) fn lend(self) -> Loan {
        debug_assert!(
            self.width() <= MAX_WIDTH,
            "the table has {MAX_WIDTH} columns"
        );
        static NEXT: AtomicI64 = AtomicI64::new(1);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        lent().insert(id, Arc::new(self));
        Loan { id }
    }
}

/// The batches lent out, by number.
static LENT: LazyLock<Mutex<HashMap<i64, Arc<Rows>>>> = LazyLock::new(Mutex::default);

fn lent() -> std::sync::MutexGuard<'static, HashMap<i64, Arc<Rows>>> {
    // The map is consistent after any panic (single inserts and removes).
    LENT.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A batch lent to SQLite; taken back on drop.
#[derive(Debug)]
#[must_use = "a loan is only useful for the statements run through it"]
pub(crate) struct Loan {
    id: i64,
}

impl Loan {
    /// The number `pledgeboard_rows(?)` takes.
    fn id(&self) -> i64 {
        self.id
    }

    /// `sql` reading the batch as `pledgeboard_rows(?1)`, with `more` bound as `?2`, `?3`…
    fn statement(&self, sql: String, more: impl IntoIterator<Item = Value>) -> Statement {
        let values: Vec<Value> = std::iter::once(Value::from(self.id()))
            .chain(more)
            .collect();
        Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
    }

    /// Runs `sql` on the batch (see [`Self::statement`]); the batch stays lent throughout.
    pub(crate) async fn execute(
        &self,
        conn: &impl ConnectionTrait,
        sql: String,
        more: impl IntoIterator<Item = Value>,
    ) -> Result<ExecResult, DbErr> {
        conn.execute_raw(self.statement(sql, more)).await
    }

    /// Runs the query `sql` on the batch and reads its one row (see [`Self::statement`]).
    pub(crate) async fn query_one(
        &self,
        conn: &impl ConnectionTrait,
        sql: String,
        more: impl IntoIterator<Item = Value>,
    ) -> Result<Option<QueryResult>, DbErr> {
        conn.query_one_raw(self.statement(sql, more)).await
    }
}

impl Drop for Loan {
    fn drop(&mut self) {
        lent().remove(&self.id);
    }
}

/// Registers Pledgeboard's own SQL on a freshly opened SQLite connection: `pledgeboard_rows`,
/// and the all-states table's aggregate (`reports/sqlite_tally.rs`).
pub(crate) async fn register(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let raw = handle.as_raw_handle().as_ptr();
    // SAFETY: the locked handle is open and no other thread uses it while it is locked;
    // `from_handle` does not close it when dropped, and the module registered is 'static.
    let conn = unsafe { rusqlite::Connection::from_handle(raw) }
        .map_err(|e| sqlx::Error::Configuration(e.into()))?;
    conn.create_module(
        c"pledgeboard_rows",
        eponymous_only_module::<RowsTable>(),
        None,
    )
    .and_then(|()| crate::reports::sqlite_tally::create_function(&conn))
    .map_err(|e| sqlx::Error::Configuration(e.into()))
}

/// The virtual table: columns `c0 … c23` and the hidden argument `batch`.
#[repr(C)]
struct RowsTable {
    /// SQLite's base structure; must come first.
    base: ffi::sqlite3_vtab,
}

// SAFETY: `RowsTable` is `repr(C)` with `sqlite3_vtab` first, as rusqlite requires.
unsafe impl<'vtab> VTab<'vtab> for RowsTable {
    type Aux = ();
    type Cursor = RowsCursor<'vtab>;

    fn connect(
        db: &mut VTabConnection,
        _aux: Option<&()>,
        _args: &[&[u8]],
    ) -> rusqlite::Result<(String, Self)> {
        db.config(VTabConfig::Innocuous)?;
        let columns: Vec<String> = (0..MAX_WIDTH).map(|i| format!("c{i}")).collect();
        let schema = format!("CREATE TABLE x({}, batch HIDDEN)", columns.join(", "));
        Ok((
            schema,
            Self {
                base: ffi::sqlite3_vtab::default(),
            },
        ))
    }

    fn best_index(&self, info: &mut IndexInfo) -> rusqlite::Result<()> {
        let batch = info.constraints().position(|c| {
            c.column() == MAX_WIDTH as c_int
                && c.is_usable()
                && c.operator() == IndexConstraintOp::SQLITE_INDEX_CONSTRAINT_EQ
        });
        let Some(batch) = batch else {
            // Without its batch number the table has no rows to offer; make that plan lose.
            info.set_estimated_cost(f64::MAX);
            return Ok(());
        };
        let mut usage = info.constraint_usage(batch);
        usage.set_argv_index(1);
        usage.set_omit(true);
        info.set_idx_num(1);
        info.set_estimated_cost(1.0);
        Ok(())
    }

    fn open(&'vtab mut self) -> rusqlite::Result<Self::Cursor> {
        Ok(RowsCursor {
            base: ffi::sqlite3_vtab_cursor::default(),
            rows: None,
            row: 0,
            phantom: PhantomData,
        })
    }
}

/// A pass over one lent batch.
#[repr(C)]
struct RowsCursor<'vtab> {
    /// SQLite's base structure; must come first.
    base: ffi::sqlite3_vtab_cursor,
    rows: Option<Arc<Rows>>,
    row: usize,
    phantom: PhantomData<&'vtab RowsTable>,
}

// SAFETY: `RowsCursor` is `repr(C)` with `sqlite3_vtab_cursor` first, as rusqlite requires.
unsafe impl VTabCursor for RowsCursor<'_> {
    fn filter(
        &mut self,
        idx_num: c_int,
        _idx_str: Option<&str>,
        args: &Filters<'_>,
    ) -> rusqlite::Result<()> {
        self.row = 0;
        if idx_num != 1 {
            return Err(rusqlite::Error::ModuleError(format!(
                "{FUNCTION} needs a batch number"
            )));
        }
        let id: i64 = args.get(0)?;
        let rows = lent().get(&id).cloned();
        self.rows = Some(
            rows.ok_or_else(|| rusqlite::Error::ModuleError(format!("batch {id} is not lent")))?,
        );
        Ok(())
    }

    fn next(&mut self) -> rusqlite::Result<()> {
        self.row += 1;
        Ok(())
    }

    fn eof(&self) -> bool {
        self.rows.as_ref().is_none_or(|r| self.row >= r.len())
    }

    fn column(&self, ctx: &mut Context, i: c_int) -> rusqlite::Result<()> {
        let value = match &self.rows {
            Some(rows) => match rows.cell(self.row, usize::try_from(i).unwrap_or(usize::MAX)) {
                CellRef::Null => ValueRef::Null,
                CellRef::Int(v) => ValueRef::Integer(v),
                CellRef::Text(t) => ValueRef::Text(t.as_bytes()),
            },
            None => ValueRef::Null,
        };
        ctx.set_result(&ToSqlOutput::Borrowed(value))
    }

    fn rowid(&self) -> rusqlite::Result<i64> {
        Ok(i64::try_from(self.row).unwrap_or(i64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

    use super::{FUNCTION, lent};
    use crate::import::cells::Rows;
    use crate::testing::fresh_store;

    /// The query reading the batch numbered `id`.
    fn read_batch(id: i64) -> Statement {
        Statement::from_sql_and_values(
            DbBackend::Sqlite,
            format!("SELECT c0, c1, c2 IS NULL AS blank, c5 IS NULL AS past FROM {FUNCTION}(?)"),
            [Value::from(id)],
        )
    }

    #[tokio::test]
    async fn sqlite_reads_a_lent_batch_and_nothing_once_it_is_taken_back() {
        let store = fresh_store("sqlite").await.unwrap();
        let mut rows = Rows::new(3, 2);
        for (name, n) in [("Ghana", Some(7)), ("Côte d'Ivoire", None)] {
            rows.text(Some(name));
            rows.int(n);
            rows.text(None);
        }
        let loan = rows.lend();
        let query = read_batch(loan.id());
        let read = store.db.query_all_raw(query.clone()).await.unwrap();
        let read: Vec<(String, Option<i64>, bool, bool)> = read
            .iter()
            .map(|r| {
                (
                    r.try_get("", "c0").unwrap(),
                    r.try_get("", "c1").unwrap(),
                    r.try_get("", "blank").unwrap(),
                    r.try_get("", "past").unwrap(),
                )
            })
            .collect();
        assert_eq!(
            read,
            [
                ("Ghana".to_owned(), Some(7), true, true),
                ("Côte d'Ivoire".to_owned(), None, true, true)
            ]
        );
        let id = loan.id();
        drop(loan);
        assert!(!lent().contains_key(&id), "the batch went back");
        let after = store.db.query_all_raw(query).await;
        assert!(after.is_err(), "a batch taken back is not read as no rows");
    }

    #[tokio::test]
    async fn a_statement_naming_an_unknown_batch_fails() {
        let store = fresh_store("sqlite").await.unwrap();
        let unknown = i64::MAX;
        assert!(!lent().contains_key(&unknown));
        let error = store
            .db
            .query_all_raw(read_batch(unknown))
            .await
            .expect_err("an unknown batch is an error");
        assert!(
            error
                .to_string()
                .contains(&format!("batch {unknown} is not lent")),
            "{error}"
        );
    }

    #[tokio::test]
    async fn statements_run_through_the_loan_read_its_batch() {
        let store = fresh_store("sqlite").await.unwrap();
        let mut rows = Rows::new(1, 3);
        for n in [3, 4, 5] {
            rows.int(Some(n));
        }
        let loan = rows.lend();
        let sum = loan
            .query_one(
                &store.db,
                format!("SELECT sum(c0) * ?2 AS n FROM {FUNCTION}(?1)"),
                [Value::from(10)],
            )
            .await
            .unwrap()
            .map(|r| r.try_get::<i64>("", "n").unwrap());
        assert_eq!(sum, Some(120));
        let done = loan
            .execute(
                &store.db,
                format!("CREATE TEMP TABLE t AS SELECT c0 FROM {FUNCTION}(?1)"),
                [],
            )
            .await;
        assert!(done.is_ok(), "{done:?}");
    }
}
