//! Rows handed to SQLite as a table: `SELECT … FROM pledgeboard_rows(?)` reads a batch the import
//! built in memory, so a 1,000-row `INSERT` binds three values instead of 22,000.
//!
//! Binding each cell through sea-orm and sqlx copies a text cell three times (into a `Value`,
//! into sqlx's `Arc<String>`, into SQLite) and frees it on another thread; for a million-row
//! import that was most of the writer's time. Here a batch is one text buffer plus a cell
//! table; SQLite reads the cells through an eponymous virtual table (like SQLite's own
//! `carray`) registered on every connection when it opens ([`register`]). A batch is lent for
//! one statement ([`Rows::lend`]) under a number, and taken back when the loan is dropped.
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

use crate::cells::{CellRef, Rows};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::vtab::{
    Context, Filters, IndexConstraintOp, IndexInfo, VTab, VTabConfig, VTabConnection, VTabCursor,
    eponymous_only_module,
};
use sea_orm::sqlx::{self, SqliteConnection};

/// The table-valued function's name in SQL.
pub(crate) const FUNCTION: &str = "pledgeboard_rows";
/// Columns `c0 … c23`; cells past a batch's width read as NULL.
const MAX_WIDTH: usize = 24;

/// Lending a batch to SQLite.
impl Rows {
    /// Lends the batch to SQLite until the returned loan is dropped; bind [`Loan::id`] as the
    /// function's argument.
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
pub(crate) struct Loan {
    id: i64,
}

impl Loan {
    /// The number `pledgeboard_rows(?)` takes.
    pub(crate) fn id(&self) -> i64 {
        self.id
    }
}

impl Drop for Loan {
    fn drop(&mut self) {
        lent().remove(&self.id);
    }
}

/// Registers `pledgeboard_rows` on a freshly opened SQLite connection.
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
        self.rows = if idx_num == 1 {
            let id: i64 = args.get(0)?;
            lent().get(&id).cloned()
        } else {
            None
        };
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
    use crate::cells::Rows;
    use crate::testing::fresh_store;

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
        let query = Statement::from_sql_and_values(
            DbBackend::Sqlite,
            format!("SELECT c0, c1, c2 IS NULL AS blank, c5 IS NULL AS past FROM {FUNCTION}(?)"),
            [Value::from(loan.id())],
        );
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
        let after = store.db.query_all_raw(query).await.unwrap();
        assert!(after.is_empty(), "a batch taken back reads as no rows");
    }
}
