//! Running an import for the API and the pages alike: wait for a turn (a few imports at once),
//! open the upload off the async workers, import it (a file that cannot be read at all is a
//! report with that one error), and tell live boards when something changed.

use axum::body::Bytes;
use pledgeboard_domain::Actor;
use pledgeboard_domain::import::ImportReport;
use pledgeboard_domain::table_input::table_from_bytes;
use pledgeboard_store::ImportOptions;

use crate::{ApiError, AppState};

/// What an upload holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    Pledges,
    Requirements,
}

/// Imports `bytes` (or previews them, `dry_run`) as `dataset`; the caller checked the role.
pub async fn run_import(
    state: &AppState,
    actor: &Actor,
    dry_run: bool,
    bytes: Bytes,
    dataset: Dataset,
) -> Result<ImportReport, ApiError> {
    let _turn = state.import_turn().await?;
    let options = ImportOptions {
        dry_run,
        source: "upload".into(),
    };
    // Opening a table parses its header (and a workbook's shared strings): CPU work, kept off
    // the async workers; its rows are read on the import's own threads.
    let table = tokio::task::spawn_blocking(move || table_from_bytes(bytes))
        .await
        .map_err(|e| ApiError::Internal(format!("opening an upload stopped: {e}")))?;
    let report = match table {
        Ok(table) => {
            let catalog = state.catalog();
            match dataset {
                Dataset::Pledges => {
                    state
                        .store
                        .import_pledges(&catalog, table, actor, &options)
                        .await?
                }
                Dataset::Requirements => {
                    state
                        .store
                        .import_requirements(&catalog, table, actor, &options)
                        .await?
                }
            }
        }
        Err(e) => ImportReport {
            dry_run,
            errors: vec![e],
            ..ImportReport::default()
        },
    };
    let mut report = report;
    report.sort_errors();
    if report.applied && report.created + report.updated > 0 {
        let entity = match dataset {
            Dataset::Pledges => "pledge",
            Dataset::Requirements => "requirement",
        };
        state.publish_change(entity, 0, 0, "import").await?;
    }
    Ok(report)
}
