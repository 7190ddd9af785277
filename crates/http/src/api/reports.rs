//! Reports: coverage, allocation, per-country summaries and renewals, as JSON or CSV with the
//! same figures (both are rendered from one report structure).

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use pledgeboard_domain::country_report::{
    COUNTRY_CSV_COLUMNS, country_csv_row, country_totals_csv_row, sort_rows,
};
use pledgeboard_domain::coverage_report::{COVERAGE_CSV_COLUMNS, coverage_csv_rows};
use pledgeboard_domain::{DomainError, FieldError};
use pledgeboard_store::CountryFilter;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Authenticated;
use crate::error::Problem;
use crate::extract::{ApiPath, ApiQuery};
use crate::{ApiError, AppState};

/// Reads `as_of`: an RFC 3339 timestamp, or a date meaning the end of that day (UTC).
pub fn parse_as_of(text: &str) -> Result<DateTime<Utc>, DomainError> {
    let t = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(t) {
        return Ok(at.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .filter(|_| t.len() == 10)
        .and_then(|d| {
            d.and_time(NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999)?)
                .and_utc()
                .into()
        })
        .ok_or_else(|| {
            DomainError::invalid(format!(
                "as_of '{t}' is not a timestamp like 2025-04-15T09:30:00Z or a date like 2025-04-15"
            ))
        })
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Renders rows as a CSV download.
pub fn csv_response<const N: usize>(
    filename: &str,
    columns: [&str; N],
    rows: impl IntoIterator<Item = [String; N]>,
) -> Result<Response, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| ApiError::Internal(format!("cannot write CSV: {e}"));
    writer.write_record(columns).map_err(fail)?;
    for row in rows {
        writer.write_record(row).map_err(fail)?;
    }
    let body = writer
        .into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let disposition = format!("attachment; filename=\"{filename}\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// Filters of the coverage report.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    /// Only this mission.
    pub mission: Option<String>,
    /// The board as it stood at this moment (RFC 3339, or a date for the end of that day).
    pub as_of: Option<String>,
}

async fn coverage(
    state: &AppState,
    query: &CoverageQuery,
) -> Result<pledgeboard_domain::coverage_report::CoverageReport, ApiError> {
    let catalog = state.catalog();
    let mut errors = Vec::new();
    let mission = given(&query.mission).and_then(|m| {
        catalog
            .mission(m)
            .map(|x| x.acronym.clone())
            .map_err(|e| errors.push(FieldError::new("mission", m, e)))
            .ok()
    });
    let as_of = given(&query.as_of).and_then(|t| {
        parse_as_of(t)
            .map_err(|e| errors.push(FieldError::new("as_of", t, e)))
            .ok()
    });
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    Ok(state.store.coverage_report(mission.as_ref(), as_of).await?)
}

/// `GET /api/v1/reports/coverage`
#[utoipa::path(get, path = "/reports/coverage", tag = "reports", params(CoverageQuery),
    responses((status = 200, description = "Per mission and requirement: required, pledged, firm, in_time, gap, firm_gap, coverage_pct, pledged_personnel; mission totals; unearmarked capacity", body = Object),
        (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn coverage_report(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    ApiQuery(query): ApiQuery<CoverageQuery>,
) -> Result<Response, ApiError> {
    Ok(Json(coverage(&state, &query).await?).into_response())
}

/// `GET /api/v1/reports/coverage.csv`: one row per requirement, then a TOTAL row per mission.
#[utoipa::path(get, path = "/reports/coverage.csv", tag = "reports", params(CoverageQuery),
    responses((status = 200, description = "The coverage report as CSV", content_type = "text/csv", body = String), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn coverage_report_csv(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    ApiQuery(query): ApiQuery<CoverageQuery>,
) -> Result<Response, ApiError> {
    let report = coverage(&state, &query).await?;
    csv_response(
        "coverage.csv",
        COVERAGE_CSV_COLUMNS,
        coverage_csv_rows(&report),
    )
}

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

/// `GET /api/v1/reports/allocation`
#[utoipa::path(get, path = "/reports/allocation", tag = "reports",
    responses((status = 200, body = AllocationResponse), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn allocation_report(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
) -> Result<Json<AllocationResponse>, ApiError> {
    let (plan, gaps, _) = state.store.allocation_plan().await?;
    let gap = |id: i64| gaps.iter().find(|g| g.requirement_id == id);
    let describe = |id: i64| {
        gap(id).map_or_else(Default::default, |g| {
            (
                g.mission.to_string(),
                g.capability.to_string(),
                g.priority.to_string(),
            )
        })
    };
    Ok(Json(AllocationResponse {
        lines: plan
            .lines
            .iter()
            .map(|l| {
                let (mission, capability, priority) = describe(l.requirement_id);
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
                let (mission, capability, priority) = describe(u.requirement_id);
                UnfilledResponse {
                    requirement_id: u.requirement_id,
                    mission,
                    capability,
                    priority,
                    remaining: u.remaining,
                }
            })
            .collect(),
        note: "A proposal: critical gaps first, then by needed-by date; pledges available in time first; no pledge used twice.",
    }))
}

/// Filters and ordering of the country reports.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountryQuery {
    /// Only pledges announced at this conference.
    pub conference: Option<String>,
    /// As the pledges stood at this moment.
    pub as_of: Option<String>,
    /// Column to sort the all-states table by (default `member_state`).
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    pub order: Option<String>,
}

impl CountryQuery {
    fn to_filter(&self, state: &AppState) -> Result<CountryFilter, ApiError> {
        let catalog = state.catalog();
        let mut errors = Vec::new();
        let conference = given(&self.conference).and_then(|c| {
            catalog
                .conference(c)
                .map(|x| x.code.clone())
                .map_err(|e| errors.push(FieldError::new("conference", c, e)))
                .ok()
        });
        let as_of = given(&self.as_of).and_then(|t| {
            parse_as_of(t)
                .map_err(|e| errors.push(FieldError::new("as_of", t, e)))
                .ok()
        });
        if errors.is_empty() {
            Ok(CountryFilter { conference, as_of })
        } else {
            Err(ApiError::Invalid(errors))
        }
    }
}

async fn countries(
    state: &AppState,
    query: &CountryQuery,
) -> Result<pledgeboard_domain::country_report::CountriesReport, ApiError> {
    let filter = query.to_filter(state)?;
    let mut report = state
        .store
        .countries_report(&state.catalog(), &filter, Utc::now().date_naive())
        .await?;
    let column = given(&query.sort).unwrap_or("member_state");
    let descending = match given(&query.order) {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(other) => {
            return Err(ApiError::invalid_field(
                "order",
                other,
                "order is asc or desc",
            ));
        }
    };
    sort_rows(&mut report.rows, column, descending)
        .map_err(|e| ApiError::invalid_field("sort", column, e))?;
    Ok(report)
}

/// `GET /api/v1/reports/countries`: every state with at least one active pledge, and totals.
#[utoipa::path(get, path = "/reports/countries", tag = "reports", params(CountryQuery),
    responses((status = 200, description = "One row per member state with active pledges; totals are the sums of the rows", body = Object), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn countries_report(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    ApiQuery(query): ApiQuery<CountryQuery>,
) -> Result<Response, ApiError> {
    Ok(Json(countries(&state, &query).await?).into_response())
}

/// `GET /api/v1/reports/countries.csv`
#[utoipa::path(get, path = "/reports/countries.csv", tag = "reports", params(CountryQuery),
    responses((status = 200, description = "The all-states table as CSV, with a TOTAL row", content_type = "text/csv", body = String), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn countries_report_csv(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    ApiQuery(query): ApiQuery<CountryQuery>,
) -> Result<Response, ApiError> {
    let report = countries(&state, &query).await?;
    let rows = report
        .rows
        .iter()
        .map(country_csv_row)
        .chain(std::iter::once(country_totals_csv_row(&report.totals)));
    csv_response("countries.csv", COUNTRY_CSV_COLUMNS, rows)
}

/// `GET /api/v1/reports/countries/{iso3}` (or `{iso3}.csv`): one member state's summary.
#[utoipa::path(get, path = "/reports/countries/{iso3}", tag = "reports",
    params(("iso3" = String, Path, description = "Alpha-3 code (or name); add `.csv` for the CSV form"),
        ("conference" = Option<String>, Query, description = "Only pledges announced at this conference"),
        ("as_of" = Option<String>, Query, description = "As the pledges stood at this moment")),
    responses((status = 200, description = "The state's figures, gender shares against targets, gaps its pledges fill, partnerships and renewals (`{iso3}.csv`: its row as CSV)",
            content((Object = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn country_report(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    ApiPath(iso3): ApiPath<String>,
    ApiQuery(query): ApiQuery<CountryQuery>,
) -> Result<Response, ApiError> {
    let (code, as_csv) = match iso3.strip_suffix(".csv") {
        Some(code) => (code.to_owned(), true),
        None => (iso3, false),
    };
    let catalog = state.catalog();
    let member = catalog
        .member_state(&code)
        .map_err(|e| ApiError::invalid_field("iso3", &code, e))?
        .code
        .clone();
    let filter = query.to_filter(&state)?;
    let summary = state
        .store
        .country_summary(&catalog, &member, &filter, Utc::now().date_naive())
        .await?;
    if as_csv {
        return csv_response(
            &format!("{member}.csv"),
            COUNTRY_CSV_COLUMNS,
            [country_csv_row(&summary.row)],
        );
    }
    Ok(Json(summary).into_response())
}

/// `GET /api/v1/reports/renewals`: active pledges whose PCRS renewal is overdue or due within 30 days.
#[utoipa::path(get, path = "/reports/renewals", tag = "reports",
    responses((status = 200, description = "Soonest first", body = Object), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn renewals_report(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
) -> Result<Response, ApiError> {
    let items = state.store.renewals(Utc::now().date_naive(), None).await?;
    Ok(Json(serde_json::json!({ "items": items })).into_response())
}

#[cfg(test)]
mod tests {
    use super::parse_as_of;

    #[test]
    fn as_of_takes_timestamps_and_dates() {
        assert_eq!(
            parse_as_of("2025-04-15T09:30:00Z").map(|t| t.to_rfc3339()),
            Ok("2025-04-15T09:30:00+00:00".into())
        );
        assert_eq!(
            parse_as_of("2025-04-15").map(|t| t.format("%H:%M").to_string()),
            Ok("23:59".into())
        );
        assert!(parse_as_of("15/04/2025").is_err());
    }
}
