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
use crate::i18n::Lang;
use crate::pages::error_page::PageError;
use crate::pages::filters;
use crate::pages::session::{Nav, PageUser, render};

/// One figure's line on the page.
struct FigureRow {
    /// The figure's key (`states`, `category.unit.pledges`), as the JSON names it.
    name: String,
    label: String,
    value: String,
    rule: String,
    /// The row above is counted by the same rule (each category's states and pledges): the
    /// rule is printed once, on the first row of the run. Not a `rowspan`, which a printed
    /// page cannot break: the 18 category rows went to page 2 whole, leaving page 1 half empty.
    same_rule_as_above: bool,
    /// `/pledges?conference=…&…`: the pledges it counts.
    href: String,
}

/// Marks each row counted by the same rule as the row above.
fn mark_repeated_rules(rows: &mut [FigureRow]) {
    for i in 1..rows.len() {
        rows[i].same_rule_as_above = rows[i].rule == rows[i - 1].rule;
    }
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

/// A figure's name in the page's language: `category.unit.states` → "Military units: states".
fn label(figure: &OutcomeFigure, lang: Lang) -> String {
    if let Some(rest) = figure.name.strip_prefix("category.") {
        let (category, what) = rest.split_once('.').unwrap_or((rest, ""));
        let name = category
            .parse::<pledgeboard_domain::Category>()
            .map_or_else(
                |_| category.to_owned(),
                |c| crate::i18n::category_name(c, lang),
            );
        return lang.t_with(
            "outcome-category-figure",
            &[
                ("category", name),
                ("what", lang.t(&format!("outcome-category-{what}"))),
            ],
        );
    }
    let key = format!("outcome-label-{}", figure.name);
    match lang.t(&key) {
        said if said == key => figure.name.clone(),
        said => said,
    }
}

/// `GET /conferences/{code}/outcome`
pub async fn show_outcome(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let conference = OutcomeQuery { conference: code }.conference(&state)?;
    let report = outcome(&state, &conference).await?;
    let lang = crate::i18n::current();
    let conference_name = crate::i18n::conference_name(&state.catalog(), conference.as_str(), lang)
        .strip_suffix(&format!(" ({conference})"))
        .map(str::to_owned)
        .unwrap_or_default();
    let mut figures = outcome_figures(&report)
        .iter()
        .map(|f| FigureRow {
            name: f.name.clone(),
            label: label(f, lang),
            value: lang.number(&f.value),
            rule: crate::i18n::outcome_rule(f.rule, lang),
            same_rule_as_above: false,
            href: format!("/pledges?{}", figure_query(&conference, f)),
        })
        .collect::<Vec<_>>();
    mark_repeated_rules(&mut figures);
    Ok(render(&OutcomePage {
        nav: Nav::of(&actor),
        conference: conference.to_string(),
        conference_name,
        printed: Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
        figures,
    }))
}
