//! `GET /api/v1/reports/renewals`: active pledges whose PCRS renewal is overdue or due within
//! 30 days, soonest first; of one state, mission or conference, as of a moment, when asked.
//! `.csv` and `.xlsx` give the same lines as a table, made from the JSON answer's lines.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use pledgeboard_domain::country_report::RenewalLine;
use pledgeboard_domain::pledge_csv::neutralise;
use pledgeboard_domain::{Catalog, FieldError};
use pledgeboard_store::RenewalFilter;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::reports::download::Download;
use crate::api::reports::workbook::About;
use crate::auth::Authenticated;
use crate::error::Problem;
use crate::extract::ApiQuery;
use crate::params::{param, parse_as_of};
use crate::{ApiError, AppState};

/// Which renewals to list; each parameter is checked and reported by name when wrong.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RenewalQuery {
    /// Only this member state's pledges: alpha-3, alpha-2 or English name.
    pub member_state: Option<String>,
    /// Only pledges earmarked for this mission.
    pub mission: Option<String>,
    /// Only pledges announced at this conference.
    pub conference: Option<String>,
    /// As the pledges stood at this moment (a timestamp, or a date meaning its end).
    /// No later than the end of the latest date begun anywhere on earth (else 422).
    pub as_of: Option<String>,
}

impl RenewalQuery {
    /// Resolves names and codes against the catalog; every bad parameter is reported.
    pub fn to_filter(&self, catalog: &Catalog) -> Result<RenewalFilter, Vec<FieldError>> {
        let mut e = Vec::new();
        let filter = RenewalFilter {
            member_state: param(&mut e, "member_state", &self.member_state, |v| {
                Ok(catalog.member_state(v)?.code.clone())
            }),
            mission: param(&mut e, "mission", &self.mission, |v| {
                Ok(catalog.mission(v)?.acronym.clone())
            }),
            conference: param(&mut e, "conference", &self.conference, |v| {
                Ok(catalog.conference(v)?.code.clone())
            }),
            as_of: param(&mut e, "as_of", &self.as_of, parse_as_of),
        };
        if e.is_empty() { Ok(filter) } else { Err(e) }
    }
}

/// A pledge whose PCRS renewal is overdue or due soon.
#[derive(Debug, Serialize, ToSchema)]
pub struct RenewalLineResponse {
    pub pledge_id: i64,
    pub member_state: String,
    pub pledge_ref: String,
    pub capability: String,
    pub registered_on: NaiveDate,
    pub renewed_on: Option<NaiveDate>,
    pub renewal_due: NaiveDate,
    pub overdue: bool,
}

impl From<&RenewalLine> for RenewalLineResponse {
    fn from(r: &RenewalLine) -> Self {
        Self {
            pledge_id: r.pledge_id,
            member_state: r.member_state.clone(),
            pledge_ref: r.pledge_ref.clone(),
            capability: r.capability.clone(),
            registered_on: r.registered_on,
            renewed_on: r.renewed_on,
            renewal_due: r.renewal_due,
            overdue: r.overdue,
        }
    }
}

/// The renewals due, soonest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct RenewalsResponse {
    pub items: Vec<RenewalLineResponse>,
}

/// `GET /api/v1/reports/renewals`: active pledges whose PCRS renewal is overdue or due within 30 days.
#[utoipa::path(get, path = "/reports/renewals", tag = "reports", params(RenewalQuery),
    responses((status = 200, description = "Soonest first", body = RenewalsResponse), (status = 401, body = Problem),
        (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn renewals_report(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    ApiQuery(query): ApiQuery<RenewalQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let response = renewals(&state, &query).await?;
    // Through a JSON value, whose keys are in alphabetical order: this route has always
    // answered its items' fields so, while a country page lists the same lines in the
    // order above.
    serde_json::to_value(response)
        .map(Json)
        .map_err(|e| ApiError::Internal(format!("cannot write the renewals: {e}")))
}

async fn renewals(state: &AppState, query: &RenewalQuery) -> Result<RenewalsResponse, ApiError> {
    let filter = query
        .to_filter(&state.catalog())
        .map_err(ApiError::Invalid)?;
    let items = state
        .store
        .renewals(Utc::now().date_naive(), &filter)
        .await?;
    Ok(RenewalsResponse {
        items: items.iter().map(Into::into).collect(),
    })
}

/// The columns of the renewals table, one line per pledge due.
pub const RENEWALS_CSV_COLUMNS: [&str; 8] = [
    "pledge_id",
    "member_state",
    "pledge_ref",
    "capability",
    "registered_on",
    "renewed_on",
    "renewal_due",
    "overdue",
];

impl RenewalLineResponse {
    fn row(&self) -> [String; RENEWALS_CSV_COLUMNS.len()] {
        [
            self.pledge_id.to_string(),
            self.member_state.clone(),
            neutralise(&self.pledge_ref).into_owned(),
            self.capability.clone(),
            self.registered_on.to_string(),
            self.renewed_on.map(|d| d.to_string()).unwrap_or_default(),
            self.renewal_due.to_string(),
            if self.overdue { "yes" } else { "no" }.to_owned(),
        ]
    }
}

/// `GET /api/v1/reports/renewals.csv`
#[utoipa::path(get, path = "/reports/renewals.csv", tag = "reports", params(RenewalQuery),
    responses((status = 200, description = "The renewals due, soonest first, as CSV", content_type = "text/csv", body = String), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn renewals_report_csv(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    RawQuery(raw): RawQuery,
    ApiQuery(query): ApiQuery<RenewalQuery>,
) -> Result<Response, ApiError> {
    renewals_table(&state, raw, &query, Download::Csv).await
}

/// `GET /api/v1/reports/renewals.xlsx`
#[utoipa::path(get, path = "/reports/renewals.xlsx", tag = "reports", params(RenewalQuery),
    responses((status = 200, description = "The renewals table as an Excel workbook: the CSV's rows, typed, and an About sheet", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn renewals_report_xlsx(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    RawQuery(raw): RawQuery,
    ApiQuery(query): ApiQuery<RenewalQuery>,
) -> Result<Response, ApiError> {
    renewals_table(&state, raw, &query, Download::Xlsx).await
}

async fn renewals_table(
    state: &AppState,
    raw: Option<String>,
    query: &RenewalQuery,
    format: Download,
) -> Result<Response, ApiError> {
    let response = renewals(state, query).await?;
    let about = About {
        title: crate::i18n::current().t("workbook-title-renewals"),
        query: raw,
        rules: vec![crate::i18n::current().t("rule-renewals")],
    };
    format.respond(
        "renewals",
        &about,
        RENEWALS_CSV_COLUMNS,
        response.items.iter().map(RenewalLineResponse::row),
    )
}
