//! One member state's summary for the ministerial conference: the same figures as
//! `/api/v1/reports/countries/{iso3}`, its pledges and how many are firm, printable on A4 with
//! the moment and the conference it stands for, and the share of women against the target
//! drawn as a small bar.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use pledgeboard_domain::country_pledges::{CountryPledgeLine, FirmLine, firm_line};
use pledgeboard_domain::country_report::{
    CapabilityTotals, CountrySummary, GenderComparison, RenewalLine,
};
use pledgeboard_domain::{Category, GenderCategory};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;

use crate::api::reports::countries::CountryQuery as ReportQuery;
use crate::i18n::{self, Lang};
use crate::pages::coverage_view::status_word;
use crate::pages::error_page::PageError;
use crate::pages::filters;
use crate::pages::session::{Nav, PageUser, render};
use crate::pages::tables::conference_choices;
use crate::{ApiError, AppState};

/// Width of a gender bar (0 – 100 %), in SVG units.
const GENDER_BAR: f64 = 200.0;

/// The share of women in one category against its target.
struct GenderBar {
    line: GenderComparison,
    label: String,
    share_width: String,
    target_x: Option<String>,
    verdict: String,
}

impl GenderBar {
    fn of(line: GenderComparison, lang: Lang) -> Self {
        let x = |pct: Decimal| {
            let clamped = pct.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED);
            format!(
                "{:.1}",
                clamped.to_f64().unwrap_or(0.0) * GENDER_BAR / 100.0
            )
        };
        let target = |key: &str, t: Decimal, y: i32| {
            lang.t_with(
                key,
                &[
                    ("year", y.to_string()),
                    ("target", lang.number(&t.to_string())),
                ],
            )
        };
        let verdict = match (line.meets_target, line.target_pct, line.target_year) {
            (Some(true), Some(t), Some(y)) => target("country-meets-target", t, y),
            (Some(false), Some(t), Some(y)) => target("country-below-target", t, y),
            _ => lang.t("country-no-target"),
        };
        Self {
            label: match (lang, line.category.parse::<GenderCategory>()) {
                (_, Err(_)) => line.category.clone(),
                (Lang::En, Ok(c)) => c.label().to_owned(),
                (Lang::Fr, Ok(_)) => lang.t(&format!("gender-{}", line.category)),
            },
            share_width: x(line.female_share_pct),
            target_x: line.target_pct.map(x),
            verdict,
            line,
        }
    }
}

/// A pledge row of the page, its capability named.
struct PledgeRow {
    line: CountryPledgeLine,
    capability: String,
    /// Its status in the page's language.
    status: String,
}

/// A joint pledge the state is a partner in, its capability and role in words.
struct PartnershipRow {
    pledge_id: i64,
    lead: String,
    pledge_ref: String,
    capability: String,
    quantity: u64,
    role: String,
}

/// A requirement the state's pledges count toward, its capability named.
struct GapRow {
    mission: String,
    capability: String,
    required: u64,
    pledged: u64,
    gap: u64,
    contributed: u64,
}

/// A key of a breakdown (category or capability) with its name, and its figures.
struct Named<T> {
    name: String,
    figures: T,
}

#[derive(Template)]
#[template(path = "country.html")]
struct CountryPage {
    nav: Nav,
    summary: CountrySummary,
    gender: Vec<GenderBar>,
    /// "3 of 4 pledges, 850 of 900 personnel at L2 or above".
    firm_words: String,
    pledges: Vec<PledgeRow>,
    partnerships: Vec<PartnershipRow>,
    categories: Vec<Named<u64>>,
    capabilities: Vec<Named<CapabilityTotals>>,
    gaps: Vec<GapRow>,
    /// The renewals due, each with its capability named.
    renewals: Vec<(RenewalLine, String)>,
    conferences: Vec<(String, String)>,
    conference: String,
    /// The conference's code and name, or "every conference".
    conference_words: String,
    as_of: String,
    /// What the as-of field shows: as typed, or empty for now.
    as_of_input: String,
    /// When the page was made, as printed on it.
    printed: String,
    /// `?conference=…&as_of=…` for the CSV and JSON links, or empty.
    query: String,
    /// The same pledges on `/pledges`.
    pledges_link: String,
}

/// `?conference=` restricts the summary to one conference; `?as_of=` shows it as it stood.
#[derive(Deserialize)]
pub struct CountryQuery {
    #[serde(default)]
    conference: String,
    #[serde(default)]
    as_of: String,
}

/// The firm line in words.
fn firm_words(firm: &FirmLine, lang: Lang) -> String {
    let n = |v: u64| lang.number(&v.to_string());
    lang.t_with(
        "country-firm-line",
        &[
            ("count", n(firm.firm_pledges)),
            ("total", n(firm.pledges)),
            ("share", n(firm.firm_personnel)),
            ("target", n(firm.personnel)),
        ],
    )
}

/// A query string (with `?`) of the given pairs that are not blank, or nothing.
fn query_string(pairs: &[(&str, &str)]) -> String {
    let given: Vec<(&str, &str)> = pairs
        .iter()
        .copied()
        .filter(|(_, v)| !v.is_empty())
        .collect();
    if given.is_empty() {
        String::new()
    } else {
        format!(
            "?{}",
            serde_urlencoded::to_string(given).unwrap_or_default()
        )
    }
}

/// `GET /countries/{iso3}`
pub async fn show_country(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
    Path(iso3): Path<String>,
    Query(query): Query<CountryQuery>,
) -> Result<Response, PageError> {
    let catalog = state.catalog();
    let member = catalog
        .member_state(&iso3)
        .map_err(|e| ApiError::invalid_field("member state", &iso3, e))?
        .code
        .clone();
    let blank = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    let filter = ReportQuery {
        conference: blank(&query.conference),
        as_of: blank(&query.as_of),
        ..ReportQuery::default()
    }
    .to_filter(&state)?;
    let now = Utc::now();
    let lang = i18n::current();
    let mut summary = state
        .store
        .country_summary(&catalog, &member, &filter, now.date_naive())
        .await?;
    let pledges = state
        .store
        .country_pledges(&member, &filter)
        .await?
        .into_iter()
        .map(|line| PledgeRow {
            capability: i18n::capability_name(&catalog, &line.capability, lang),
            status: status_word(&line.status, lang),
            line,
        })
        .collect();
    let gender = std::mem::take(&mut summary.gender)
        .into_iter()
        .map(|line| GenderBar::of(line, lang))
        .collect();
    let code = filter
        .conference
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    let as_of = filter.as_of.map(stamp).unwrap_or_default();
    let as_of_param = filter.as_of.map(|t| t.to_rfc3339()).unwrap_or_default();
    let member_code = member.to_string();
    summary.row.name = i18n::member_state_name(&catalog, &member_code, lang);
    let partnerships = summary
        .partnership_pledges
        .iter()
        .map(|p| PartnershipRow {
            pledge_id: p.pledge_id,
            lead: p.lead.clone(),
            pledge_ref: p.pledge_ref.clone(),
            capability: i18n::capability_name(&catalog, &p.capability, lang),
            quantity: p.quantity,
            role: match lang.t(&format!("partner-role-{}", p.role)) {
                said if said.starts_with("partner-role-") => p.role.clone(),
                said => said,
            },
        })
        .collect();
    Ok(render(&CountryPage {
        nav: Nav::of(&actor),
        gender,
        firm_words: firm_words(&firm_line(&summary.row), lang),
        partnerships,
        pledges,
        categories: summary
            .row
            .by_category
            .iter()
            .map(|(k, v)| Named {
                name: k
                    .parse::<Category>()
                    .map_or_else(|_| k.clone(), |c| i18n::category_name(c, lang)),
                figures: *v,
            })
            .collect(),
        capabilities: summary
            .row
            .by_capability
            .iter()
            .map(|(k, v)| Named {
                name: i18n::capability_name(&catalog, k, lang),
                figures: v.clone(),
            })
            .collect(),
        gaps: summary
            .gaps_filled
            .iter()
            .map(|g| GapRow {
                mission: g.mission.clone(),
                capability: i18n::capability_name(&catalog, &g.capability, lang),
                required: g.required,
                pledged: g.pledged,
                gap: g.gap,
                contributed: g.contributed,
            })
            .collect(),
        renewals: summary
            .renewals
            .iter()
            .map(|r| {
                (
                    r.clone(),
                    i18n::capability_name(&catalog, &r.capability, lang),
                )
            })
            .collect(),
        conferences: conference_choices(&catalog, lang),
        conference_words: if code.is_empty() {
            lang.t("country-every-conference")
        } else {
            i18n::conference_name(&catalog, &code, lang)
        },
        query: query_string(&[("conference", &code), ("as_of", &as_of_param)]),
        pledges_link: format!(
            "/pledges{}",
            query_string(&[
                ("member_state", &member_code),
                ("conference", &code),
                ("lineage", "current"),
            ])
        ),
        conference: code,
        as_of,
        as_of_input: query.as_of.trim().to_owned(),
        printed: match lang {
            Lang::En => stamp(now),
            Lang::Fr => format!(
                "{} à {}",
                lang.long_date(now.date_naive()),
                now.format("%H:%M UTC")
            ),
        },
        summary,
    }))
}

/// A moment as the page prints it, in UTC to the minute.
fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}
