//! `GET /api/v1/reports/outcome?conference=CODE[&as_of=]` (and `.csv`, `.xlsx`): what a
//! conference's pledges add up to ("Chair's summary"), now or as they stood at a moment, each
//! figure with its counting rule and the pledge list that gives the pledges it counts.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use pledgeboard_domain::outcome::{
    OUTCOME_CSV_COLUMNS, OutcomeReport, RULES, figure_query, outcome_csv_rows, outcome_figures,
};
use pledgeboard_domain::{ConferenceCode, FieldError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::reports::download::Download;
use crate::api::reports::workbook::About;
use crate::auth::Authenticated;
use crate::cached_answers::{Asked, as_of_hint, cached_report};
use crate::error::Problem;
use crate::extract::ApiQuery;
use crate::i18n::{category_name, outcome_rule, outcome_rule_of};
use crate::params::{given, param, parse_as_of};
use crate::{ApiError, AppState};

/// Which conference's outcome, and as of which moment.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutcomeQuery {
    /// The conference's code, e.g. `ISB-2023`; required.
    #[serde(default)]
    #[param(required = true)]
    pub conference: String,
    /// As the pledges stood at this moment (a date is its end, UTC).
    /// No later than the end of the latest date begun anywhere on earth (else 422).
    pub as_of: Option<String>,
}

/// What an outcome query asks for, checked.
#[derive(Debug, Clone)]
pub struct OutcomeAsk {
    pub conference: ConferenceCode,
    pub as_of: Option<DateTime<Utc>>,
}

impl OutcomeQuery {
    /// The conference and moment asked for, checked against the catalog; every mistake
    /// reported at once.
    pub fn to_ask(&self, state: &AppState) -> Result<OutcomeAsk, ApiError> {
        let catalog = state.catalog();
        let mut errors: Vec<FieldError> = Vec::new();
        let given_conference = Some(self.conference.clone());
        if given(&given_conference).is_none() {
            errors.push(FieldError::new(
                "conference",
                "",
                "name the conference, e.g. conference=ISB-2023",
            ));
        }
        let conference = param(&mut errors, "conference", &given_conference, |v| {
            Ok(catalog.conference(v)?.code.clone())
        });
        let as_of = param(&mut errors, "as_of", &self.as_of, parse_as_of);
        match conference {
            Some(conference) if errors.is_empty() => Ok(OutcomeAsk { conference, as_of }),
            _ => Err(ApiError::Invalid(errors)),
        }
    }
}

/// Distinct states and pledges of one pledge category.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryOutcomeResponse {
    pub category: String,
    /// The category's name, e.g. "Formed police units".
    pub label: String,
    pub states: u64,
    pub pledges: u64,
}

/// Pledges by lineage class.
#[derive(Debug, Serialize, ToSchema)]
pub struct LineageCountsResponse {
    pub new: u64,
    pub reaffirmed: u64,
    pub upgraded: u64,
}

/// A conference's outcome.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeResponse {
    pub conference: String,
    /// The moment the pledges are counted as they stood; `null` for now.
    pub as_of: Option<DateTime<Utc>>,
    pub pledges: u64,
    pub withdrawn: u64,
    pub states: u64,
    pub categories: Vec<CategoryOutcomeResponse>,
    pub formed_units: u64,
    pub personnel: u64,
    pub women: u64,
    /// Percent with one decimal, as a string.
    pub women_share_pct: String,
    pub lineage: LineageCountsResponse,
    pub joint_pledges: u64,
    pub joint_states: u64,
    pub earmarked: u64,
    pub unearmarked: u64,
    pub superseded_since: u64,
    /// Each figure's counting rule, in words.
    pub rules: BTreeMap<String, String>,
    /// For each figure (as the CSV names it), the pledge list of the pledges it counts.
    pub lists: BTreeMap<String, String>,
}

impl From<&OutcomeReport> for OutcomeResponse {
    /// Labels and rules in the request's language; keys and figures never change.
    fn from(r: &OutcomeReport) -> Self {
        let lang = crate::i18n::current();
        Self {
            conference: r.conference.to_string(),
            as_of: r.as_of,
            pledges: r.pledges,
            withdrawn: r.withdrawn,
            states: r.states,
            categories: r
                .categories
                .iter()
                .map(|c| CategoryOutcomeResponse {
                    category: c.category.to_string(),
                    label: category_name(c.category, lang),
                    states: c.states,
                    pledges: c.pledges,
                })
                .collect(),
            formed_units: r.formed_units,
            personnel: r.personnel,
            women: r.women,
            women_share_pct: r.women_share_pct.to_string(),
            lineage: LineageCountsResponse {
                new: r.lineage.new,
                reaffirmed: r.lineage.reaffirmed,
                upgraded: r.lineage.upgraded,
            },
            joint_pledges: r.joint_pledges,
            joint_states: r.joint_states,
            earmarked: r.earmarked,
            unearmarked: r.unearmarked,
            superseded_since: r.superseded_since,
            rules: RULES
                .iter()
                .map(|(figure, rule)| ((*figure).to_owned(), outcome_rule_of(figure, rule, lang)))
                .collect(),
            lists: outcome_figures(r)
                .iter()
                .map(|f| {
                    let query = figure_query(&r.conference, f);
                    (f.name.clone(), format!("/api/v1/pledges?{query}"))
                })
                .collect(),
        }
    }
}

/// The outcome asked for, from the pledges as they stand now or stood at its moment.
pub async fn outcome(state: &AppState, ask: &OutcomeAsk) -> Result<OutcomeReport, ApiError> {
    Ok(state
        .store
        .outcome_report(&state.catalog(), &ask.conference, ask.as_of)
        .await?)
}

/// `GET /api/v1/reports/outcome`: a conference's outcome, each figure with its rule.
#[utoipa::path(get, path = "/reports/outcome", tag = "reports", params(OutcomeQuery),
    responses((status = 200, description = "The figures of the pledges announced at the conference, with their counting rules and the pledge lists they count", body = OutcomeResponse), (status = 304, description = "Not modified: `If-None-Match` names this answer's ETag (data version and parameters)"), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn outcome_report_json(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<OutcomeQuery>,
) -> Result<Response, ApiError> {
    let asked = Asked {
        route: "outcome",
        query: raw.as_deref(),
        as_of: as_of_hint(&query.as_of),
        daily: false,
    };
    cached_report(&state, &headers, asked, async {
        let report = outcome(&state, &query.to_ask(&state)?).await?;
        Ok(Json(OutcomeResponse::from(&report)).into_response())
    })
    .await
}

/// `GET /api/v1/reports/outcome.csv`
#[utoipa::path(get, path = "/reports/outcome.csv", tag = "reports", params(OutcomeQuery),
    responses((status = 200, description = "The outcome as CSV: one figure a line, with its rule and the pledge-list filters of the pledges it counts", content_type = "text/csv", body = String), (status = 304, description = "Not modified: `If-None-Match` names this answer's ETag (data version and parameters)"), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn outcome_report_csv(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<OutcomeQuery>,
) -> Result<Response, ApiError> {
    outcome_table(&state, &headers, raw.as_deref(), &query, Download::Csv).await
}

/// `GET /api/v1/reports/outcome.xlsx`
#[utoipa::path(get, path = "/reports/outcome.xlsx", tag = "reports", params(OutcomeQuery),
    responses((status = 200, description = "The outcome as an Excel workbook: the CSV's lines and an About sheet with the rules", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 304, description = "Not modified: `If-None-Match` names this answer's ETag (data version and parameters)"), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn outcome_report_xlsx(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<OutcomeQuery>,
) -> Result<Response, ApiError> {
    outcome_table(&state, &headers, raw.as_deref(), &query, Download::Xlsx).await
}

async fn outcome_table(
    state: &AppState,
    headers: &HeaderMap,
    raw: Option<&str>,
    query: &OutcomeQuery,
    format: Download,
) -> Result<Response, ApiError> {
    let route = format!("outcome.{}", format.extension());
    let asked = Asked {
        route: &route,
        query: raw,
        as_of: as_of_hint(&query.as_of),
        daily: false,
    };
    cached_report(state, headers, asked, async {
        let report = outcome(state, &query.to_ask(state)?).await?;
        let conference = &report.conference;
        let lang = crate::i18n::current();
        let about = About {
            title: lang.t_with(
                "workbook-title-outcome",
                &[("conference", conference.to_string())],
            ),
            query: raw.map(str::to_owned),
            rules: RULES
                .iter()
                .map(|(figure, rule)| format!("{figure}: {}", outcome_rule_of(figure, rule, lang)))
                .collect(),
        };
        let stem = format!("outcome-{conference}");
        format.respond(
            &stem,
            &about,
            OUTCOME_CSV_COLUMNS,
            outcome_csv_rows(&report)
                .into_iter()
                .map(|[figure, value, rule, filters]| {
                    [figure, value, outcome_rule(&rule, lang), filters]
                })
                .collect::<Vec<_>>(),
        )
    })
    .await
}
