//! `/missions/{acronym}`: one mission's requirements row by row (names, priority, required,
//! pledged, firm, in time, gap, needed-by, a bar), the pledges earmarked for it, and the
//! unearmarked pledges the allocation plan proposes for its gaps.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;
use pledgeboard_domain::mission_figures::MissionFigures;
use pledgeboard_domain::{Catalog, MissionAcronym, Pledge, PledgeStatus};
use pledgeboard_store::PledgeFilter;

use crate::i18n::{self, Lang};
use crate::pages::coverage_view::{
    NARROW_SCALE_TICKS, RequirementLine, mission_name, mission_place, status_word,
};
use crate::pages::error_page::PageError;
use crate::pages::filters;
use crate::pages::session::{Nav, PageUser, render};
use crate::{ApiError, AppState};

/// Pledges read per page of the earmarked list.
const PAGE: u64 = 500;

/// A pledge as the mission page lists it.
struct PledgeLine {
    id: i64,
    member_state: String,
    pledge_ref: String,
    capability: String,
    quantity: u32,
    personnel: u32,
    readiness: String,
    status: String,
    available_from: String,
}

impl PledgeLine {
    fn new(p: &Pledge, catalog: &Catalog, lang: Lang) -> Self {
        Self {
            id: p.id,
            member_state: p.member_state.to_string(),
            pledge_ref: p.pledge_ref.to_string(),
            capability: i18n::capability_name(catalog, p.capability.as_str(), lang),
            quantity: p.quantity.get(),
            personnel: p.personnel.total(),
            readiness: p.readiness.to_string(),
            status: status_word(p.status, lang),
            available_from: p
                .available_from
                .map(|d| d.to_string())
                .unwrap_or_else(|| "—".into()),
        }
    }
}

/// One proposal of the allocation plan for this mission.
struct ProposalLine {
    for_capability: String,
    quantity: u64,
    in_time: bool,
    pledge: PledgeLine,
}

#[derive(Template)]
#[template(path = "mission.html")]
struct MissionPage {
    nav: Nav,
    acronym: String,
    name: String,
    location: String,
    today: String,
    totals: Option<MissionFigures>,
    requirements: Vec<RequirementLine>,
    earmarked: Vec<PledgeLine>,
    withdrawn: usize,
    /// "2 withdrawn pledges earmarked for … are not listed; …".
    withdrawn_words: String,
    proposals: Vec<ProposalLine>,
    unfilled: Vec<(String, u64)>,
    ticks: &'static [u8],
}

/// Every pledge earmarked for the mission, page after page.
async fn earmarked(state: &AppState, mission: &MissionAcronym) -> Result<Vec<Pledge>, PageError> {
    let mut all = Vec::new();
    let mut after_id = None;
    loop {
        let filter = PledgeFilter {
            mission: Some(mission.clone()),
            limit: PAGE,
            after_id,
            ..PledgeFilter::default()
        };
        let page = state.store.list_pledges(&filter).await?;
        all.extend(page.items);
        match page.next_after_id {
            Some(id) => after_id = Some(id),
            None => return Ok(all),
        }
    }
}

/// The pledges grouped by capability, then by state and reference.
fn by_capability(mut lines: Vec<PledgeLine>) -> Vec<PledgeLine> {
    lines.sort_by(|a, b| {
        (&a.capability, &a.member_state, &a.pledge_ref).cmp(&(
            &b.capability,
            &b.member_state,
            &b.pledge_ref,
        ))
    });
    lines
}

/// `GET /missions/{acronym}`
pub async fn show_mission(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
    Path(acronym): Path<String>,
) -> Result<Response, PageError> {
    let catalog = state.catalog();
    let lang = i18n::current();
    let mission = catalog
        .mission(&acronym)
        .map_err(|e| match lang {
            Lang::En => ApiError::NotFound(e.to_string().into()),
            Lang::Fr => ApiError::NotFound(
                lang.t_with("mission-unknown", &[("mission", acronym.clone())])
                    .into(),
            ),
        })?
        .clone();
    let today = Utc::now().date_naive();
    let report = state
        .store
        .coverage_report(Some(&mission.acronym), None)
        .await?;
    let coverage = report
        .missions
        .iter()
        .find(|m| m.mission == mission.acronym.as_str());
    let requirements = coverage
        .map(|m| {
            m.requirements
                .iter()
                .map(|r| RequirementLine::new(r, &catalog, today))
                .collect()
        })
        .unwrap_or_default();
    let pledges = earmarked(&state, &mission.acronym).await?;
    let withdrawn = pledges
        .iter()
        .filter(|p| p.status == PledgeStatus::Withdrawn)
        .count();
    let (plan, gaps, _) = state.store.allocation_plan().await?;
    let plan = plan.for_mission(&gaps, &mission.acronym);
    let label_of = |requirement_id: i64| {
        gaps.iter()
            .find(|g| g.requirement_id == requirement_id)
            .map(|g| i18n::capability_name(&catalog, g.capability.as_str(), lang))
            .unwrap_or_default()
    };
    let mut proposals = Vec::new();
    for line in &plan.lines {
        let pledge = state.store.find_pledge(line.pledge_id).await?;
        proposals.push(ProposalLine {
            for_capability: label_of(line.requirement_id),
            quantity: line.quantity,
            in_time: line.in_time,
            pledge: PledgeLine::new(&pledge, &catalog, lang),
        });
    }
    let page = MissionPage {
        nav: Nav::of(&actor),
        acronym: mission.acronym.to_string(),
        name: mission_name(&catalog, mission.acronym.as_str(), lang),
        location: mission_place(&catalog, mission.acronym.as_str(), lang),
        today: today.to_string(),
        totals: coverage.map(|m| m.totals.clone()),
        requirements,
        earmarked: by_capability(
            pledges
                .iter()
                .filter(|p| p.status != PledgeStatus::Withdrawn)
                .map(|p| PledgeLine::new(p, &catalog, lang))
                .collect(),
        ),
        withdrawn,
        withdrawn_words: lang.t_count(
            "mission-withdrawn",
            withdrawn as u64,
            &[("mission", mission.acronym.to_string())],
        ),
        proposals,
        unfilled: plan
            .unfilled
            .iter()
            .map(|u| (label_of(u.requirement_id), u.remaining))
            .collect(),
        ticks: NARROW_SCALE_TICKS,
    };
    Ok(render(&page))
}
