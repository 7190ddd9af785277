//! `GET /api/v1/reports/coverage` (and `.csv`, `.xlsx`): every requirement's coverage, mission totals
//! and the capacity still unearmarked.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use pledgeboard_domain::coverage::CoverageFigures;
use pledgeboard_domain::coverage_report::{
    COVERAGE_CSV_COLUMNS, CoverageReport, MissionCoverage, RequirementCoverage, Unearmarked,
    coverage_csv_rows,
};
use pledgeboard_domain::mission_figures::MissionFigures;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::reports::download::Download;
use crate::api::reports::workbook::About;
use crate::auth::Authenticated;
use crate::cached_answers::{Asked, as_of_hint, cached_report};
use crate::error::Problem;
use crate::extract::ApiQuery;
use crate::params::{param, parse_as_of};
use crate::{ApiError, AppState};

/// Filters of the coverage report.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    /// Only this mission.
    pub mission: Option<String>,
    /// The board as it stood at this moment (RFC 3339, or a date for the end of that day).
    /// No later than the end of the latest date begun anywhere on earth (else 422).
    pub as_of: Option<String>,
}

/// The coverage figures of a requirement.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoverageFiguresResponse {
    pub required: u64,
    pub pledged: u64,
    pub firm: u64,
    pub in_time: u64,
    pub gap: u64,
    pub firm_gap: u64,
    /// Pledged / required × 100, one decimal, half-even; may exceed 100.
    #[schema(value_type = String, example = "42.9")]
    pub coverage_pct: Decimal,
    pub pledged_personnel: u64,
}

impl From<&CoverageFigures> for CoverageFiguresResponse {
    fn from(f: &CoverageFigures) -> Self {
        Self {
            required: f.required,
            pledged: f.pledged,
            firm: f.firm,
            in_time: f.in_time,
            gap: f.gap,
            firm_gap: f.firm_gap,
            coverage_pct: f.coverage_pct,
            pledged_personnel: f.pledged_personnel,
        }
    }
}

/// The figures of a mission's requirements, or of every mission's: counts of requirements and
/// personnel coverage, never sums of quantities of unlike units.
#[derive(Debug, Serialize, ToSchema)]
pub struct MissionFiguresResponse {
    pub requirements: u64,
    /// Requirements with no gap.
    pub requirements_met: u64,
    /// Requirements with no firm gap.
    pub requirements_firm: u64,
    /// Critical requirements with a gap.
    pub critical_open: u64,
    pub required_personnel: u64,
    /// Σ over the requirements of min(pledged personnel, required personnel).
    pub covered_personnel: u64,
    /// covered / required personnel × 100, one decimal, half-even.
    #[schema(value_type = String, example = "33.3")]
    pub personnel_coverage_pct: Decimal,
}

impl From<&MissionFigures> for MissionFiguresResponse {
    fn from(t: &MissionFigures) -> Self {
        Self {
            requirements: t.requirements,
            requirements_met: t.requirements_met,
            requirements_firm: t.requirements_firm,
            critical_open: t.critical_open,
            required_personnel: t.required_personnel,
            covered_personnel: t.covered_personnel,
            personnel_coverage_pct: t.personnel_coverage_pct,
        }
    }
}

/// One requirement and its coverage.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequirementCoverageResponse {
    pub requirement_id: i64,
    pub capability: String,
    pub priority: String,
    pub needed_by: NaiveDate,
    /// The requirement's own personnel figure.
    pub required_personnel: u64,
    /// min(pledged personnel, required personnel): what counts toward the mission's figures.
    pub covered_personnel: u64,
    #[serde(flatten)]
    pub figures: CoverageFiguresResponse,
}

impl From<&RequirementCoverage> for RequirementCoverageResponse {
    fn from(r: &RequirementCoverage) -> Self {
        Self {
            requirement_id: r.requirement_id,
            capability: r.capability.clone(),
            priority: r.priority.to_string(),
            needed_by: r.needed_by,
            required_personnel: r.required_personnel,
            covered_personnel: r.covered_personnel(),
            figures: (&r.figures).into(),
        }
    }
}

/// One mission's requirements, critical first, and their totals.
#[derive(Debug, Serialize, ToSchema)]
pub struct MissionCoverageResponse {
    pub mission: String,
    pub requirements: Vec<RequirementCoverageResponse>,
    /// The mission's figures over its requirements.
    pub totals: MissionFiguresResponse,
}

impl From<&MissionCoverage> for MissionCoverageResponse {
    fn from(m: &MissionCoverage) -> Self {
        Self {
            mission: m.mission.clone(),
            requirements: m.requirements.iter().map(Into::into).collect(),
            totals: (&m.totals).into(),
        }
    }
}

/// Active capacity earmarked for no mission, per capability.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnearmarkedResponse {
    pub capability: String,
    pub quantity: u64,
    pub personnel: u64,
}

impl From<&Unearmarked> for UnearmarkedResponse {
    fn from(u: &Unearmarked) -> Self {
        Self {
            capability: u.capability.clone(),
            quantity: u.quantity,
            personnel: u.personnel,
        }
    }
}

/// The coverage report.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoverageReportResponse {
    /// The moment the board is shown as of; `null` for now.
    pub as_of: Option<DateTime<Utc>>,
    pub missions: Vec<MissionCoverageResponse>,
    /// The figures over every requirement of every mission shown.
    pub totals: MissionFiguresResponse,
    pub unearmarked: Vec<UnearmarkedResponse>,
    pub note: &'static str,
}

impl From<&CoverageReport> for CoverageReportResponse {
    fn from(r: &CoverageReport) -> Self {
        Self {
            as_of: r.as_of,
            missions: r.missions.iter().map(Into::into).collect(),
            totals: (&r.totals).into(),
            unearmarked: r.unearmarked.iter().map(Into::into).collect(),
            note: r.note,
        }
    }
}

async fn coverage(state: &AppState, query: &CoverageQuery) -> Result<CoverageReport, ApiError> {
    let catalog = state.catalog();
    let mut errors = Vec::new();
    let mission = param(&mut errors, "mission", &query.mission, |m| {
        Ok(catalog.mission(m)?.acronym.clone())
    });
    let as_of = param(&mut errors, "as_of", &query.as_of, parse_as_of);
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    Ok(state.store.coverage_report(mission.as_ref(), as_of).await?)
}

/// `GET /api/v1/reports/coverage`
#[utoipa::path(get, path = "/reports/coverage", tag = "reports", params(CoverageQuery),
    responses((status = 200, description = "Per mission and requirement: required, pledged, firm, in_time, gap, firm_gap, coverage_pct, pledged_personnel, required_personnel, covered_personnel; per mission and over all: requirements, requirements_met, requirements_firm, critical_open, required_personnel, covered_personnel, personnel_coverage_pct; unearmarked capacity", body = CoverageReportResponse),
        (status = 304, description = "Not modified: `If-None-Match` names this answer's ETag (data version and parameters)"), 
        (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn coverage_report(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<CoverageQuery>,
) -> Result<Response, ApiError> {
    let asked = Asked {
        route: "coverage",
        query: raw.as_deref(),
        as_of: as_of_hint(&query.as_of),
        daily: false,
    };
    cached_report(&state, &headers, asked, async {
        let report = CoverageReportResponse::from(&coverage(&state, &query).await?);
        Ok(Json(report).into_response())
    })
    .await
}

/// `GET /api/v1/reports/coverage.csv`: one row per requirement, a TOTAL row per mission, and an
/// `ALL` row over every mission shown.
#[utoipa::path(get, path = "/reports/coverage.csv", tag = "reports", params(CoverageQuery),
    responses((status = 200, description = "The coverage report as CSV", content_type = "text/csv", body = String), (status = 304, description = "Not modified: `If-None-Match` names this answer's ETag (data version and parameters)"), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn coverage_report_csv(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<CoverageQuery>,
) -> Result<Response, ApiError> {
    coverage_table(&state, &headers, raw.as_deref(), &query, Download::Csv).await
}

/// `GET /api/v1/reports/coverage.xlsx`: the CSV's rows as a workbook, with an About sheet.
#[utoipa::path(get, path = "/reports/coverage.xlsx", tag = "reports", params(CoverageQuery),
    responses((status = 200, description = "The coverage report as an Excel workbook: the CSV's rows, typed, and an About sheet", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 304, description = "Not modified: `If-None-Match` names this answer's ETag (data version and parameters)"), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn coverage_report_xlsx(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<CoverageQuery>,
) -> Result<Response, ApiError> {
    coverage_table(&state, &headers, raw.as_deref(), &query, Download::Xlsx).await
}

async fn coverage_table(
    state: &AppState,
    headers: &HeaderMap,
    raw: Option<&str>,
    query: &CoverageQuery,
    format: Download,
) -> Result<Response, ApiError> {
    let route = format!("coverage.{}", format.extension());
    let asked = Asked {
        route: &route,
        query: raw,
        as_of: as_of_hint(&query.as_of),
        daily: false,
    };
    cached_report(state, headers, asked, async {
        let report = coverage(state, query).await?;
        let about = About {
            title: crate::i18n::current().t("workbook-title-coverage"),
            query: raw.map(str::to_owned),
            rules: Vec::new(),
        };
        format.respond(
            "coverage",
            &about,
            COVERAGE_CSV_COLUMNS,
            coverage_csv_rows(&report),
        )
    })
    .await
}
