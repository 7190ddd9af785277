//! `GET /conferences/{code}/follow-through`: the follow-through report of one conference as a
//! printable page — the figures of `/api/v1/reports/follow-through`, each rule in words — kept
//! current while open: the figures sit in a section that `board.js` fetches again when a
//! change event carries a newer data version.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use pledgeboard_domain::Category;
use pledgeboard_domain::follow_through::FollowThroughReport;
use serde::Deserialize;

use crate::i18n::{Lang, category_name, follow_through_rule, last_step_label, stage_label};

use crate::AppState;
use crate::api::reports::follow_through::{FollowThroughQuery, follow_through};
use crate::pages::error_page::PageError;
use crate::pages::filters;
use crate::pages::session::{Nav, PageUser, render};

#[derive(Template)]
#[template(path = "follow_through.html")]
struct FollowThroughPage {
    nav: Nav,
    report: FollowThroughReport,
    conference: String,
    /// The words of the page in its language (stages, last steps and rules included).
    words: Words,
    /// Stalled counts per category, the category named.
    categories: Vec<(String, u64)>,
    /// The data version the figures are of, for `board.js`.
    version: i64,
    as_of_input: String,
    /// `?conference=…&as_of=…&stalled_days=…` for the CSV, Excel and JSON links.
    query: String,
}

/// What the page says, in its language: headings with their figures, stage and milestone
/// names, and the counting rules.
struct Words {
    heading: String,
    stamp: String,
    stages_caption: String,
    stalled_heading: String,
    /// Per stage (in the report's order): its label and share.
    stages: Vec<(String, String)>,
    withdrawn_share: String,
    /// Per interval: the two stages' labels and the median.
    intervals: Vec<(String, String, String)>,
    /// Per stalled pledge: its furthest stage and its last step.
    stalled: Vec<(String, String)>,
    /// Each figure's name and rule.
    rules: Vec<(String, String)>,
}

impl Words {
    /// `name` is the conference's name in the page's language.
    fn of(report: &FollowThroughReport, name: &str, printed: &str, as_of: &str) -> Self {
        let lang = crate::i18n::current();
        let request = &report.request;
        let stamp_args = |moment: Option<&str>| {
            let mut args = vec![
                ("printed", printed.to_owned()),
                ("measured", request.measured_on.to_string()),
                ("announced", request.announced_on.to_string()),
            ];
            if let Some(m) = moment {
                args.push(("moment", m.to_owned()));
            }
            args
        };
        Self {
            heading: lang.t_with(
                "follow-heading",
                &[
                    ("name", name.to_owned()),
                    ("conference", request.conference.clone()),
                ],
            ),
            stamp: match as_of {
                "" => lang.t_with("follow-stamp-now", &stamp_args(None)),
                at => lang.t_with("follow-stamp-past", &stamp_args(Some(at))),
            },
            stages_caption: lang.t_with(
                "follow-stages-caption",
                &[("count", lang.number(&report.announced.to_string()))],
            ),
            stalled_heading: lang.t_with(
                "follow-stalled-heading",
                &[("days", request.stalled_days.to_string())],
            ),
            stages: report
                .stages
                .iter()
                .map(|s| {
                    (
                        stage_label(s.stage, lang),
                        lang.number(&s.share_pct.to_string()),
                    )
                })
                .collect(),
            withdrawn_share: lang.number(&report.withdrawn_share_pct.to_string()),
            intervals: report
                .intervals
                .iter()
                .map(|i| {
                    (
                        stage_label(i.from, lang),
                        stage_label(i.to, lang),
                        i.median_days
                            .map_or_else(|| "—".to_owned(), |d| lang.number(&d.to_string())),
                    )
                })
                .collect(),
            stalled: report
                .stalled
                .iter()
                .map(|s| {
                    (
                        stage_label(s.stage, lang),
                        last_step_label(s.last_milestone, lang),
                    )
                })
                .collect(),
            rules: report
                .rules
                .iter()
                .map(|(figure, rule)| {
                    let name = match lang {
                        Lang::En => (*figure).to_owned(),
                        _ => lang.t(&format!("follow-figure-{figure}")),
                    };
                    let rule = follow_through_rule(figure, rule, request.stalled_days, lang);
                    (name, rule)
                })
                .collect(),
        }
    }
}

/// `?as_of=` shows the follow-through as it stood; `?stalled_days=` sets the threshold.
#[derive(Deserialize)]
pub struct FollowThroughPageQuery {
    #[serde(default)]
    as_of: String,
    #[serde(default)]
    stalled_days: String,
}

/// `GET /conferences/{code}/follow-through`
pub async fn show_follow_through(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
    Path(code): Path<String>,
    Query(query): Query<FollowThroughPageQuery>,
) -> Result<Response, PageError> {
    let blank = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    let ask = FollowThroughQuery {
        conference: Some(code),
        as_of: blank(&query.as_of),
        stalled_days: blank(&query.stalled_days),
    }
    .to_ask(&state)?;
    let version = state.store.data_version().await?;
    let report = follow_through(&state, &ask).await?;
    let conference = ask.conference.code.to_string();
    let mut pairs = vec![("conference", conference.clone())];
    if let Some(at) = ask.as_of {
        pairs.push(("as_of", at.to_rfc3339()));
    }
    pairs.push(("stalled_days", ask.stalled_days.to_string()));
    let lang = crate::i18n::current();
    let printed = stamp(Utc::now());
    let as_of = ask.as_of.map(stamp).unwrap_or_default();
    let name = crate::i18n::conference_name(&state.catalog(), &conference, lang)
        .strip_suffix(&format!(" ({conference})"))
        .map_or_else(|| report.request.conference_name.clone(), str::to_owned);
    Ok(render(&FollowThroughPage {
        words: Words::of(&report, &name, &printed, &as_of),
        nav: Nav::of(&actor),
        categories: report
            .stalled_by_category
            .iter()
            .map(|(k, v)| {
                let name = k
                    .parse::<Category>()
                    .map_or_else(|_| k.clone(), |c| category_name(c, lang));
                (name, *v)
            })
            .collect(),
        query: format!(
            "?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        ),
        as_of_input: query.as_of.trim().to_owned(),
        conference,
        version,
        report,
    }))
}

/// A moment as the page prints it, in UTC to the minute.
fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}
