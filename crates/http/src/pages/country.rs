//! One member state's summary for the ministerial conference: the same figures as
//! `/api/v1/reports/countries/{iso3}`, printable on A4, with the share of women against the
//! target drawn as a small bar.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::Utc;
use pledgeboard_domain::country_report::{CountrySummary, GenderComparison};
use pledgeboard_store::CountryFilter;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;

use crate::pages::error_page::PageError;
use crate::pages::session::{Nav, PageUser, render};
use crate::{ApiError, AppState};

/// Width of a gender bar (0 – 100 %), in SVG units.
const GENDER_BAR: f64 = 200.0;

/// The share of women in one category against its target.
struct GenderBar {
    line: GenderComparison,
    share_width: String,
    target_x: Option<String>,
    verdict: String,
}

impl GenderBar {
    fn of(line: GenderComparison) -> Self {
        let x = |pct: Decimal| {
            let clamped = pct.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED);
            format!(
                "{:.1}",
                clamped.to_f64().unwrap_or(0.0) * GENDER_BAR / 100.0
            )
        };
        let verdict = match (line.meets_target, line.target_pct, line.target_year) {
            (Some(true), Some(t), Some(y)) => format!("meets the {y} target of {t} %"),
            (Some(false), Some(t), Some(y)) => format!("below the {y} target of {t} %"),
            _ => "no target for this category".to_owned(),
        };
        Self {
            share_width: x(line.female_share_pct),
            target_x: line.target_pct.map(x),
            verdict,
            line,
        }
    }
}

#[derive(Template)]
#[template(path = "country.html")]
struct CountryPage {
    nav: Nav,
    summary: CountrySummary,
    gender: Vec<GenderBar>,
    conferences: Vec<(String, String)>,
    conference: String,
    /// `?conference=…` for the CSV and JSON links, or empty.
    query: String,
}

/// `?conference=` restricts the summary to one conference.
#[derive(Deserialize)]
pub struct CountryQuery {
    #[serde(default)]
    conference: String,
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
    let conference = match query.conference.trim() {
        "" => None,
        c => Some(
            catalog
                .conference(c)
                .map_err(|e| ApiError::invalid_field("conference", c, e))?
                .code
                .clone(),
        ),
    };
    let filter = CountryFilter {
        conference: conference.clone(),
        as_of: None,
    };
    let mut summary = state
        .store
        .country_summary(&catalog, &member, &filter, Utc::now().date_naive())
        .await?;
    let gender = std::mem::take(&mut summary.gender)
        .into_iter()
        .map(GenderBar::of)
        .collect();
    let code = conference.map(|c| c.to_string()).unwrap_or_default();
    Ok(render(&CountryPage {
        nav: Nav::of(&actor),
        gender,
        conferences: catalog
            .conferences()
            .map(|c| (c.code.to_string(), c.name.clone()))
            .collect(),
        query: if code.is_empty() {
            String::new()
        } else {
            format!("?conference={code}")
        },
        conference: code,
        summary,
    }))
}
