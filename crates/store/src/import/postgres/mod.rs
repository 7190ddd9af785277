//! PostgreSQL's side of a pledge import. New pledges go in with `COPY … FROM STDIN` (text
//! format) under ids drawn from the sequence beforehand, so that their partners can follow in a
//! second `COPY`; key look-ups bind one text array per key column, unnested by the server.
//!
//! Measured on 1,000,000 new pledges (2 cores, 127.0.0.1): `INSERT … SELECT … FROM unnest(…)`
//! took 16.7 s, `COPY` with the partners joined by key 15–16 s, `COPY` with drawn ids, the
//! partners' foreign keys and the unique key index set aside (`bulk_load.rs`) 9.6–9.9 s, against
//! 4.0 s for psql's own `COPY` into a table with just the unique key.

mod copy;
mod set_aside;
mod stored;
mod txn;
mod updates;

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use pledgeboard_domain::{MemberStateCode, Pledge, PledgeRef};
use sea_orm::sqlx::postgres::PgRow;
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, QueryResult, Statement, Value};

use copy::{PARTNERS_COPY_STATEMENT, partners_copy, pledges_copy, pledges_copy_statement};
pub(crate) use set_aside::{history_rows, set_aside_indexes};
pub(crate) use txn::PostgresTxn;
pub(crate) use updates::{update_batch, write_staged};

use crate::StoreError;
use crate::import::batch::{NewPledges, key_rows};
use crate::import::cells::{CellRef, Rows};
use crate::import::plan::ROWS_BETWEEN_YIELDS;
use crate::pledges::row::Details;

/// Rows per batch on PostgreSQL. Batches were large (50,000 rows, then 25,000, 20,000 and
/// 15,000 as peak memory asked) while sqlx 0.9.0 left Nagle's algorithm on: over TCP each
/// statement could stall 40 ms for a delayed ACK, so fewer statements meant fewer stalls. sqlx
/// 0.9.1 sets `TCP_NODELAY`, and smaller batches now cost nothing: a million rows over
/// 127.0.0.1 (7 December 2026, three runs each, alternating) took 10.6–11.0 s to create in
/// 5,000-row batches against 12.5–12.9 s in 15,000-row ones (the first batch reaches the
/// server sooner), and 28.1–29.7 s against 28.6–29.2 s to change every one; peak memory 118
/// against 166 MiB creating, 140 against 227 MiB changing (three batches are held at once:
/// one planned, the one ahead written, the next one's stored pledges read; `pipeline.rs`).
/// 2,500-row batches measured no faster.
pub(crate) const BATCH_ROWS: usize = 5_000;

/// A PostgreSQL array literal (`{"a","b",NULL}`), built one element at a time.
struct ArrayLiteral(String);

impl ArrayLiteral {
    fn with_capacity(elements: usize) -> Self {
        let mut text = String::with_capacity(elements * 8 + 2);
        text.push('{');
        Self(text)
    }

    fn separate(&mut self) {
        if self.0.len() > 1 {
            self.0.push(',');
        }
    }

    /// Adds a text element, quoted, with `"` and `\` escaped; `None` is SQL NULL.
    fn text(&mut self, value: Option<&str>) {
        self.separate();
        match value {
            None => self.0.push_str("NULL"),
            Some(v) => {
                self.0.push('"');
                for c in v.chars() {
                    if c == '"' || c == '\\' {
                        self.0.push('\\');
                    }
                    self.0.push(c);
                }
                self.0.push('"');
            }
        }
    }

    /// Adds a number or date element, whose text needs no quoting; `None` is SQL NULL.
    fn plain(&mut self, value: Option<impl std::fmt::Display>) {
        self.separate();
        match value {
            None => self.0.push_str("NULL"),
            Some(v) => {
                // Writing to a String cannot fail.
                let _ = write!(self.0, "{v}");
            }
        }
    }

    /// Adds a cell: text quoted, an integer as it is.
    fn cell(&mut self, cell: CellRef<'_>) {
        match cell {
            CellRef::Null => self.text(None),
            CellRef::Int(v) => self.plain(Some(v)),
            CellRef::Text(t) => self.text(Some(t)),
        }
    }

    fn finish(mut self) -> Value {
        self.0.push('}');
        Value::from(self.0)
    }
}

/// The planner settings an import turns off: inside one long transaction the planner's
/// statistics never see the table grow, so it keeps scanning the whole table (or index) for
/// each batch's key look-up: quadratic over a large file. One index probe per key is always the
/// right plan: a plain index scan. Left bitmap scans and memoize, the planner chose a bitmap
/// scan for each key behind a memo of the keys already probed, which never hits (a file's keys
/// are unique): 22.5 ms for 5,000 keys against 13.6 ms by plain index scans (a million stored
/// pledges, warm, executor time).
const PLANNER_SCANS_AND_JOINS: [&str; 5] = [
    "enable_seqscan",
    "enable_hashjoin",
    "enable_mergejoin",
    "enable_bitmapscan",
    "enable_memoize",
];

/// Sets the import's transaction to look keys up by index probes only
/// ([`PLANNER_SCANS_AND_JOINS`] off), and turns just-in-time compilation off for it: a disabled
/// scan is priced at 10^10, so every statement reading a batch's temporary table (a scan, the
/// only way to read it) looked costly enough to be compiled with inlining and optimisation,
/// about 0.3 s each time, twice per batch of changes — 12 s of a million changed rows — to run
/// a statement of a fraction of a second.
pub(crate) async fn set_planner_for_key_lookups(txn: &PostgresTxn) -> Result<(), StoreError> {
    for setting in PLANNER_SCANS_AND_JOINS {
        txn.execute_unprepared(&format!("SET LOCAL {setting} = off"))
            .await?;
    }
    txn.execute_unprepared("SET LOCAL jit = off").await?;
    Ok(())
}

/// The advisory lock key that imports queue on ("pbimport").
const IMPORT_LOCK: i64 = 0x7062_696d_706f_7274;

/// Waits until no other import (of any instance on this database) runs, and keeps the others
/// out until this one commits or rolls back: two overlapping files sent at the same moment
/// through two instances are then applied one after the other, the second planned against
/// what the first committed, so neither is half applied nor duplicates the other's pledges.
pub(crate) async fn queue_behind_other_imports(txn: &PostgresTxn) -> Result<(), StoreError> {
    txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({IMPORT_LOCK})"))
        .await?;
    Ok(())
}

/// Locks `pledges` against other writers (readers go on) until the import ends.
pub(crate) async fn lock_against_writers(txn: &PostgresTxn) -> Result<(), StoreError> {
    txn.execute_unprepared("LOCK TABLE pledges IN SHARE ROW EXCLUSIVE MODE")
        .await?;
    Ok(())
}

/// The rows of the stored pledges under a batch's keys, and of their partners and equipment,
/// as received: [`StoredRows::into_pledges`] makes pledges of them when the batch is planned,
/// beside the writing of the batch ahead. Made into pledges as they were read, 5,000 at a time,
/// they kept the connection waiting about 14 ms per batch between the look-up and the next
/// statement: 2.8 s of a million changed rows (PostgreSQL's log); made into pledges all at once
/// when planning began, they kept the batch ahead from sending its next statement as long.
#[derive(Default)]
pub(crate) struct StoredRows {
    pledges: Vec<PgRow>,
    partners: Vec<QueryResult>,
    equipment: Vec<QueryResult>,
}

impl StoredRows {
    /// The pledges these rows hold. It runs beside the writing of the batch ahead, on the same
    /// task, so it lets that go on every [`ROWS_BETWEEN_YIELDS`] rows.
    pub(crate) async fn into_pledges(self) -> Result<Vec<Pledge>, StoreError> {
        fn models<M: FromQueryResult>(rows: &[QueryResult]) -> Result<Vec<M>, StoreError> {
            let models = rows.iter().map(|r| M::from_query_result(r, ""));
            Ok(models.collect::<Result<_, _>>()?)
        }
        let mut details = Details::group(models(&self.partners)?, models(&self.equipment)?)?;
        let mut pledges = Vec::with_capacity(self.pledges.len());
        for rows in self.pledges.chunks(ROWS_BETWEEN_YIELDS) {
            for row in rows {
                pledges.push(details.pledge(stored::model(row)?)?);
            }
            tokio::task::yield_now().await;
        }
        Ok(pledges)
    }
}

/// The stored pledges under these keys, with their partners and equipment.
pub(crate) async fn pledges_by_key(
    txn: &PostgresTxn,
    keys: &[(&MemberStateCode, &PledgeRef)],
) -> Result<StoredRows, StoreError> {
    let statement = Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "SELECT {} \
             FROM unnest($1::text[], $2::text[]) AS k(member_state, pledge_ref) \
             JOIN pledges p ON p.member_state = k.member_state AND p.pledge_ref = k.pledge_ref",
            stored::columns()
        ),
        column_arrays(&key_rows(keys)),
    );
    let pledges = txn.fetch_rows(statement).await?;
    if pledges.is_empty() {
        return Ok(StoredRows::default());
    }
    // The details by one array of ids rather than sea-orm's `IN ($1, …, $50000)`: one bound
    // value instead of one per pledge for the server to parse and plan.
    let ids = pledges
        .iter()
        .map(stored::id)
        .collect::<Result<Vec<_>, _>>()?;
    let ids = int_array(&ids);
    let details = |table: &str, order: &str| {
        Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!("SELECT * FROM {table} WHERE pledge_id = ANY($1::bigint[]){order}"),
            [ids.clone()],
        )
    };
    let partners = txn.query_all_raw(details("pledge_partners", "")).await?;
    let equipment = txn
        .query_all_raw(details("pledge_equipment", " ORDER BY id"))
        .await?;
    Ok(StoredRows {
        pledges,
        partners,
        equipment,
    })
}

/// Integers as one array literal, for `= ANY($n::bigint[])`.
fn int_array(values: &[i64]) -> Value {
    let mut array = ArrayLiteral::with_capacity(values.len());
    for v in values {
        array.plain(Some(v));
    }
    array.finish()
}

/// Each column of a batch of cells as one array.
fn column_arrays(rows: &Rows) -> Vec<Value> {
    (0..rows.width())
        .map(|c| {
            let mut array = ArrayLiteral::with_capacity(rows.len());
            for cell in rows.column(c) {
                array.cell(cell);
            }
            array.finish()
        })
        .collect()
}

/// How the ids of new pledges are drawn from the sequence of `pledges.id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdDraw {
    /// One `nextval` per pledge, as an insert would: safe whoever else inserts meanwhile.
    EachInTurn,
    /// The whole batch's ids at once, by moving the sequence past them: only while no one else
    /// can insert a pledge (the import holds the table against other writers).
    AllAtOnce,
}

/// The sequence of `pledges.id`, as a `FROM` item.
const SEQUENCE: &str = "(SELECT pg_get_serial_sequence('pledges', 'id')::regclass AS seq) s";

/// The statement drawing ids for `n` new pledges; [`drawn_ids`] reads its answer.
fn draw_ids_statement(n: usize, draw: IdDraw) -> Statement {
    let n = i64::try_from(n).unwrap_or(i64::MAX);
    let sql = match draw {
        IdDraw::EachInTurn => {
            format!("SELECT nextval(s.seq) AS id FROM {SEQUENCE}, generate_series(1, $1)")
        }
        IdDraw::AllAtOnce => {
            format!("SELECT setval(s.seq, nextval(s.seq) + $1 - 1) AS id FROM {SEQUENCE}")
        }
    };
    Statement::from_sql_and_values(DbBackend::Postgres, sql, [Value::from(n)])
}

/// The `n` ids drawn by a [`draw_ids_statement`] that answered `answer` (for
/// [`IdDraw::AllAtOnce`], the last of them).
fn drawn_ids(n: usize, draw: IdDraw, answer: Vec<i64>) -> Vec<i64> {
    match (draw, answer.as_slice()) {
        (IdDraw::AllAtOnce, [last]) => {
            let first = last - i64::try_from(n).unwrap_or(i64::MAX) + 1;
            (first..=*last).collect()
        }
        _ => answer,
    }
}

/// Inserts a batch of new pledges and their partners: ids drawn, then one `COPY` each.
pub(crate) async fn insert_batch(
    postgres: &PostgresTxn,
    batch: &NewPledges,
    draw: IdDraw,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let answer = postgres
        .query_all_raw(draw_ids_statement(batch.len(), draw))
        .await?
        .iter()
        .map(|r| r.try_get::<i64>("", "id"))
        .collect::<Result<Vec<_>, _>>()?;
    let ids = drawn_ids(batch.len(), draw, answer);
    if ids.len() != batch.len() {
        return Err(StoreError::Other(format!(
            "{} ids drawn for {} new pledges",
            ids.len(),
            batch.len()
        )));
    }
    let data = pledges_copy(batch, &ids, by, at);
    postgres.copy_in(&pledges_copy_statement(), &data).await?;
    if batch.partners.len() > 0 {
        let data = partners_copy(batch, &ids)?;
        postgres.copy_in(PARTNERS_COPY_STATEMENT, &data).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_literals_quote_and_escape_text_and_mark_nulls() {
        let mut a = ArrayLiteral::with_capacity(4);
        a.text(Some(r#"say "hi", \ {x}"#));
        a.text(None);
        a.plain(Some(42));
        a.text(Some("NULL"));
        assert_eq!(
            a.finish(),
            Value::from(r#"{"say \"hi\", \\ {x}",NULL,42,"NULL"}"#)
        );
        assert_eq!(ArrayLiteral::with_capacity(0).finish(), Value::from("{}"));
    }

    #[test]
    fn ids_drawn_at_once_end_at_the_sequence_value_returned() {
        assert_eq!(drawn_ids(3, IdDraw::AllAtOnce, vec![12]), [10, 11, 12]);
        assert_eq!(drawn_ids(1, IdDraw::AllAtOnce, vec![1]), [1]);
        assert_eq!(drawn_ids(2, IdDraw::EachInTurn, vec![4, 9]), [4, 9]);
    }

    #[tokio::test]
    async fn new_pledges_keep_their_partners_whether_their_ids_are_drawn_at_once_or_in_turn() {
        use crate::PledgeFilter;
        use crate::testing::{backends, fresh_store, import_csv};

        // The first file goes into an empty table (ids drawn at once), the second into a
        // table holding the first (one id per pledge, in turn): each pledge keeps its own
        // partners, and no id is drawn twice.
        let first = "pledge_ref,member_state,capability,quantity,partners\n\
                     A-1,PAK,INF-BN,1,JPN:equips;KOR:trains\n\
                     A-2,PAK,INF-BN,1,\n\
                     A-3,JPN,INF-BN,1,PAK:equips\n";
        let second = "pledge_ref,member_state,capability,quantity,partners\n\
                      B-1,KOR,INF-BN,1,\n\
                      B-2,KOR,INF-BN,1,JPN:trains\n";
        for backend in backends() {
            let store = fresh_store(backend).await.unwrap();
            for file in [first, second] {
                let report = import_csv(&store, file).await.unwrap();
                assert!(report.applied, "{backend}: {:?}", report.errors);
            }
            let filter = PledgeFilter {
                limit: 10,
                ..PledgeFilter::default()
            };
            let mut stored: Vec<_> = store
                .list_pledges(&filter)
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|p| {
                    let partners = pledgeboard_domain::pledge::partners_text(&p.partners);
                    (p.pledge_ref.to_string(), partners, p.id)
                })
                .collect();
            stored.sort();
            let ids: std::collections::BTreeSet<i64> = stored.iter().map(|s| s.2).collect();
            assert_eq!(ids.len(), 5, "{backend}: every pledge has its own id");
            let partners: Vec<_> = stored
                .iter()
                .map(|s| (s.0.as_str(), s.1.as_str()))
                .collect();
            assert_eq!(
                partners,
                [
                    ("A-1", "JPN:equips;KOR:trains"),
                    ("A-2", ""),
                    ("A-3", "PAK:equips"),
                    ("B-1", ""),
                    ("B-2", "JPN:trains"),
                ],
                "{backend}"
            );
        }
    }

    #[tokio::test]
    async fn text_that_array_syntax_uses_is_stored_as_written_on_every_backend() {
        use crate::PledgeFilter;
        use crate::testing::{backends, fresh_store, import_csv};

        let tricky = [
            r#"a "quoted" word, a comma"#,
            r"a \ backslash and {braces}",
            "NULL",
            "line one\nline two; é",
            "a\ttab, a\r\ncarriage return, \\N and \\. as text",
        ];
        let mut file = String::from("pledge_ref,member_state,capability,quantity,caveats,notes\n");
        for (i, text) in tricky.iter().enumerate() {
            let quoted = format!("\"{}\"", text.replace('"', "\"\""));
            file.push_str(&format!("T-{i},PAK,INF-BN,1,{quoted},{quoted}\n"));
        }
        file.push_str("T-9,PAK,INF-BN,1,,\n");
        for backend in backends() {
            let store = fresh_store(backend).await.unwrap();
            let report = import_csv(&store, &file).await.unwrap();
            assert_eq!((report.created, report.errors.len()), (6, 0), "{backend}");
            let filter = PledgeFilter {
                limit: 10,
                ..PledgeFilter::default()
            };
            let stored = store.list_pledges(&filter).await.unwrap().items;
            let caveats: Vec<_> = stored.iter().map(|p| p.caveats.as_deref()).collect();
            let notes: Vec<_> = stored.iter().map(|p| p.notes.as_deref()).collect();
            let expected: Vec<_> = tricky.iter().copied().map(Some).chain([None]).collect();
            assert_eq!(caveats, expected, "{backend}");
            assert_eq!(notes, expected, "{backend}");
        }
    }
}
