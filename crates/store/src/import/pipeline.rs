//! The batch loop: rows gathered from the reader into batches, each one's stored pledges read,
//! then planned (`plan.rs`) while the one before is written, so the database works on its
//! thread while this one prepares the next statement.

use chrono::{DateTime, Utc};
use pledgeboard_domain::import::ImportReport;
use pledgeboard_domain::pledge_csv::PledgeHeader;
use pledgeboard_domain::table_input::Table;
use pledgeboard_domain::{Actor, Catalog};
use tokio::sync::mpsc;

use super::bulk_load::BulkLoad;
use super::lineage_check::ImportLinks;
use super::milestones::stage;
use super::plan::{Planned, Planner};
use super::reader::{Chunk, KeyedRow, read_ahead};
use super::txn::ImportTxn;
use crate::StoreError;
use crate::clock::now;

/// Text a batch holds at most: 50,000 rows of a generated file hold about 4.5 MB; rows of
/// long texts (16 KB rows pass every reading limit) would otherwise hold 800 MB in one batch.
const BATCH_TEXT_BYTES: usize = 16 << 20;

/// An import under way: how its batches are planned, and what a bulk load sets aside.
pub(super) struct Pipeline<'a> {
    planner: Planner<'a>,
    bulk: BulkLoad,
}

impl<'a> Pipeline<'a> {
    /// Starts an import on `txn`: what is stored is counted, and whether the table starts
    /// empty and stays the import's own decided; `rows_expected` is about how many rows the
    /// file holds, if it says (`Table::rows_expected`).
    pub(super) async fn start(
        txn: &'a ImportTxn,
        catalog: &'a Catalog,
        header: &'a PledgeHeader,
        actor: &'a Actor,
        dry_run: bool,
        rows_expected: Option<u64>,
    ) -> Result<Self, StoreError> {
        let stored = txn.stored_pledges().await?;
        let fresh = stored == 0 && txn.starts_empty().await?;
        let history_rows = txn.history_rows().await?;
        let planner = Planner {
            txn,
            catalog,
            header,
            actor,
            dry_run,
            at: now(),
            fresh,
            links: ImportLinks::default(),
        };
        Ok(Self {
            planner,
            bulk: BulkLoad::new(stored, fresh)
                .with_links(header.has("supersedes"))
                .expecting(rows_expected)
                .with_history(history_rows),
        })
    }

    /// The lineage links of the rows planned so far, to check once every row is planned.
    pub(super) fn take_links(&mut self) -> ImportLinks {
        std::mem::take(&mut self.planner.links)
    }

    /// When the import's changes are made.
    pub(super) fn at(&self) -> DateTime<Utc> {
        self.planner.at
    }

    /// Reads, plans and (unless it cannot write) writes every row of `table`, counting into
    /// `report`. Batch n is planned while batch n - 1 is written and then batch n + 1's stored
    /// pledges read.
    pub(super) async fn run(
        &mut self,
        table: Table,
        report: &mut ImportReport,
    ) -> Result<(), StoreError> {
        let Self { planner, bulk } = self;
        let planner = &*planner;
        let (mut chunks, speculation) = read_ahead(
            table.rows,
            planner.header.clone(),
            planner.catalog.clone(),
            planner.actor.clone(),
        );
        let batch_rows = planner.txn.batch_rows();
        // `pending` is gathered and its stored pledges read while `planning` is planned.
        let mut pending: Vec<KeyedRow> = Vec::with_capacity(2 * batch_rows);
        let mut planning: Vec<KeyedRow> = Vec::with_capacity(2 * batch_rows);
        let mut reading = gather(&mut chunks, &mut pending, report, batch_rows).await;
        let mut rows_read = report.rows;
        let mut stored = planner.stored(&pending).await?;
        let mut ready: Option<Planned> = None;
        loop {
            // The database's one connection writes the batch ahead, then reads the stored
            // pledges of the batch after this one, while this thread plans this one: neither
            // waits for the other within a round. With the read between planning and writing,
            // the connection sat idle about a fifth of the time (a million changed rows on
            // SQLite: median 24.5 s against 23.0 s now; docs/PERFORMANCE.md).
            std::mem::swap(&mut planning, &mut pending);
            let planning_read = rows_read;
            reading = reading && gather(&mut chunks, &mut pending, report, batch_rows).await;
            rows_read = report.rows;
            let to_plan = std::mem::take(&mut stored);
            let write_then_read = async {
                if let Some(planned) = ready.take() {
                    write(planner, planned, bulk).await?;
                }
                planner.stored(&pending).await
            };
            let next = async {
                if planning.is_empty() {
                    return Ok(None);
                }
                planner
                    .plan(&mut planning, to_plan, planning_read, report, &speculation)
                    .await
            };
            let (read, next) = tokio::join!(write_then_read, next);
            stored = read?;
            ready = next?;
            if ready.is_none() && !reading && pending.is_empty() {
                return planner.txn.write_staged(planner.actor, planner.at).await;
            }
        }
    }

    /// Puts back what a bulk load set aside; before the import commits.
    pub(super) async fn finish(mut self) -> Result<(), StoreError> {
        self.bulk.restore(self.planner.txn).await
    }
}

/// Writes a planned batch: creations, then changes, a few statements each.
async fn write(
    planner: &Planner<'_>,
    planned: Planned,
    bulk: &mut BulkLoad,
) -> Result<(), StoreError> {
    let Planned {
        creates,
        updates,
        milestones,
        progress,
        takes_links,
    } = planned;
    let txn = planner.txn;
    bulk.before_write(txn, progress).await?;
    if takes_links {
        bulk.before_linking(txn).await?;
    }
    let by = &planner.actor.name;
    txn.insert_batch(creates, planner.fresh, by, planner.at)
        .await?;
    txn.update_batch(updates, planner.actor, planner.at, bulk.holds_pledges())
        .await?;
    if !milestones.is_empty() {
        stage(txn, &milestones).await?;
    }
    Ok(())
}

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
