//! Importing a pledge file: streamed in batches inside one transaction, all-or-nothing,
//! idempotent. A dry run classifies every row exactly as the real run would and writes nothing.
//!
//! A row goes `reader.rs` (decoded, keyed, checked on its own thread) → `plan.rs` (planned
//! against the stored pledge under its key) → `batch/` (rendered once into `cells.rs`) →
//! `txn.rs` (the one seam that knows the backend) → `sqlite/` or `postgres/` (written a batch at
//! a time) → `bulk_load.rs` (indexes set aside for a large load, restored before commit).

mod batch;
mod bulk_load;
pub(crate) mod cells;
mod lineage_check;
mod milestones;
mod pipeline;
mod plan;
mod postgres;
mod reader;
mod sqlite;
mod txn;

use chrono::{DateTime, Utc};
use pledgeboard_domain::import::ImportReport;
use pledgeboard_domain::pledge_csv::PledgeHeader;
use pledgeboard_domain::table_input::Table;
use pledgeboard_domain::{Actor, Catalog, message};

pub use sqlite::BATCH_ROWS;
pub(crate) use sqlite::register as register_sqlite_rows;

use crate::audit::{Change, record};
use crate::{Store, StoreError};
use pipeline::Pipeline;
use txn::ImportTxn;

/// The audit trail's name for what an import does to a pledge.
pub(crate) const IMPORT_ACTION: &str = "import";

/// The error when a pledge an import is changing was changed by someone else meanwhile (on
/// PostgreSQL, between the batch's read and its write); the whole import is rolled back.
pub(crate) fn changed_meanwhile() -> StoreError {
    StoreError::Conflict(message!(
        "err-conflict-changed-meanwhile",
        "a pledge in the file was changed by someone else while the file was being imported; \
         nothing was imported: import the file again"
    ))
}

/// How an import runs.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Classify and check every row, write nothing.
    pub dry_run: bool,
    /// The file's name, for the audit trail.
    pub source: String,
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
        let txn = ImportTxn::begin(self, !options.dry_run).await?;
        let records_milestones = header.has_milestones() && !options.dry_run;
        if records_milestones {
            milestones::begin_staging(&txn).await?;
        }
        let expected = table.rows_expected;
        let mut pipeline =
            Pipeline::start(&txn, catalog, &header, actor, options.dry_run, expected).await?;
        pipeline.run(table, &mut report).await?;
        let link_errors = pipeline.take_links().check(&txn).await?;
        report.add_errors(link_errors);
        report.sort_errors();
        let at = pipeline.at();
        if options.dry_run || report.has_errors() {
            txn.rollback().await?;
            return Ok(report);
        }
        pipeline.finish().await?;
        if records_milestones {
            milestones::record_staged(&txn, &actor.name, at, &options.source).await?;
        }
        if report.created + report.updated > 0 {
            record(&txn, summary(&report, actor, options, at)).await?;
            crate::data_version::raise(&txn).await?;
        }
        txn.commit().await?;
        report.applied = true;
        Ok(report)
    }
}

/// The audit entry of an import that wrote something: what it did, in figures.
fn summary<'a>(
    report: &ImportReport,
    actor: &'a Actor,
    options: &ImportOptions,
    at: DateTime<Utc>,
) -> Change<'a> {
    let summary = serde_json::json!({
        "source": options.source, "rows": report.rows, "created": report.created,
        "updated": report.updated, "unchanged": report.unchanged,
        "milestones": report.milestones,
    });
    Change {
        actor,
        action: IMPORT_ACTION,
        entity: "import",
        entity_id: options.source.clone(),
        before: None,
        after: Some(summary),
        at,
    }
}
