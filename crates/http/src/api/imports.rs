//! Imports: pledge and requirement files, previewed (dry run) or applied all-or-nothing.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use pledgeboard_domain::import::ImportReport;
use pledgeboard_domain::pledge_csv::template_csv;
use pledgeboard_domain::table_input::table_from_bytes;
use pledgeboard_store::ImportOptions;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::events::ChangeEvent;
use crate::auth::Authenticated;
use crate::error::Problem;
use crate::extract::ApiQuery;
use crate::upload::UploadedFile;
use crate::{ApiError, AppState};

/// `?dry_run=true` previews an import.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Check every row and report what would change, writing nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// One bad row: where, what was there, and what is wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportError {
    pub line: u64,
    pub column: String,
    pub value: String,
    pub message: String,
}

/// What an import did, or in a dry run would do.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReportResponse {
    pub dry_run: bool,
    pub applied: bool,
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub errors: Vec<ImportError>,
    /// Errors counted beyond the first thousand listed.
    pub errors_not_listed: u64,
}

impl From<ImportReport> for ImportReportResponse {
    fn from(r: ImportReport) -> Self {
        Self {
            dry_run: r.dry_run,
            applied: r.applied,
            rows: r.rows,
            created: r.created,
            updated: r.updated,
            unchanged: r.unchanged,
            errors: r
                .errors
                .into_iter()
                .map(|e| ImportError {
                    line: e.line,
                    column: e.column,
                    value: e.value,
                    message: e.message,
                })
                .collect(),
            errors_not_listed: r.errors_not_listed,
        }
    }
}

/// 200 when every row is good, 422 (same body, `applied: false`) when any is bad.
fn answer(report: ImportReport) -> (StatusCode, Json<ImportReportResponse>) {
    let status = if report.has_errors() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (status, Json(report.into()))
}

/// What an upload holds.
#[derive(Clone, Copy)]
enum Dataset {
    Pledges,
    Requirements,
}

/// Reads the upload, imports it (a file that cannot be read at all is a report with that one
/// error), tells live boards when something changed, and answers with the report.
async fn run_import(
    state: &AppState,
    actor: &pledgeboard_domain::Actor,
    dry_run: bool,
    bytes: Vec<u8>,
    dataset: Dataset,
) -> Result<(StatusCode, Json<ImportReportResponse>), ApiError> {
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
    Ok(answer(report))
}

/// `POST /api/v1/imports/pledges?dry_run=`: body `text/csv`, an `.xlsx` file, or a multipart
/// form field `file`.
#[utoipa::path(post, path = "/imports/pledges", tag = "imports", params(ImportQuery),
    request_body(content((String = "text/csv"), (String = "multipart/form-data")), description = "The pledge file (CSV or .xlsx)"),
    responses(
        (status = 200, body = ImportReportResponse, description = "Every row is good: applied, or previewed in a dry run"),
        (status = 422, body = ImportReportResponse, description = "Some rows are bad: nothing applied; every bad row listed"),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 413, body = Problem)),
    security(("bearer" = [])))]
pub async fn import_pledges(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiQuery(query): ApiQuery<ImportQuery>,
    UploadedFile(bytes): UploadedFile,
) -> Result<(StatusCode, Json<ImportReportResponse>), ApiError> {
    actor.may_record_pledges()?;
    run_import(&state, &actor, query.dry_run, bytes, Dataset::Pledges).await
}

/// `POST /api/v1/imports/requirements?dry_run=` (admins).
#[utoipa::path(post, path = "/imports/requirements", tag = "imports", params(ImportQuery),
    request_body(content((String = "text/csv"), (String = "multipart/form-data")), description = "The requirements file (CSV or .xlsx)"),
    responses(
        (status = 200, body = ImportReportResponse, description = "Every row is good"),
        (status = 422, body = ImportReportResponse, description = "Some rows are bad: nothing applied"),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 413, body = Problem)),
    security(("bearer" = [])))]
pub async fn import_requirements(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiQuery(query): ApiQuery<ImportQuery>,
    UploadedFile(bytes): UploadedFile,
) -> Result<(StatusCode, Json<ImportReportResponse>), ApiError> {
    actor.may_administer()?;
    run_import(&state, &actor, query.dry_run, bytes, Dataset::Requirements).await
}

/// `GET /api/v1/imports/pledges/template.csv`: the header row and one example row.
#[utoipa::path(get, path = "/imports/pledges/template.csv", tag = "imports",
    responses((status = 200, description = "A CSV template", content_type = "text/csv", body = String), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn pledge_template(Authenticated(_reader): Authenticated) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"pledges-template.csv\"",
            ),
        ],
        template_csv(),
    )
}
