//! Imports: pledge and requirement files, previewed (dry run) or applied all-or-nothing.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use pledgeboard_domain::import::ImportReport;
use pledgeboard_domain::import_preview::PreviewRow;
use pledgeboard_domain::pledge_csv::template_csv;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Authenticated;
use crate::error::Problem;
use crate::extract::ApiQuery;
use crate::services::importing::{Dataset, run_import};
use crate::services::upload::UploadedFile;
use crate::{ApiError, AppState};

/// `?dry_run=true` previews an import.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Check every row and report what would change, writing nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// A file sent as a multipart form: its one field `file` (other fields are not read).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "describes the form for OpenAPI; the upload is read as bytes"
)]
pub struct ImportForm {
    /// The CSV or `.xlsx` file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// One bad row: where, what was there, and what is wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportError {
    pub line: u64,
    pub column: String,
    pub value: String,
    pub message: String,
}

/// A row the import creates or updates, as its preview lists it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportPreviewRow {
    pub line: u64,
    /// `create` or `update`.
    pub action: &'static str,
    pub member_state: String,
    pub pledge_ref: String,
    pub capability: String,
    pub quantity: u32,
    pub personnel: u32,
    pub personnel_estimated: bool,
    /// For an update, the fields it changes.
    pub changes: Vec<&'static str>,
}

impl From<PreviewRow> for ImportPreviewRow {
    fn from(r: PreviewRow) -> Self {
        Self {
            line: r.line,
            action: r.action.as_str(),
            member_state: r.member_state,
            pledge_ref: r.pledge_ref,
            capability: r.capability,
            quantity: r.quantity,
            personnel: r.personnel,
            personnel_estimated: r.personnel_estimated,
            changes: r.changes,
        }
    }
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
    /// Milestones recorded from the file's date columns (`nv_received_on` … `deployed_on`), or
    /// in a dry run that would be.
    pub milestones: u64,
    /// Rows created or updated whose personnel is estimated (standard size × quantity), not
    /// stated.
    pub estimated: u64,
    /// The first 50 rows created or updated, in file order (pledge imports).
    pub preview: Vec<ImportPreviewRow>,
    /// Rows created or updated beyond those in `preview`.
    pub not_previewed: u64,
    /// Every bad row, by line.
    pub errors: Vec<ImportError>,
    /// Errors counted beyond the first thousand listed.
    pub errors_not_listed: u64,
}

impl From<ImportReport> for ImportReportResponse {
    fn from(r: ImportReport) -> Self {
        let not_previewed = r.not_previewed();
        Self {
            dry_run: r.dry_run,
            applied: r.applied,
            rows: r.rows,
            created: r.created,
            updated: r.updated,
            unchanged: r.unchanged,
            milestones: r.milestones,
            estimated: r.estimated,
            preview: r.preview.into_iter().map(Into::into).collect(),
            not_previewed,
            errors: r
                .errors
                .into_iter()
                .map(|e| ImportError {
                    line: e.line,
                    column: e.column,
                    value: e.value,
                    message: crate::i18n::said(&e.words),
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

/// `POST /api/v1/imports/pledges?dry_run=`: body `text/csv`, an `.xlsx` file, or a multipart
/// form field `file`.
#[utoipa::path(post, path = "/imports/pledges", tag = "imports", params(ImportQuery),
    request_body(content((String = "text/csv"), (ImportForm = "multipart/form-data")), description = "The pledge file (CSV or .xlsx)"),
    responses(
        (status = 200, body = ImportReportResponse, description = "Every row is good: applied, or previewed in a dry run"),
        (status = 422, body = ImportReportResponse, description = "Some rows are bad, or the file is past a reading limit: nothing applied; every problem listed"),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 413, body = Problem),
        (status = 503, body = Problem, description = "Two imports are running already: retry after the `Retry-After` seconds")),
    security(("bearer" = [])))]
pub async fn import_pledges(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiQuery(query): ApiQuery<ImportQuery>,
    UploadedFile(bytes): UploadedFile,
) -> Result<(StatusCode, Json<ImportReportResponse>), ApiError> {
    actor.may_record_pledges()?;
    let report = run_import(&state, &actor, query.dry_run, bytes, Dataset::Pledges).await?;
    Ok(answer(report))
}

/// `POST /api/v1/imports/requirements?dry_run=` (admins).
#[utoipa::path(post, path = "/imports/requirements", tag = "imports", params(ImportQuery),
    request_body(content((String = "text/csv"), (ImportForm = "multipart/form-data")), description = "The requirements file (CSV or .xlsx)"),
    responses(
        (status = 200, body = ImportReportResponse, description = "Every row is good"),
        (status = 422, body = ImportReportResponse, description = "Some rows are bad: nothing applied"),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 413, body = Problem),
        (status = 503, body = Problem, description = "Two imports are running already: retry after the `Retry-After` seconds")),
    security(("bearer" = [])))]
pub async fn import_requirements(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiQuery(query): ApiQuery<ImportQuery>,
    UploadedFile(bytes): UploadedFile,
) -> Result<(StatusCode, Json<ImportReportResponse>), ApiError> {
    actor.may_administer()?;
    let report = run_import(&state, &actor, query.dry_run, bytes, Dataset::Requirements).await?;
    Ok(answer(report))
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
