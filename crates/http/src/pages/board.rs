//! The board: coverage per mission as bars (required, pledged, firm), critical gaps first,
//! totals, and the latest pledges. `assets/board.js` refreshes it on every change event.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use pledgeboard_domain::coverage::coverage_pct;
use rust_decimal::Decimal;

use crate::AppState;
use crate::pages::error_page::PageError;
use crate::pages::session::{Nav, PageUser, render};

/// Width of the longest bar, in SVG units.
const BAR_WIDTH: u64 = 400;
/// Pledges listed under the bars.
const LATEST: u64 = 10;

struct MissionBars {
    mission: String,
    required: u64,
    pledged: u64,
    firm: u64,
    gap: u64,
    critical_gap: u64,
    coverage_pct: Decimal,
    required_width: u64,
    pledged_width: u64,
    firm_width: u64,
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

#[derive(Template)]
#[template(path = "board.html")]
struct BoardPage {
    nav: Nav,
    missions: Vec<MissionBars>,
    latest: Vec<LatestPledge>,
    total_required: u64,
    total_pledged: u64,
    total_firm: u64,
    total_gap: u64,
    total_pct: Decimal,
}

/// `GET /`
pub async fn show_board(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
) -> Result<Response, PageError> {
    let report = state.store.coverage_report(None, None).await?;
    let longest = report
        .missions
        .iter()
        .map(|m| m.totals.required.max(m.totals.pledged))
        .max()
        .unwrap_or(1)
        .max(1);
    let width = |n: u64| n * BAR_WIDTH / longest;
    let mut missions: Vec<MissionBars> = report
        .missions
        .iter()
        .map(|m| MissionBars {
            mission: m.mission.clone(),
            required: m.totals.required,
            pledged: m.totals.pledged,
            firm: m.totals.firm,
            gap: m.totals.gap,
            critical_gap: m
                .requirements
                .iter()
                .filter(|r| r.priority == "critical")
                .map(|r| r.figures.gap)
                .sum(),
            coverage_pct: m.totals.coverage_pct,
            required_width: width(m.totals.required),
            pledged_width: width(m.totals.pledged),
            firm_width: width(m.totals.firm),
        })
        .collect();
    missions.sort_by(|a, b| {
        (b.critical_gap, b.gap, &a.mission).cmp(&(a.critical_gap, a.gap, &b.mission))
    });
    let latest = state
        .store
        .latest_pledges(LATEST)
        .await?
        .into_iter()
        .map(|p| LatestPledge {
            id: p.id,
            member_state: p.member_state.to_string(),
            pledge_ref: p.pledge_ref.to_string(),
            capability: p.capability.to_string(),
            quantity: p.quantity.get(),
            mission: p
                .mission
                .map(|m| m.to_string())
                .unwrap_or_else(|| "—".into()),
            readiness: p.readiness.to_string(),
            status: p.status.to_string(),
        })
        .collect();
    let sum = |f: fn(&MissionBars) -> u64| missions.iter().map(f).sum::<u64>();
    let (total_required, total_pledged) = (sum(|m| m.required), sum(|m| m.pledged));
    let page = BoardPage {
        nav: Nav::of(&actor),
        total_firm: sum(|m| m.firm),
        total_gap: sum(|m| m.gap),
        total_pct: coverage_pct(total_pledged, total_required),
        total_required,
        total_pledged,
        missions,
        latest,
    };
    Ok(render(&page))
}
