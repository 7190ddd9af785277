//! Running an import for the API and the pages alike: read the upload, import it (a file that
//! cannot be read at all is a report with that one error), and tell live boards when
//! something changed.

use pledgeboard_domain::Actor;
use pledgeboard_domain::import::ImportReport;
use pledgeboard_domain::table_input::table_from_bytes;
use pledgeboard_store::ImportOptions;

use crate::api::events::ChangeEvent;
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
    bytes: Vec<u8>,
    dataset: Dataset,
) -> Result<ImportReport, ApiError> {
    let options = ImportOptions {
        dry_run,
        source: "upload".into(),
    };
    let report = match table_from_bytes(bytes) {
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
    if report.applied && report.created + report.updated > 0 {
        let entity = match dataset {
            Dataset::Pledges => "pledge",
            Dataset::Requirements => "requirement",
        };
        state.publish(ChangeEvent {
            entity,
            id: 0,
            version: 0,
            action: "import",
        });
    }
    Ok(report)
}
