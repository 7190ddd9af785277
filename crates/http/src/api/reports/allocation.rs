//! `GET /api/v1/reports/allocation` (and `.csv`, `.xlsx`): the proposed allocation of
//! unearmarked pledges to open gaps, each line with what a planner needs to read it. The
//! table's rows are made from the JSON answer, so the figures cannot differ.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use pledgeboard_domain::allocation::{AllocationPlan, Gap};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::reports::download::Download;
use crate::api::reports::workbook::About;
use crate::auth::Authenticated;
use crate::cached_answers::{Asked, cached_report};
use crate::error::Problem;
use crate::extract::ApiQuery;
use crate::params::param;
use crate::{ApiError, AppState};

/// Filters of the allocation report.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AllocationQuery {
    /// Only the proposals for this mission's gaps (the plan is still made for every mission).
    pub mission: Option<String>,
}

/// What every allocation answer says about itself.
const ALLOCATION_NOTE: &str = "A proposal: critical gaps first, then by needed-by date; pledges available in time first; no pledge used twice.";

/// One proposal of the allocation plan, with what a planner needs to read it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AllocationLineResponse {
    pub requirement_id: i64,
    pub mission: String,
    pub capability: String,
    pub priority: String,
    pub pledge_id: i64,
    pub quantity: u64,
    pub in_time: bool,
}

/// A gap the plan leaves open.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnfilledResponse {
    pub requirement_id: i64,
    pub mission: String,
    pub capability: String,
    pub priority: String,
    pub remaining: u64,
}

/// The proposed allocation of unearmarked pledges to open gaps.
#[derive(Debug, Serialize, ToSchema)]
pub struct AllocationResponse {
    pub lines: Vec<AllocationLineResponse>,
    pub unfilled: Vec<UnfilledResponse>,
    pub note: &'static str,
}

/// A requirement's mission, capability and priority as words (empty for an unknown one).
fn described(gaps: &[Gap], requirement_id: i64) -> (String, String, String) {
    gaps.iter()
        .find(|g| g.requirement_id == requirement_id)
        .map_or_else(Default::default, |g| {
            (
                g.mission.to_string(),
                g.capability.to_string(),
                g.priority.to_string(),
            )
        })
}

impl AllocationResponse {
    /// The plan, each line and each unfilled gap described by the gap it serves.
    pub fn new(plan: &AllocationPlan, gaps: &[Gap]) -> Self {
        Self {
            lines: plan
                .lines
                .iter()
                .map(|l| {
                    let (mission, capability, priority) = described(gaps, l.requirement_id);
                    AllocationLineResponse {
                        requirement_id: l.requirement_id,
                        mission,
                        capability,
                        priority,
                        pledge_id: l.pledge_id,
                        quantity: l.quantity,
                        in_time: l.in_time,
                    }
                })
                .collect(),
            unfilled: plan
                .unfilled
                .iter()
                .map(|u| {
                    let (mission, capability, priority) = described(gaps, u.requirement_id);
                    UnfilledResponse {
                        requirement_id: u.requirement_id,
                        mission,
                        capability,
                        priority,
                        remaining: u.remaining,
                    }
                })
                .collect(),
            note: ALLOCATION_NOTE,
        }
    }
}

/// `GET /api/v1/reports/allocation`
#[utoipa::path(get, path = "/reports/allocation", tag = "reports", params(AllocationQuery),
    responses((status = 200, body = AllocationResponse), (status = 304, description = "Not modified: `If-None-Match` names this answer's ETag (data version and parameters)"), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn allocation_report(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<AllocationQuery>,
) -> Result<Response, ApiError> {
    let asked = Asked {
        route: "allocation",
        query: raw.as_deref(),
        as_of: None,
        daily: false,
    };
    cached_report(&state, &headers, asked, allocation(&state, &query)).await
}

/// The columns of the allocation table: a proposal per line, then each gap left open.
pub const ALLOCATION_CSV_COLUMNS: [&str; 8] = [
    "line",
    "mission",
    "capability",
    "priority",
    "requirement_id",
    "pledge_id",
    "quantity",
    "in_time",
];

impl AllocationResponse {
    /// The table's rows: each proposal (`quantity` proposed from the pledge), then each gap
    /// still open (`quantity` still missing).
    fn rows(&self) -> impl Iterator<Item = [String; ALLOCATION_CSV_COLUMNS.len()]> + '_ {
        let proposals = self.lines.iter().map(|l| {
            [
                "proposal".to_owned(),
                l.mission.clone(),
                l.capability.clone(),
                l.priority.clone(),
                l.requirement_id.to_string(),
                l.pledge_id.to_string(),
                l.quantity.to_string(),
                if l.in_time { "yes" } else { "no" }.to_owned(),
            ]
        });
        let open = self.unfilled.iter().map(|u| {
            [
                "still open".to_owned(),
                u.mission.clone(),
                u.capability.clone(),
                u.priority.clone(),
                u.requirement_id.to_string(),
                String::new(),
                u.remaining.to_string(),
                String::new(),
            ]
        });
        proposals.chain(open)
    }
}

/// `GET /api/v1/reports/allocation.csv`
#[utoipa::path(get, path = "/reports/allocation.csv", tag = "reports", params(AllocationQuery),
    responses((status = 200, description = "The proposals, then the gaps still open, as CSV", content_type = "text/csv", body = String), (status = 304, description = "Not modified: `If-None-Match` names this answer's ETag (data version and parameters)"), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn allocation_report_csv(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<AllocationQuery>,
) -> Result<Response, ApiError> {
    allocation_table(&state, &headers, raw.as_deref(), &query, Download::Csv).await
}

/// `GET /api/v1/reports/allocation.xlsx`
#[utoipa::path(get, path = "/reports/allocation.xlsx", tag = "reports", params(AllocationQuery),
    responses((status = 200, description = "The allocation table as an Excel workbook: the CSV's rows, typed, and an About sheet", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 304, description = "Not modified: `If-None-Match` names this answer's ETag (data version and parameters)"), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn allocation_report_xlsx(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<AllocationQuery>,
) -> Result<Response, ApiError> {
    allocation_table(&state, &headers, raw.as_deref(), &query, Download::Xlsx).await
}

async fn allocation_table(
    state: &AppState,
    headers: &HeaderMap,
    raw: Option<&str>,
    query: &AllocationQuery,
    format: Download,
) -> Result<Response, ApiError> {
    let route = format!("allocation.{}", format.extension());
    let asked = Asked {
        route: &route,
        query: raw,
        as_of: None,
        daily: false,
    };
    cached_report(state, headers, asked, async {
        let plan = allocation_plan(state, query).await?;
        let about = About {
            title: crate::i18n::current().t("workbook-title-allocation"),
            query: raw.map(str::to_owned),
            rules: vec![crate::i18n::current().t("rule-allocation")],
        };
        format.respond("allocation", &about, ALLOCATION_CSV_COLUMNS, plan.rows())
    })
    .await
}

async fn allocation(state: &AppState, query: &AllocationQuery) -> Result<Response, ApiError> {
    Ok(Json(allocation_plan(state, query).await?).into_response())
}

async fn allocation_plan(
    state: &AppState,
    query: &AllocationQuery,
) -> Result<AllocationResponse, ApiError> {
    let catalog = state.catalog();
    let mut errors = Vec::new();
    let mission = param(&mut errors, "mission", &query.mission, |m| {
        Ok(catalog.mission(m)?.acronym.clone())
    });
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let (plan, gaps, _) = state.store.allocation_plan().await?;
    let plan = match &mission {
        Some(m) => plan.for_mission(&gaps, m),
        None => plan,
    };
    Ok(AllocationResponse::new(&plan, &gaps))
}
