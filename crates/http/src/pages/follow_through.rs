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
    /// Stalled counts per category, the category named.
    categories: Vec<(String, u64)>,
    /// The data version the figures are of, for `board.js`.
    version: i64,
    as_of: String,
    as_of_input: String,
    printed: String,
    /// `?conference=…&as_of=…&stalled_days=…` for the CSV, Excel and JSON links.
    query: String,
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
    Ok(render(&FollowThroughPage {
        nav: Nav::of(&actor),
        categories: report
            .stalled_by_category
            .iter()
            .map(|(k, v)| {
                let name = k
                    .parse::<Category>()
                    .map_or_else(|_| k.clone(), |c| c.label().to_owned());
                (name, *v)
            })
            .collect(),
        query: format!(
            "?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        ),
        as_of: ask.as_of.map(stamp).unwrap_or_default(),
        as_of_input: query.as_of.trim().to_owned(),
        printed: stamp(Utc::now()),
        conference,
        version,
        report,
    }))
}

/// A moment as the page prints it, in UTC to the minute.
fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}
