//! The board: per mission, requirements met and personnel covered on a 0–100 % scale, its open
//! critical gaps by name, the grand total, and the latest pledges. `?as_of=` shows the board as
//! it stood at a past moment. The board's figures (the `#board` section) are rendered once per
//! data version and kept in the report cache; the page around them (who is signed in, the
//! picker) is rendered per request. The section carries its data version, and
//! `assets/board.js` fetches the board again only for an event of a newer version.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use chrono::{DateTime, Utc};
use pledgeboard_domain::coverage_report::MissionCoverage;
use pledgeboard_domain::mission_figures::MissionFigures;
use pledgeboard_domain::{Catalog, Priority};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::cached_answers::{Asked, not_modified, tag_at, tagged};
use crate::i18n::{self, Lang};
use crate::pages::coverage_view::{
    RequirementLine, SCALE_TICKS, bar, mission_name, page_as_of, picker_value, status_word,
};
use crate::pages::error_page::PageError;
use crate::pages::filters;
use crate::pages::session::{Nav, PageUser, render_html};
use crate::report_cache::CachedAnswer;
use crate::shared_body::body_of;
use crate::{ApiError, AppState};

/// Pledges listed under the bars.
const LATEST: u64 = 10;

struct MissionCard {
    mission: String,
    name: String,
    figures: MissionFigures,
    critical_gaps: Vec<RequirementLine>,
    personnel_bar: Decimal,
    met_bar: Decimal,
    firm_bar: Decimal,
    /// The bars in words, for screen readers.
    aria: String,
}

impl MissionCard {
    fn new(m: &MissionCoverage, catalog: &Catalog, today: chrono::NaiveDate) -> Self {
        let t = &m.totals;
        let lang = i18n::current();
        Self {
            mission: m.mission.clone(),
            name: mission_name(catalog, &m.mission, lang),
            aria: aria_words(t, lang),
            critical_gaps: m
                .requirements
                .iter()
                .filter(|r| r.priority == Priority::Critical && r.figures.gap > 0)
                .map(|r| RequirementLine::new(r, catalog, today))
                .collect(),
            personnel_bar: bar(t.covered_personnel, t.required_personnel),
            met_bar: bar(t.requirements_met, t.requirements),
            firm_bar: bar(t.requirements_firm, t.requirements),
            figures: t.clone(),
        }
    }
}

/// "personnel covered 7.4 %, requirements met 2 of 5, firm 1 of 5".
fn aria_words(t: &MissionFigures, lang: Lang) -> String {
    lang.t_with(
        "board-aria",
        &[
            ("share", lang.number(&t.personnel_coverage_pct.to_string())),
            ("count", t.requirements_met.to_string()),
            ("total", t.requirements.to_string()),
            ("target", t.requirements_firm.to_string()),
        ],
    )
}

struct LatestPledge {
    id: i64,
    member_state: String,
    pledge_ref: String,
    capability: String,
    quantity: u32,
    mission: String,
    readiness: String,
    status: String,
}

/// The board's figures: the same for every viewer at one data version.
#[derive(Template)]
#[template(path = "board_section.html")]
struct BoardSection {
    /// The data version the figures are of (read before computing them, so they are at
    /// least that recent).
    version: i64,
    missions: Vec<MissionCard>,
    totals: MissionFigures,
    latest: Vec<LatestPledge>,
    ticks: &'static [u8],
    /// When the figures were computed: "HH:MM:SS" and RFC 3339.
    updated: String,
    updated_at: String,
    /// The past moment shown, if any, in words.
    as_of: Option<String>,
}

#[derive(Template)]
#[template(path = "board.html")]
struct BoardPage {
    nav: Nav,
    /// The past moment shown, if any: in words, and as the picker's value.
    as_of: Option<String>,
    picker: String,
    /// Where the rendered [`BoardSection`] goes: [`SECTION_MARK`].
    board: &'static str,
}

/// `?as_of=` on the board.
#[derive(Debug, Default, Deserialize)]
pub struct BoardQuery {
    as_of: Option<String>,
}

fn latest_line(catalog: &Catalog, p: pledgeboard_domain::Pledge) -> LatestPledge {
    let lang = i18n::current();
    LatestPledge {
        id: p.id,
        member_state: p.member_state.to_string(),
        pledge_ref: p.pledge_ref.to_string(),
        capability: i18n::capability_name(catalog, p.capability.as_str(), lang),
        quantity: p.quantity.get(),
        mission: p
            .mission
            .map(|m| m.to_string())
            .unwrap_or_else(|| "—".into()),
        readiness: p.readiness.to_string(),
        status: status_word(p.status, lang),
    }
}

fn moment(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// `GET /`: 304 when the browser holds this board at this data version already.
pub async fn show_board(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    Query(query): Query<BoardQuery>,
) -> Result<Response, PageError> {
    let as_of = page_as_of(query.as_of.as_deref())?;
    let version = state.store.data_version().await?;
    let now: DateTime<Utc> = Utc::now();
    let nav = Nav::of(&actor);
    let asked = Asked {
        route: "board",
        query: raw.as_deref(),
        as_of,
        daily: false,
    };
    let tag = tag_at(&asked, version, now, &format!("{}|{}", nav.user, nav.role));
    if let Some(answer) = not_modified(&headers, &tag) {
        return Ok(answer);
    }
    let section = state
        .reports
        .get_or_compute(&tag.key, board_section(&state, as_of, version))
        .await?;
    let page = BoardPage {
        nav,
        as_of: as_of.map(moment),
        picker: picker_value(as_of.unwrap_or(now)),
        board: SECTION_MARK,
    };
    Ok(tagged(page_around(&page, &section.body)?, &tag))
}

/// Stands in the rendered page for the board's section, which is sent from the cache as it is.
const SECTION_MARK: &str = "<!--pledgeboard:board-section-->";

/// The page with the kept section in its place: the page around it is rendered per request,
/// the section (most of the bytes) is shared with every other request at this version rather
/// than copied into each page.
fn page_around(page: &BoardPage, section: &Bytes) -> Result<Response, ApiError> {
    let html = render_html(page)?;
    // The last mark: everything after the section is the template's own text.
    let at = html
        .rfind(SECTION_MARK)
        .ok_or_else(|| ApiError::Internal("the board page has no place for its section".into()))?;
    let html = Bytes::from(html);
    let body = body_of([
        html.slice(..at),
        section.clone(),
        html.slice(at + SECTION_MARK.len()..),
    ]);
    let mut response = Response::new(body);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Ok(response)
}

/// Computes and renders the board's figures.
async fn board_section(
    state: &AppState,
    as_of: Option<DateTime<Utc>>,
    version: i64,
) -> Result<CachedAnswer, ApiError> {
    let now: DateTime<Utc> = Utc::now();
    let report = state.store.coverage_report(None, as_of).await?;
    let catalog = state.catalog();
    let today = as_of.unwrap_or(now).date_naive();
    let mut missions: Vec<MissionCard> = report
        .missions
        .iter()
        .map(|m| MissionCard::new(m, &catalog, today))
        .collect();
    missions.sort_by(|a, b| {
        let open = |m: &MissionCard| m.figures.requirements - m.figures.requirements_met;
        (b.figures.critical_open, open(b), &a.mission).cmp(&(
            a.figures.critical_open,
            open(a),
            &b.mission,
        ))
    });
    // The latest pledges are today's news; a past board leaves them out.
    let latest = match as_of {
        Some(_) => Vec::new(),
        None => state
            .store
            .latest_pledges(LATEST)
            .await?
            .into_iter()
            .map(|p| latest_line(&catalog, p))
            .collect(),
    };
    let section = BoardSection {
        version,
        missions,
        totals: report.totals,
        latest,
        ticks: SCALE_TICKS,
        updated: now.format("%H:%M:%S").to_string(),
        updated_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        as_of: as_of.map(moment),
    };
    let html = render_html(&section)?;
    Ok(CachedAnswer {
        content_type: HeaderValue::from_static("text/html; charset=utf-8"),
        disposition: None,
        body: Bytes::from(html),
    })
}
