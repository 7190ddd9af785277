//! `GET /api/v1/reports/follow-through?conference=CODE` (and `.csv`, `.xlsx`): of the pledges
//! announced at one conference, how many have reached each stage since, the median days
//! between stages, and the pledges stalled — each figure with its counting rule.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use pledgeboard_domain::follow_through::{
    DEFAULT_STALLED_DAYS, FOLLOW_THROUGH_CSV_COLUMNS, FollowThroughReport,
    follow_through_csv_rows_worded, parse_stalled_days,
};
use pledgeboard_domain::{Conference, FieldError};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::reports::download::Download;
use crate::api::reports::workbook::About;
use crate::auth::Authenticated;
use crate::cached_answers::{Asked, as_of_hint, cached_report};
use crate::error::Problem;
use crate::extract::ApiQuery;
use crate::i18n::{follow_through_row_label, follow_through_rule, stage_label};
use crate::params::{given, param, parse_as_of};
use crate::{ApiError, AppState};

/// The conference, moment and threshold of a follow-through report.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FollowThroughQuery {
    /// The conference whose pledges are followed (code or name); required.
    #[param(required = true)]
    pub conference: Option<String>,
    /// As the pledges and milestones stood at this moment (a date is its end, UTC).
    /// No later than the end of the latest date begun anywhere on earth (else 422).
    pub as_of: Option<String>,
    /// Days without a milestone after which a pledge counts as stalled (default 180).
    pub stalled_days: Option<String>,
}

/// What a follow-through query asks for, checked.
#[derive(Debug, Clone)]
pub struct FollowThroughAsk {
    pub conference: Conference,
    pub as_of: Option<DateTime<Utc>>,
    pub stalled_days: u32,
}

impl FollowThroughQuery {
    /// The conference, moment and threshold asked for, checked against the catalog; every
    /// mistake reported at once.
    pub fn to_ask(&self, state: &AppState) -> Result<FollowThroughAsk, ApiError> {
        let catalog = state.catalog();
        let mut errors: Vec<FieldError> = Vec::new();
        if given(&self.conference).is_none() {
            errors.push(FieldError::new(
                "conference",
                "",
                "choose the conference whose pledges to follow, e.g. conference=BER-2025",
            ));
        }
        let conference = param(&mut errors, "conference", &self.conference, |c| {
            Ok(catalog.conference(c)?.clone())
        });
        let as_of = param(&mut errors, "as_of", &self.as_of, parse_as_of);
        let stalled_days = param(
            &mut errors,
            "stalled_days",
            &self.stalled_days,
            parse_stalled_days,
        );
        match conference {
            Some(conference) if errors.is_empty() => Ok(FollowThroughAsk {
                conference,
                as_of,
                stalled_days: stalled_days.unwrap_or(DEFAULT_STALLED_DAYS),
            }),
            _ => Err(ApiError::Invalid(errors)),
        }
    }
}

/// How many pledges have reached one stage.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageFigureResponse {
    /// `announced`, `nv_received`, `accepted`, `l2`, `l3_or_rdl`, `selected` or `deployed`.
    pub stage: String,
    pub label: String,
    pub pledges: u64,
    /// Of every pledge announced, percent to one decimal.
    #[schema(value_type = String, example = "42.9")]
    pub share_pct: Decimal,
}

/// The median days between two successive stages.
#[derive(Debug, Serialize, ToSchema)]
pub struct IntervalFigureResponse {
    pub from: String,
    pub to: String,
    /// Pledges whose milestones date both stages.
    pub pledges: u64,
    /// `null` when no pledge has both dated.
    #[schema(value_type = Option<String>, example = "61.5")]
    pub median_days: Option<Decimal>,
}

/// A pledge with no milestone for longer than the threshold.
#[derive(Debug, Serialize, ToSchema)]
pub struct StalledPledgeResponse {
    pub pledge_id: i64,
    pub member_state: String,
    pub pledge_ref: String,
    pub capability: String,
    pub category: String,
    /// The furthest stage it has reached.
    pub stage: String,
    /// Its last milestone's kind, `null` when the announcement is its last step.
    pub last_milestone: Option<String>,
    pub last_on: NaiveDate,
    pub days: i64,
}

/// A count of stalled pledges for one member state or category.
#[derive(Debug, Serialize, ToSchema)]
pub struct StalledCountResponse {
    pub key: String,
    pub pledges: u64,
}

/// A figure's counting rule, in words.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleResponse {
    pub figure: String,
    pub rule: String,
}

/// The follow-through of one conference; `pledgeboard follow-through --format json` prints
/// the same.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowThroughResponse {
    pub conference: String,
    pub conference_name: String,
    /// The conference's first day: the date the pledges count as announced.
    pub announced_on: NaiveDate,
    pub as_of: Option<DateTime<Utc>>,
    /// The day the figures are measured on.
    pub measured_on: NaiveDate,
    pub stalled_days: u32,
    /// Every pledge recorded with the conference (withdrawn ones included).
    pub announced: u64,
    pub withdrawn: u64,
    #[schema(value_type = String, example = "3.1")]
    pub withdrawn_share_pct: Decimal,
    pub stages: Vec<StageFigureResponse>,
    pub intervals: Vec<IntervalFigureResponse>,
    pub stalled_count: u64,
    pub stalled: Vec<StalledPledgeResponse>,
    pub stalled_by_state: Vec<StalledCountResponse>,
    pub stalled_by_category: Vec<StalledCountResponse>,
    pub rules: Vec<RuleResponse>,
}

impl From<&FollowThroughReport> for FollowThroughResponse {
    /// Labels and rules in the request's language; keys and figures never change.
    fn from(r: &FollowThroughReport) -> Self {
        let lang = crate::i18n::current();
        let counts = |m: &std::collections::BTreeMap<String, u64>| {
            m.iter()
                .map(|(key, pledges)| StalledCountResponse {
                    key: key.clone(),
                    pledges: *pledges,
                })
                .collect()
        };
        Self {
            conference: r.request.conference.clone(),
            conference_name: r.request.conference_name.clone(),
            announced_on: r.request.announced_on,
            as_of: r.request.as_of,
            measured_on: r.request.measured_on,
            stalled_days: r.request.stalled_days,
            announced: r.announced,
            withdrawn: r.withdrawn,
            withdrawn_share_pct: r.withdrawn_share_pct,
            stages: r
                .stages
                .iter()
                .map(|s| StageFigureResponse {
                    stage: s.stage.as_str().into(),
                    label: stage_label(s.stage, lang),
                    pledges: s.pledges,
                    share_pct: s.share_pct,
                })
                .collect(),
            intervals: r
                .intervals
                .iter()
                .map(|i| IntervalFigureResponse {
                    from: i.from.as_str().into(),
                    to: i.to.as_str().into(),
                    pledges: i.pledges,
                    median_days: i.median_days,
                })
                .collect(),
            stalled_count: r.stalled.len() as u64,
            stalled: r
                .stalled
                .iter()
                .map(|s| StalledPledgeResponse {
                    pledge_id: s.pledge_id,
                    member_state: s.member_state.clone(),
                    pledge_ref: s.pledge_ref.clone(),
                    capability: s.capability.clone(),
                    category: s.category.as_str().into(),
                    stage: s.stage.as_str().into(),
                    last_milestone: s.last_milestone.map(|k| k.as_str().into()),
                    last_on: s.last_on,
                    days: s.days,
                })
                .collect(),
            stalled_by_state: counts(&r.stalled_by_state),
            stalled_by_category: counts(&r.stalled_by_category),
            rules: r
                .rules
                .iter()
                .map(|(figure, rule)| RuleResponse {
                    figure: (*figure).into(),
                    rule: follow_through_rule(figure, rule, r.request.stalled_days, lang),
                })
                .collect(),
        }
    }
}

/// The report asked for, measured today.
pub async fn follow_through(
    state: &AppState,
    ask: &FollowThroughAsk,
) -> Result<FollowThroughReport, ApiError> {
    Ok(state
        .store
        .follow_through_report(
            &ask.conference,
            ask.as_of,
            ask.stalled_days,
            Utc::now().date_naive(),
        )
        .await?)
}

/// `GET /api/v1/reports/follow-through`: of one conference's pledges, the stages reached, the
/// median days between them and the pledges stalled.
#[utoipa::path(get, path = "/reports/follow-through", tag = "reports", params(FollowThroughQuery),
    responses((status = 200, description = "Stages reached, median days between stages, stalled pledges, and the rule of each figure", body = FollowThroughResponse), (status = 304, description = "Not modified: `If-None-Match` names this answer's ETag (data version and parameters)"), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn follow_through_report(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<FollowThroughQuery>,
) -> Result<Response, ApiError> {
    let asked = Asked {
        route: "follow-through",
        query: raw.as_deref(),
        as_of: as_of_hint(&query.as_of),
        daily: true,
    };
    cached_report(&state, &headers, asked, async {
        let ask = query.to_ask(&state)?;
        let report = follow_through(&state, &ask).await?;
        Ok(Json(FollowThroughResponse::from(&report)).into_response())
    })
    .await
}

/// `GET /api/v1/reports/follow-through.csv`
#[utoipa::path(get, path = "/reports/follow-through.csv", tag = "reports", params(FollowThroughQuery),
    responses((status = 200, description = "The follow-through as CSV: one row per figure, its section naming which", content_type = "text/csv", body = String), (status = 304, description = "Not modified: `If-None-Match` names this answer's ETag (data version and parameters)"), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn follow_through_report_csv(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<FollowThroughQuery>,
) -> Result<Response, ApiError> {
    follow_through_table(&state, &headers, raw.as_deref(), &query, Download::Csv).await
}

/// `GET /api/v1/reports/follow-through.xlsx`
#[utoipa::path(get, path = "/reports/follow-through.xlsx", tag = "reports", params(FollowThroughQuery),
    responses((status = 200, description = "The follow-through as an Excel workbook: the CSV's rows, typed, and an About sheet with the counting rules", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 304, description = "Not modified: `If-None-Match` names this answer's ETag (data version and parameters)"), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn follow_through_report_xlsx(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<FollowThroughQuery>,
) -> Result<Response, ApiError> {
    follow_through_table(&state, &headers, raw.as_deref(), &query, Download::Xlsx).await
}

async fn follow_through_table(
    state: &AppState,
    headers: &HeaderMap,
    raw: Option<&str>,
    query: &FollowThroughQuery,
    format: Download,
) -> Result<Response, ApiError> {
    let route = format!("follow-through.{}", format.extension());
    let asked = Asked {
        route: &route,
        query: raw,
        as_of: as_of_hint(&query.as_of),
        daily: true,
    };
    cached_report(state, headers, asked, async {
        let ask = query.to_ask(state)?;
        let report = follow_through(state, &ask).await?;
        let lang = crate::i18n::current();
        let code = &report.request.conference;
        let name = crate::i18n::conference_name(&state.catalog(), code, lang)
            .strip_suffix(&format!(" ({code})"))
            .map_or_else(|| report.request.conference_name.clone(), str::to_owned);
        let about = About {
            title: lang.t_with(
                "workbook-title-follow-through",
                &[("name", name), ("conference", code.clone())],
            ),
            query: raw.map(str::to_owned),
            rules: report
                .rules
                .iter()
                .map(|(figure, rule)| {
                    let said = follow_through_rule(figure, rule, report.request.stalled_days, lang);
                    format!("{figure}: {said}")
                })
                .collect(),
        };
        let stem = format!("follow-through-{}", report.request.conference);
        format.respond(
            &stem,
            &about,
            FOLLOW_THROUGH_CSV_COLUMNS,
            follow_through_csv_rows_worded(&report, &|label| follow_through_row_label(label, lang)),
        )
    })
    .await
}
