//! `GET /api/v1/reports/countries/{iso3}` (or `{iso3}.csv`): one member state's page — its
//! row of the all-states table, gender shares against targets, the gaps its pledges help
//! fill, the joint pledges it is a partner in, and its renewals due.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use pledgeboard_domain::country_report::{
    COUNTRY_CSV_COLUMNS, CountrySummary, GapContribution, GenderComparison, Partnership,
    country_csv_row,
};
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::reports::countries::{CountryQuery, CountryRowResponse};
use crate::api::reports::download::Download;
use crate::api::reports::renewals::RenewalLineResponse;
use crate::api::reports::workbook::About;
use crate::auth::Authenticated;
use crate::cached_answers::{Asked, as_of_hint, cached_report};
use crate::error::Problem;
use crate::extract::{ApiPath, ApiQuery};
use crate::{ApiError, AppState};

/// Women's share in one personnel category against the parity target for it.
#[derive(Debug, Serialize, ToSchema)]
pub struct GenderComparisonResponse {
    pub category: String,
    pub personnel: u64,
    pub female_personnel: u64,
    #[schema(value_type = String, example = "13.8")]
    pub female_share_pct: Decimal,
    #[schema(value_type = Option<String>, example = "15.0")]
    pub target_pct: Option<Decimal>,
    pub target_year: Option<i32>,
    pub meets_target: Option<bool>,
}

impl From<&GenderComparison> for GenderComparisonResponse {
    fn from(g: &GenderComparison) -> Self {
        Self {
            category: g.category.clone(),
            personnel: g.personnel,
            female_personnel: g.female_personnel,
            female_share_pct: g.female_share_pct,
            target_pct: g.target_pct,
            target_year: g.target_year,
            meets_target: g.meets_target,
        }
    }
}

/// A requirement this state's earmarked pledges help fill.
#[derive(Debug, Serialize, ToSchema)]
pub struct GapContributionResponse {
    pub mission: String,
    pub capability: String,
    pub required: u64,
    /// Pledged by every state.
    pub pledged: u64,
    pub gap: u64,
    /// Pledged by this state.
    pub contributed: u64,
}

impl From<&GapContribution> for GapContributionResponse {
    fn from(g: &GapContribution) -> Self {
        Self {
            mission: g.mission.clone(),
            capability: g.capability.clone(),
            required: g.required,
            pledged: g.pledged,
            gap: g.gap,
            contributed: g.contributed,
        }
    }
}

/// A joint pledge of another state in which this state is a partner.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartnershipResponse {
    pub pledge_id: i64,
    pub lead: String,
    pub pledge_ref: String,
    pub capability: String,
    pub quantity: u64,
    pub role: String,
}

impl From<&Partnership> for PartnershipResponse {
    fn from(p: &Partnership) -> Self {
        Self {
            pledge_id: p.pledge_id,
            lead: p.lead.clone(),
            pledge_ref: p.pledge_ref.clone(),
            capability: p.capability.clone(),
            quantity: p.quantity,
            role: p.role.clone(),
        }
    }
}

/// One member state's page; `pledgeboard summary --member-state ISO3 --format json` prints
/// the same.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountrySummaryResponse {
    pub as_of: Option<DateTime<Utc>>,
    pub conference: Option<String>,
    #[serde(flatten)]
    pub row: CountryRowResponse,
    pub gender: Vec<GenderComparisonResponse>,
    pub gaps_filled: Vec<GapContributionResponse>,
    pub partnership_pledges: Vec<PartnershipResponse>,
    pub renewals: Vec<RenewalLineResponse>,
    pub note: &'static str,
}

impl From<&CountrySummary> for CountrySummaryResponse {
    fn from(s: &CountrySummary) -> Self {
        Self {
            as_of: s.as_of,
            conference: s.conference.clone(),
            row: (&s.row).into(),
            gender: s.gender.iter().map(Into::into).collect(),
            gaps_filled: s.gaps_filled.iter().map(Into::into).collect(),
            partnership_pledges: s.partnership_pledges.iter().map(Into::into).collect(),
            renewals: s.renewals.iter().map(Into::into).collect(),
            note: s.note,
        }
    }
}

/// `GET /api/v1/reports/countries/{iso3}` (or `{iso3}.csv`, `{iso3}.xlsx`): one member state's summary.
#[utoipa::path(get, path = "/reports/countries/{iso3}", tag = "reports",
    params(("iso3" = String, Path, description = "Alpha-3 code (or name); add `.csv` for the CSV form, `.xlsx` for the workbook"),
        ("conference" = Option<String>, Query, description = "Only pledges announced at this conference"),
        ("as_of" = Option<String>, Query, description = "As the pledges stood at this moment; no later than the end of the latest date begun anywhere on earth (else 422)")),
    responses((status = 200, description = "The state's figures, gender shares against targets, gaps its pledges fill, partnerships and renewals (`{iso3}.csv`: its row as CSV; `{iso3}.xlsx`: as a workbook)",
            content((CountrySummaryResponse = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 304, description = "Not modified: `If-None-Match` names this answer's ETag (data version and parameters)"), 
        (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn country_report(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    ApiPath(iso3): ApiPath<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<CountryQuery>,
) -> Result<Response, ApiError> {
    let route = format!("countries/{iso3}");
    let asked = Asked {
        route: &route,
        query: raw.as_deref(),
        as_of: as_of_hint(&query.as_of),
        daily: true,
    };
    cached_report(
        &state,
        &headers,
        asked,
        country(&state, iso3, raw.as_deref(), &query),
    )
    .await
}

async fn country(
    state: &AppState,
    iso3: String,
    raw: Option<&str>,
    query: &CountryQuery,
) -> Result<Response, ApiError> {
    let (code, download) = match Download::of_segment(&iso3) {
        Some((code, format)) => (code.to_owned(), Some(format)),
        None => (iso3, None),
    };
    let catalog = state.catalog();
    let member = catalog
        .member_state(&code)
        .map_err(|e| ApiError::invalid_field("iso3", &code, e))?
        .code
        .clone();
    let filter = query.to_filter(state)?;
    let summary = state
        .store
        .country_summary(&catalog, &member, &filter, Utc::now().date_naive())
        .await?;
    if let Some(format) = download {
        let about = About {
            title: crate::i18n::current().t_with(
                "workbook-title-country",
                &[
                    (
                        "name",
                        crate::i18n::member_state_name(
                            &catalog,
                            member.as_str(),
                            crate::i18n::current(),
                        ),
                    ),
                    ("code", member.to_string()),
                ],
            ),
            query: raw.map(str::to_owned),
            rules: Vec::new(),
        };
        return format.respond(
            member.as_str(),
            &about,
            COUNTRY_CSV_COLUMNS,
            [country_csv_row(&summary.row)],
        );
    }
    Ok(Json(CountrySummaryResponse::from(&summary)).into_response())
}
