//! A conference's outcome ("Chair's summary"): the figures of `/api/v1/reports/outcome`, each
//! beside its counting rule and linked to the pledge list of the pledges it counts; printable
//! on A4 with the moment it was made.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;
use pledgeboard_domain::outcome::{OutcomeFigure, figure_query, outcome_figures};

use crate::AppState;
use crate::api::reports::outcome::{OutcomeQuery, outcome};
use crate::pages::error_page::PageError;
use crate::pages::filters;
use crate::pages::session::{Nav, PageUser, render};

/// One figure's line on the page.
struct FigureRow {
    label: String,
    value: String,
    rule: &'static str,
    /// `/pledges?conference=…&…`: the pledges it counts.
    href: String,
}

#[derive(Template)]
#[template(path = "outcome.html")]
struct OutcomePage {
    nav: Nav,
    conference: String,
    conference_name: String,
    printed: String,
    figures: Vec<FigureRow>,
}

/// A figure's name in words: `category.unit.states` → "Military units: states".
fn label(figure: &OutcomeFigure) -> String {
    if let Some(rest) = figure.name.strip_prefix("category.") {
        let (category, what) = rest.split_once('.').unwrap_or((rest, ""));
        let name = category
            .parse::<pledgeboard_domain::Category>()
            .map_or_else(|_| category.to_owned(), |c| c.label().to_owned());
        return format!("{name}: {what}");
    }
    match figure.name.as_str() {
        "pledges" => "Pledges announced",
        "withdrawn" => "Withdrawn since (not counted)",
        "states" => "Member states pledging",
        "formed_units" => "Formed units",
        "personnel" => "Personnel",
        "women" => "Women",
        "women_share_pct" => "Women's share (%)",
        "new" => "New pledges",
        "reaffirmed" => "Reaffirmed pledges",
        "upgraded" => "Upgraded pledges",
        "joint_pledges" => "Joint pledges",
        "joint_states" => "States in joint pledges",
        "earmarked" => "Earmarked for a mission",
        "unearmarked" => "Not earmarked",
        "superseded_since" => "Superseded since by a later pledge",
        other => other,
    }
    .to_owned()
}

/// `GET /conferences/{code}/outcome`
pub async fn show_outcome(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let conference = OutcomeQuery { conference: code }.conference(&state)?;
    let report = outcome(&state, &conference).await?;
    let conference_name = state
        .catalog()
        .conference(conference.as_str())
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let figures = outcome_figures(&report)
        .iter()
        .map(|f| FigureRow {
            label: label(f),
            value: f.value.clone(),
            rule: f.rule,
            href: format!("/pledges?{}", figure_query(&conference, f)),
        })
        .collect();
    Ok(render(&OutcomePage {
        nav: Nav::of(&actor),
        conference: conference.to_string(),
        conference_name,
        printed: Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
        figures,
    }))
}
