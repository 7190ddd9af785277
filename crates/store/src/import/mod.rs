//! Importing a pledge file: streamed in batches inside one transaction, all-or-nothing,
//! idempotent. A dry run classifies every row exactly as the real run would and writes nothing.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use pledgeboard_domain::import::{ImportReport, RowPlan, plan_row};
use pledgeboard_domain::pledge_csv::{LineError, PledgeHeader};
use pledgeboard_domain::table_input::Table;
use pledgeboard_domain::{Actor, Catalog, MemberStateCode, Pledge, PledgeRef};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Statement};
use tokio::sync::mpsc;

use crate::audit_repo::{Change, record};
use crate::bulk_index::{BulkIndex, Progress};
use crate::clock::now;
use crate::entities::pledge;
use crate::import_postgres::{self, IdDraw};
use crate::import_reader::{Chunk, KeyedRow, Speculation, read_ahead};
use crate::import_sqlite;
use crate::import_txn::ImportTxn;
use crate::new_pledges::NewPledges;
use crate::pledge_repo::with_details;
use crate::updated_pledges::UpdatedPledges;
use crate::{Backend, Store, StoreError, import_postgres_updates};

/// Rows read, checked and written together on SQLite: 10,000-row batches measured slower, with
/// peak memory at 240 MiB instead of 193 (1,000,000 rows).
pub const BATCH_ROWS: usize = 1000;

/// The audit trail's name for what an import does to a pledge.
pub(crate) const IMPORT_ACTION: &str = "import";

/// The error when a pledge an import is changing was changed by someone else meanwhile (on
/// PostgreSQL, between the batch's read and its write); the whole import is rolled back.
pub(crate) fn changed_meanwhile() -> StoreError {
    StoreError::Conflict(
        "a pledge in the file was changed by someone else while the file was being imported; \
         nothing was imported: import the file again"
            .to_owned(),
    )
}

/// How an import runs.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Classify and check every row, write nothing.
    pub dry_run: bool,
    /// The file's name, for the audit trail.
    pub source: String,
}

/// The stored pledges under these keys, with their partners and equipment.
async fn stored_by_key(
    txn: &ImportTxn,
    keys: &[(&MemberStateCode, &PledgeRef)],
) -> Result<Vec<Pledge>, StoreError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let rows = match txn.get_database_backend() {
        DbBackend::Postgres => {
            let statement = import_postgres::pledges_by_key_statement(keys);
            pledge::Entity::find()
                .from_raw_sql(statement)
                .all(txn)
                .await?
        }
        _ => {
            let (statement, _loan) = import_sqlite::pledges_by_key_statement(keys).into_parts();
            let row = txn.query_one_raw(statement).await?;
            let json: Option<String> = row.map(|r| r.try_get("", "rows")).transpose()?;
            import_sqlite::pledges_from_json(json.as_deref().unwrap_or("[]"))?
        }
    };
    with_details(txn, rows).await
}

/// Inserts a batch of new pledges and their partners, as the import's author.
async fn insert_batch(
    txn: &ImportTxn,
    batch: NewPledges,
    draw: IdDraw,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    if batch.len() == 0 {
        return Ok(());
    }
    match txn.postgres() {
        Some(postgres) => import_postgres::insert_batch(postgres, &batch, draw, by, at).await,
        None => import_sqlite::insert_batch(txn, batch, by, at).await,
    }
}

/// Writes a batch of changes to stored pledges, with their versions and audit entries.
async fn update_batch(
    txn: &ImportTxn,
    batch: UpdatedPledges,
    actor: &Actor,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    if batch.len() == 0 {
        return Ok(());
    }
    match txn.postgres() {
        Some(postgres) => import_postgres_updates::update_batch(postgres, batch, actor, at).await,
        None => import_sqlite::update_batch(txn, batch, actor, at).await,
    }
}

/// How many pledges are stored.
async fn stored_pledges(txn: &ImportTxn) -> Result<u64, StoreError> {
    let backend = txn.get_database_backend();
    let row = txn
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT count(*) AS n FROM pledges",
        ))
        .await?;
    let stored: i64 = row.map_or(Ok(0), |r| r.try_get("", "n"))?;
    Ok(u64::try_from(stored).unwrap_or(0))
}

/// Whether `pledges`, found empty, stays the import's own until commit. SQLite has one writer
/// at a time. On PostgreSQL the table is locked against other writers (readers go on) — there
/// is no meeting's data yet to record against — and counted again under the lock.
async fn starts_empty(txn: &ImportTxn) -> Result<bool, StoreError> {
    if txn.get_database_backend() != DbBackend::Postgres {
        return Ok(true);
    }
    txn.execute_unprepared("LOCK TABLE pledges IN SHARE ROW EXCLUSIVE MODE")
        .await?;
    Ok(stored_pledges(txn).await? == 0)
}

struct Batch<'a> {
    txn: &'a ImportTxn,
    catalog: &'a Catalog,
    header: &'a PledgeHeader,
    actor: &'a Actor,
    options: &'a ImportOptions,
    at: DateTime<Utc>,
    /// No pledge was stored when the import began, and no one else can add one until it ends
    /// (see [`starts_empty`]): as a file's keys are unique, every row is new and no key needs
    /// looking up.
    fresh: bool,
}

/// A batch planned and ready to write.
struct Planned {
    creates: NewPledges,
    updates: UpdatedPledges,
    /// How far the import has gone, this batch included.
    progress: Progress,
}

impl Batch<'_> {
    /// Plans every pending row against what is stored; `None` once the import cannot write
    /// (a dry run, or a bad row anywhere so far).
    async fn plan(
        &self,
        pending: &mut Vec<KeyedRow>,
        report: &mut ImportReport,
        speculation: &Speculation,
    ) -> Result<Option<Planned>, StoreError> {
        let stored = if self.fresh {
            Vec::new()
        } else {
            let keys: Vec<_> = pending.iter().map(|r| (&r.state, &r.reference)).collect();
            stored_by_key(self.txn, &keys).await?
        };
        let existing: HashMap<(String, String), Pledge> = stored
            .into_iter()
            .map(|p| ((p.member_state.to_string(), p.pledge_ref.to_string()), p))
            .collect();
        speculation.observe(existing.len(), pending.len());
        let today = self.at.date_naive();
        let mut creates = NewPledges::with_capacity(pending.len());
        let mut updates = UpdatedPledges::with_capacity(existing.len());
        let mut spent = Vec::with_capacity(pending.len());
        for mut row in pending.drain(..) {
            let plan = match existing.get(&(row.state.to_string(), row.reference.to_string())) {
                Some(current) => plan_row(
                    self.header,
                    &row.record,
                    Some(current),
                    self.catalog,
                    self.actor,
                ),
                None => row.as_new.take().unwrap_or_else(|| {
                    plan_row(self.header, &row.record, None, self.catalog, self.actor)
                }),
            };
            match plan {
                Ok(RowPlan::Create(p)) => {
                    creates.push(&p, self.catalog, today)?;
                    row.as_new = Some(Ok(RowPlan::Create(p)));
                }
                Ok(RowPlan::Update { current, next }) => {
                    updates.push(&current, &next, self.catalog, &self.actor.name, self.at)?;
                }
                Ok(RowPlan::Unchanged) => report.unchanged += 1,
                Err(errors) => {
                    report.add_errors(errors.into_iter().map(|e| LineError::at(row.line, e)))
                }
            }
            spent.push(row);
        }
        speculation.give_back(spent);
        report.created += creates.len() as u64;
        report.updated += updates.len() as u64;
        if self.options.dry_run || report.has_errors() {
            return Ok(None);
        }
        Ok(Some(Planned {
            creates,
            updates,
            progress: Progress {
                rows: report.rows,
                created: report.created,
                changed: report.updated,
            },
        }))
    }

    /// Writes a planned batch: creations, then changes, a few statements each.
    async fn write(&self, planned: Planned, bulk: &mut BulkIndex) -> Result<(), StoreError> {
        let Planned {
            creates,
            updates,
            progress,
        } = planned;
        bulk.before_write(self.txn, progress).await?;
        let draw = if self.fresh {
            IdDraw::AllAtOnce
        } else {
            IdDraw::EachInTurn
        };
        insert_batch(self.txn, creates, draw, &self.actor.name, self.at).await?;
        update_batch(self.txn, updates, self.actor, self.at).await
    }
}

/// Text a batch holds at most: 50,000 rows of a generated file hold about 4.5 MB; rows of
/// long texts (16 KB rows pass every reading limit) would otherwise hold 800 MB in one batch.
const BATCH_TEXT_BYTES: usize = 16 << 20;

/// Receives chunks until `pending` holds a batch (its rows, or [`BATCH_TEXT_BYTES`] of text) or
/// the file ends; `false` once it has ended.
async fn gather(
    chunks: &mut mpsc::Receiver<Chunk>,
    pending: &mut Vec<KeyedRow>,
    report: &mut ImportReport,
    batch_rows: usize,
) -> bool {
    let mut text_bytes = 0;
    while pending.len() < batch_rows && text_bytes < BATCH_TEXT_BYTES {
        let Some(chunk) = chunks.recv().await else {
            return false;
        };
        text_bytes += chunk.text_bytes;
        report.rows += chunk.rows_read;
        report.add_errors(chunk.errors);
        pending.extend(chunk.keyed);
    }
    true
}

impl Store {
    /// Imports a pledge table as `actor`. Every row is checked; if any is bad, or on a dry
    /// run, nothing is written. Re-importing the same file leaves every pledge unchanged and
    /// writes no version, audit entry or event.
    pub async fn import_pledges(
        &self,
        catalog: &Catalog,
        table: Table,
        actor: &Actor,
        options: &ImportOptions,
    ) -> Result<ImportReport, StoreError> {
        let mut report = ImportReport {
            dry_run: options.dry_run,
            ..ImportReport::default()
        };
        let header = match PledgeHeader::parse(table.header.iter().map(String::as_str)) {
            Ok(h) => h,
            Err(errors) => {
                report.add_errors(errors);
                return Ok(report);
            }
        };
        // A real import on SQLite takes the writer at once and keeps it to the end; this
        // process's other writes are told so at once (`writer_gate.rs`).
        let writes_sqlite = !options.dry_run && self.backend() == Backend::Sqlite;
        let _writer = writes_sqlite.then(|| self.writer.take()).transpose()?;
        let txn = ImportTxn::begin(&self.db, writes_sqlite).await?;
        if txn.get_database_backend() == DbBackend::Postgres {
            // Inside one long transaction the planner's statistics never see the table grow, so
            // it keeps scanning the whole table (or index) for each batch's key look-up:
            // quadratic over a large file. One index probe per key is always the right plan.
            for setting in ["enable_seqscan", "enable_hashjoin", "enable_mergejoin"] {
                txn.execute_unprepared(&format!("SET LOCAL {setting} = off"))
                    .await?;
            }
        }
        let stored = stored_pledges(&txn).await?;
        let fresh = stored == 0 && starts_empty(&txn).await?;
        let batch = Batch {
            txn: &txn,
            catalog,
            header: &header,
            actor,
            options,
            at: now(),
            fresh,
        };
        let mut bulk = BulkIndex::new(txn.get_database_backend(), stored, fresh)
            .expecting(table.rows_expected);
        let (mut chunks, speculation) =
            read_ahead(table.rows, header.clone(), catalog.clone(), actor.clone());
        let batch_rows = match txn.get_database_backend() {
            DbBackend::Postgres => import_postgres::BATCH_ROWS,
            _ => BATCH_ROWS,
        };
        // Batch n is written while batch n + 1 is gathered and planned: the database works
        // on one thread while this one prepares the next statement.
        let mut pending: Vec<KeyedRow> = Vec::with_capacity(2 * batch_rows);
        let mut reading = true;
        let mut ready: Option<Planned> = None;
        loop {
            let write = async {
                match ready.take() {
                    Some(planned) => batch.write(planned, &mut bulk).await,
                    None => Ok(()),
                }
            };
            let next = async {
                reading =
                    reading && gather(&mut chunks, &mut pending, &mut report, batch_rows).await;
                if pending.is_empty() {
                    return Ok(None);
                }
                batch.plan(&mut pending, &mut report, &speculation).await
            };
            let (written, next) = tokio::join!(write, next);
            written?;
            ready = next?;
            if ready.is_none() && !reading && pending.is_empty() {
                break;
            }
        }

        if options.dry_run || report.has_errors() {
            txn.rollback().await?;
            return Ok(report);
        }
        bulk.restore(&txn).await?;
        if report.created + report.updated > 0 {
            let summary = serde_json::json!({
                "source": options.source, "rows": report.rows, "created": report.created,
                "updated": report.updated, "unchanged": report.unchanged,
            });
            let change = Change {
                actor,
                action: IMPORT_ACTION,
                entity: "import",
                entity_id: options.source.clone(),
                before: None,
                after: Some(summary),
                at: batch.at,
            };
            record(&txn, change).await?;
        }
        txn.commit().await?;
        report.applied = true;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, TransactionTrait};

    use super::starts_empty;
    use crate::Store;
    use crate::import_txn::ImportTxn;
    use crate::testing::{backends, fresh_url};

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
        if !backends().contains(&"postgres") {
            return;
        }
        let url = fresh_url("postgres").await.unwrap();
        let importer = Store::connect(&url).await.unwrap();
        importer.migrate().await.unwrap();
        let other = Store::connect(&url).await.unwrap();

        let txn = ImportTxn::begin(&importer.db, false).await.unwrap();
        assert!(starts_empty(&txn).await.unwrap());
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
}
