//! The confirmation slip a delegation takes from the room: one A4 page listing everything
//! recorded for its member state at a conference, the totals, when the secretariat recorded
//! it, and a place to sign or mark corrections. `/countries/{iso3}/slip` prints one state's,
//! `/conferences/{code}/slips` every pledging state's, each on its own page. Built from the
//! country summary and the country page's pledge lines, so the figures cannot differ from
//! `/countries/{iso3}`; in English, French, or both (`?lang=en,fr`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use std::collections::HashSet;

use pledgeboard_domain::lineage::LineageState;
use pledgeboard_domain::{Catalog, MemberStateCode, Pledge};
use pledgeboard_store::{CountryFilter, PledgeFilter};
use serde::Deserialize;

use crate::i18n::{self, Lang};
use crate::pages::error_page::PageError;
use crate::pages::filters;
use crate::pages::session::{Nav, PageUser, render};
use crate::{ApiError, AppState};

/// The languages a slip is written in, each label given in every one of them.
struct Words {
    langs: Vec<Lang>,
}

impl Words {
    /// `?lang=en`, `fr` or `en,fr`; else the page's language.
    fn asked(lang: Option<&str>) -> Self {
        let mut langs: Vec<Lang> = lang
            .unwrap_or_default()
            .split(',')
            .filter_map(Lang::parse)
            .collect();
        langs.dedup();
        if langs.is_empty() {
            langs.push(i18n::current());
        }
        Self { langs }
    }

    /// The message `key` in every language of the slip, " / " between them.
    fn t(&self, key: &str) -> String {
        self.join(|lang| lang.t(key))
    }

    fn join(&self, word: impl Fn(Lang) -> String) -> String {
        let mut said: Vec<String> = Vec::new();
        for lang in &self.langs {
            let w = word(*lang);
            if !said.contains(&w) {
                said.push(w);
            }
        }
        said.join(" / ")
    }

    /// The first language: the one numbers and the page itself are written in.
    fn main(&self) -> Lang {
        self.langs.first().copied().unwrap_or_default()
    }

    /// A count or amount in the slip's first language.
    fn number(&self, n: impl ToString) -> String {
        self.main().number(&n.to_string())
    }
}

/// One pledge line of a slip.
struct SlipLine {
    reference: String,
    capability_name: String,
    capability_code: String,
    quantity: String,
    personnel: String,
    estimated: bool,
    women: String,
    readiness: String,
    mission: Option<String>,
    caveats: String,
    status: String,
    /// Withdrawn, or superseded by a later pledge: listed, struck through, not counted.
    withdrawn: bool,
}

/// One delegation's slip.
struct Slip {
    member_state: String,
    name: String,
    lines: Vec<SlipLine>,
    pledges: String,
    quantity: String,
    personnel: String,
    women: String,
    women_share: String,
    recorded: String,
}

#[derive(Template)]
#[template(path = "slip.html")]
struct SlipPage {
    nav: Nav,
    w: Words,
    title: String,
    conference: String,
    slips: Vec<Slip>,
}

/// `?conference=CODE&lang=en|fr|en,fr`
#[derive(Deserialize)]
pub struct SlipQuery {
    #[serde(default)]
    conference: String,
    lang: Option<String>,
}

/// `GET /countries/{iso3}/slip`
pub async fn show_slip(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
    Path(iso3): Path<String>,
    Query(query): Query<SlipQuery>,
) -> Result<Response, PageError> {
    let catalog = state.catalog();
    let member = catalog
        .member_state(&iso3)
        .map_err(|e| ApiError::invalid_field("member state", &iso3, e))?
        .code
        .clone();
    let conference = given_conference(&catalog, &query.conference)?;
    let w = Words::asked(query.lang.as_deref());
    let filter = CountryFilter {
        conference: conference.clone(),
        as_of: None,
    };
    let slip = slip_of(&state, &catalog, &member, &filter, &w, Utc::now()).await?;
    Ok(render(&SlipPage {
        nav: Nav::of(&actor),
        title: w.t("slip-title"),
        conference: conference_words(&catalog, conference.as_ref(), &w),
        slips: vec![slip],
        w,
    }))
}

/// `GET /conferences/{code}/slips`: every delegation that pledged there, a page each.
pub async fn show_conference_slips(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
    Path(code): Path<String>,
    Query(query): Query<SlipQuery>,
) -> Result<Response, PageError> {
    let catalog = state.catalog();
    let conference = given_conference(&catalog, &code)?;
    let w = Words::asked(query.lang.as_deref());
    let filter = CountryFilter {
        conference: conference.clone(),
        as_of: None,
    };
    let now = Utc::now();
    let states = state
        .store
        .countries_report(&catalog, &filter, now.date_naive())
        .await?;
    let mut slips = Vec::with_capacity(states.rows.len());
    for row in &states.rows {
        let member = catalog
            .member_state(&row.member_state)
            .map_err(|e| ApiError::Internal(e.to_string()))?
            .code
            .clone();
        slips.push(slip_of(&state, &catalog, &member, &filter, &w, now).await?);
    }
    Ok(render(&SlipPage {
        nav: Nav::of(&actor),
        title: w.t("slip-title-all"),
        conference: conference_words(&catalog, conference.as_ref(), &w),
        slips,
        w,
    }))
}

fn given_conference(
    catalog: &Catalog,
    code: &str,
) -> Result<Option<pledgeboard_domain::ConferenceCode>, ApiError> {
    let code = code.trim();
    if code.is_empty() {
        return Ok(None);
    }
    catalog
        .conference(code)
        .map(|c| Some(c.code.clone()))
        .map_err(|e| ApiError::invalid_field("conference", code, e))
}

fn conference_words(
    catalog: &Catalog,
    code: Option<&pledgeboard_domain::ConferenceCode>,
    w: &Words,
) -> String {
    match code {
        Some(c) => w.join(|lang| i18n::conference_name(catalog, c.as_str(), lang)),
        None => w.t("slip-every-conference"),
    }
}

/// Every pledge recorded for `member` under `filter`'s conference, as `GET /api/v1/pledges`
/// lists them (withdrawn and superseded ones too), and the ids of those superseded since.
async fn recorded(
    state: &AppState,
    member: &MemberStateCode,
    filter: &CountryFilter,
) -> Result<(Vec<Pledge>, HashSet<i64>), ApiError> {
    let asked = PledgeFilter {
        member_state: Some(member.clone()),
        conference: filter.conference.clone(),
        ..PledgeFilter::default()
    };
    let mut pledges = Vec::new();
    let mut pages = state.store.pledge_pages(&asked);
    while let Some(page) = pages.next_page().await? {
        pledges.extend(page);
    }
    let mut superseded = HashSet::new();
    let mut pages = state.store.pledge_pages(&PledgeFilter {
        lineage: Some(LineageState::Superseded),
        ..asked
    });
    while let Some(page) = pages.next_page().await? {
        superseded.extend(page.iter().map(|p| p.id));
    }
    Ok((pledges, superseded))
}

async fn slip_of(
    state: &AppState,
    catalog: &Catalog,
    member: &MemberStateCode,
    filter: &CountryFilter,
    w: &Words,
    now: DateTime<Utc>,
) -> Result<Slip, ApiError> {
    let summary = state
        .store
        .country_summary(catalog, member, filter, now.date_naive())
        .await?;
    let (pledges, superseded) = recorded(state, member, filter).await?;
    let row = &summary.row;
    let code = member.as_str();
    Ok(Slip {
        member_state: code.to_owned(),
        name: w.join(|lang| i18n::member_state_name(catalog, code, lang)),
        lines: pledges
            .iter()
            .map(|p| slip_line(catalog, p, superseded.contains(&p.id), w))
            .collect(),
        pledges: w.number(row.pledges),
        quantity: w.number(row.quantity),
        personnel: w.number(row.personnel),
        women: w.number(row.female_personnel),
        women_share: format!("{} %", w.number(row.female_share_pct)),
        recorded: w.join(|lang| {
            lang.t_with(
                "slip-recorded",
                &[
                    ("date", lang.long_date(now.date_naive())),
                    ("time", now.format("%H:%M UTC").to_string()),
                ],
            )
        }),
    })
}

fn slip_line(catalog: &Catalog, pledge: &Pledge, superseded: bool, w: &Words) -> SlipLine {
    let code = pledge.capability.as_str();
    let names = w.join(|lang| {
        let named = i18n::capability_name(catalog, code, lang);
        named
            .strip_suffix(&format!(" ({code})"))
            .map_or(named.clone(), str::to_owned)
    });
    let withdrawn = !pledge.status.is_active();
    let status = w.t(&format!("status-{}", pledge.status));
    SlipLine {
        reference: pledge.pledge_ref.to_string(),
        capability_name: names,
        capability_code: code.to_owned(),
        quantity: w.number(pledge.quantity.get()),
        personnel: w.number(pledge.personnel.total()),
        estimated: pledge.personnel.is_estimated(),
        women: w.number(pledge.personnel.women()),
        readiness: pledge.readiness.to_string(),
        mission: pledge.mission.as_ref().map(ToString::to_string),
        caveats: pledge.caveats.clone().unwrap_or_default(),
        status: if superseded {
            format!("{status} ({})", w.t("slip-superseded"))
        } else {
            status
        },
        withdrawn: withdrawn || superseded,
    }
}
