//! `GET /api/v1/reports/countries` (and `.csv`): the all-states table, one row per member
//! state with active pledges, and totals that are the sums of the rows.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use pledgeboard_domain::country_report::{
    COUNTRY_CSV_COLUMNS, CapabilityTotals, CountriesReport, CountryRow, CountryTotals,
    ReadinessTotals, country_csv_row, country_totals_csv_row, sort_rows,
};
use pledgeboard_domain::{FieldError, UsdTotal};
use pledgeboard_store::CountryFilter;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::reports::download::Download;
use crate::api::reports::workbook::About;
use crate::auth::Authenticated;
use crate::cached_answers::{Asked, as_of_hint, cached_report};
use crate::error::Problem;
use crate::extract::ApiQuery;
use crate::params::{given, param, parse_as_of};
use crate::{ApiError, AppState};

/// Filters and ordering of the country reports.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountryQuery {
    /// Only pledges announced at this conference.
    pub conference: Option<String>,
    /// As the pledges stood at this moment.
    /// No later than the end of the latest date begun anywhere on earth (else 422).
    pub as_of: Option<String>,
    /// Column to sort the all-states table by (default `member_state`).
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    pub order: Option<String>,
}

impl CountryQuery {
    /// The conference and moment asked for, checked against the catalog.
    pub fn to_filter(&self, state: &AppState) -> Result<CountryFilter, ApiError> {
        let catalog = state.catalog();
        let mut errors: Vec<FieldError> = Vec::new();
        let conference = param(&mut errors, "conference", &self.conference, |c| {
            Ok(catalog.conference(c)?.code.clone())
        });
        let as_of = param(&mut errors, "as_of", &self.as_of, parse_as_of);
        if errors.is_empty() {
            Ok(CountryFilter { conference, as_of })
        } else {
            Err(ApiError::Invalid(errors))
        }
    }
}

/// Quantity and people of one capability.
#[derive(Debug, Serialize, ToSchema)]
pub struct CapabilityTotalsResponse {
    pub quantity: u64,
    pub personnel: u64,
    pub female_personnel: u64,
}

impl From<&CapabilityTotals> for CapabilityTotalsResponse {
    fn from(t: &CapabilityTotals) -> Self {
        Self {
            quantity: t.quantity,
            personnel: t.personnel,
            female_personnel: t.female_personnel,
        }
    }
}

/// Pledges and people at one readiness level.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadinessTotalsResponse {
    pub pledges: u64,
    pub personnel: u64,
}

impl From<&ReadinessTotals> for ReadinessTotalsResponse {
    fn from(t: &ReadinessTotals) -> Self {
        Self {
            pledges: t.pledges,
            personnel: t.personnel,
        }
    }
}

/// One member state's line of the all-states table (and the head of its page).
#[derive(Debug, Serialize, ToSchema)]
pub struct CountryRowResponse {
    pub member_state: String,
    pub name: String,
    /// Active pledges (any status but withdrawn).
    pub pledges: u64,
    pub quantity: u64,
    pub personnel: u64,
    /// The part of `personnel` that is estimated (standard size × quantity) rather than stated.
    pub personnel_estimated: u64,
    pub female_personnel: u64,
    /// Women's share of personnel, percent to one decimal.
    #[schema(value_type = String, example = "13.8")]
    pub female_share_pct: Decimal,
    /// The sum of the pledges' monthly costs, USD with two decimals.
    #[schema(value_type = String, example = "2500001.00")]
    pub monthly_cost_usd: UsdTotal,
    /// Active pledges by pledge category.
    pub by_category: BTreeMap<String, u64>,
    pub by_capability: BTreeMap<String, CapabilityTotalsResponse>,
    pub by_readiness: BTreeMap<String, ReadinessTotalsResponse>,
    /// Quantity earmarked per mission.
    pub by_mission: BTreeMap<String, u64>,
    /// Joint pledges of other states in which this state is a partner (not in its totals).
    pub partnerships: u64,
    /// Active pledges whose PCRS renewal is overdue or due within 30 days.
    pub renewals_due: u64,
}

fn each<'a, T: 'a, R: From<&'a T>>(map: &'a BTreeMap<String, T>) -> BTreeMap<String, R> {
    map.iter().map(|(k, v)| (k.clone(), R::from(v))).collect()
}

impl From<&CountryRow> for CountryRowResponse {
    fn from(r: &CountryRow) -> Self {
        Self {
            member_state: r.member_state.clone(),
            name: r.name.clone(),
            pledges: r.pledges,
            quantity: r.quantity,
            personnel: r.personnel,
            personnel_estimated: r.personnel_estimated,
            female_personnel: r.female_personnel,
            female_share_pct: r.female_share_pct,
            monthly_cost_usd: r.monthly_cost_usd,
            by_category: r.by_category.clone(),
            by_capability: each(&r.by_capability),
            by_readiness: each(&r.by_readiness),
            by_mission: r.by_mission.clone(),
            partnerships: r.partnerships,
            renewals_due: r.renewals_due,
        }
    }
}

/// The sums of the all-states table's rows.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountryTotalsResponse {
    pub member_states: u64,
    pub pledges: u64,
    pub quantity: u64,
    pub personnel: u64,
    /// The part of `personnel` that is estimated rather than stated.
    pub personnel_estimated: u64,
    pub female_personnel: u64,
    #[schema(value_type = String, example = "12.7")]
    pub female_share_pct: Decimal,
    #[schema(value_type = String, example = "2600000.99")]
    pub monthly_cost_usd: UsdTotal,
    pub renewals_due: u64,
}

impl From<&CountryTotals> for CountryTotalsResponse {
    fn from(t: &CountryTotals) -> Self {
        Self {
            member_states: t.member_states,
            pledges: t.pledges,
            quantity: t.quantity,
            personnel: t.personnel,
            personnel_estimated: t.personnel_estimated,
            female_personnel: t.female_personnel,
            female_share_pct: t.female_share_pct,
            monthly_cost_usd: t.monthly_cost_usd,
            renewals_due: t.renewals_due,
        }
    }
}

/// The all-states table; `pledgeboard summary --format json` prints the same.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountriesReportResponse {
    pub as_of: Option<DateTime<Utc>>,
    pub conference: Option<String>,
    pub rows: Vec<CountryRowResponse>,
    pub totals: CountryTotalsResponse,
    pub note: &'static str,
}

impl From<&CountriesReport> for CountriesReportResponse {
    fn from(r: &CountriesReport) -> Self {
        Self {
            as_of: r.as_of,
            conference: r.conference.clone(),
            rows: r.rows.iter().map(Into::into).collect(),
            totals: (&r.totals).into(),
            note: r.note,
        }
    }
}

async fn countries(state: &AppState, query: &CountryQuery) -> Result<CountriesReport, ApiError> {
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
    responses((status = 200, description = "One row per member state with active pledges; totals are the sums of the rows", body = CountriesReportResponse), (status = 304, description = "Not modified: `If-None-Match` names this answer's ETag (data version and parameters)"), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn countries_report(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<CountryQuery>,
) -> Result<Response, ApiError> {
    let asked = Asked {
        route: "countries",
        query: raw.as_deref(),
        as_of: as_of_hint(&query.as_of),
        daily: true,
    };
    cached_report(&state, &headers, asked, async {
        let report = CountriesReportResponse::from(&countries(&state, &query).await?);
        Ok(Json(report).into_response())
    })
    .await
}

/// `GET /api/v1/reports/countries.csv`
#[utoipa::path(get, path = "/reports/countries.csv", tag = "reports", params(CountryQuery),
    responses((status = 200, description = "The all-states table as CSV, with a TOTAL row", content_type = "text/csv", body = String), (status = 304, description = "Not modified: `If-None-Match` names this answer's ETag (data version and parameters)"), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn countries_report_csv(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<CountryQuery>,
) -> Result<Response, ApiError> {
    countries_table(&state, &headers, raw.as_deref(), &query, Download::Csv).await
}

/// `GET /api/v1/reports/countries.xlsx`
#[utoipa::path(get, path = "/reports/countries.xlsx", tag = "reports", params(CountryQuery),
    responses((status = 200, description = "The all-states table as an Excel workbook: the CSV's rows, typed, and an About sheet", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 304, description = "Not modified: `If-None-Match` names this answer's ETag (data version and parameters)"), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn countries_report_xlsx(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<CountryQuery>,
) -> Result<Response, ApiError> {
    countries_table(&state, &headers, raw.as_deref(), &query, Download::Xlsx).await
}

async fn countries_table(
    state: &AppState,
    headers: &HeaderMap,
    raw: Option<&str>,
    query: &CountryQuery,
    format: Download,
) -> Result<Response, ApiError> {
    let route = format!("countries.{}", format.extension());
    let asked = Asked {
        route: &route,
        query: raw,
        as_of: as_of_hint(&query.as_of),
        daily: true,
    };
    cached_report(state, headers, asked, async {
        let report = countries(state, query).await?;
        let rows = report
            .rows
            .iter()
            .map(country_csv_row)
            .chain(std::iter::once(country_totals_csv_row(&report.totals)));
        let about = About {
            title: crate::i18n::current().t("workbook-title-countries"),
            query: raw.map(str::to_owned),
            rules: Vec::new(),
        };
        format.respond("countries", &about, COUNTRY_CSV_COLUMNS, rows)
    })
    .await
}
