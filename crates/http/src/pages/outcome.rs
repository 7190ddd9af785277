//! A conference's outcome ("Chair's summary"): the figures of `/api/v1/reports/outcome`, each
//! beside its counting rule and linked to the pledge list of the pledges it counts; printable
//! on A4 with the moment it was made, and with `?as_of=` the moment its pledges are read at.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use pledgeboard_domain::outcome::{OutcomeFigure, figure_query, outcome_figures};
use serde::Deserialize;

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
    /// `/pledges?conference=…&…`: the pledges it counts; none as of a past moment, since the
    /// pledge list shows the pledges as they are now.
    href: Option<String>,
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
    /// The stamp under the title: when it was printed, and the moment it shows.
    stamp: String,
    /// What the as-of field holds, as typed.
    as_of_input: String,
    /// Whether the figures are of a past moment.
    past: bool,
    /// `?conference=…&as_of=…` for the CSV, Excel and JSON links.
    query: String,
    figures: Vec<FigureRow>,
}

/// `?as_of=` shows the outcome as the pledges stood then.
#[derive(Deserialize)]
pub struct OutcomePageQuery {
    #[serde(default)]
    as_of: String,
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
    Query(query): Query<OutcomePageQuery>,
) -> Result<Response, PageError> {
    let as_of_input = query.as_of.trim().to_owned();
    let ask = OutcomeQuery {
        conference: code,
        as_of: Some(as_of_input.clone()).filter(|v| !v.is_empty()),
    }
    .to_ask(&state)?;
    let report = outcome(&state, &ask).await?;
    let conference = ask.conference;
    let lang = crate::i18n::current();
    let mut pairs = vec![("conference", conference.to_string())];
    if let Some(at) = ask.as_of {
        pairs.push(("as_of", at.to_rfc3339()));
    }
    let printed = stamp(Utc::now());
    let mut stamp_args = vec![("when", printed), ("conference", conference.to_string())];
    let stamp = match ask.as_of {
        Some(at) => {
            stamp_args.push(("moment", stamp(at)));
            lang.t_with("outcome-stamp-past", &stamp_args)
        }
        None => lang.t_with("outcome-stamp", &stamp_args),
    };
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
            href: ask
                .as_of
                .is_none()
                .then(|| format!("/pledges?{}", figure_query(&conference, f))),
        })
        .collect::<Vec<_>>();
    mark_repeated_rules(&mut figures);
    Ok(render(&OutcomePage {
        nav: Nav::of(&actor),
        conference: conference.to_string(),
        conference_name,
        stamp,
        as_of_input,
        past: ask.as_of.is_some(),
        query: format!(
            "?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        ),
        figures,
    }))
}

/// A moment as the page prints it, in UTC to the minute.
fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}
