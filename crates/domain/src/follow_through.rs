//! The follow-through report of one conference: of the pledges announced there, how many have
//! reached each stage (`follow_through_stage`), the median days between successive stages,
//! and which pledges have stalled. One pure function over the pledges and their milestones,
//! so that the JSON, the CSV, the workbook, the page and the CLI show one set of figures, each
//! with its counting rule in words ([`follow_through_rules`]).

use crate::message;
use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::country_report::share_pct;
use crate::follow_through_stage::{Stage, furthest_stage, stage_date};
use crate::{Category, DomainError, MilestoneKind, PledgeStatus, Readiness};

/// How long a pledge may go without a milestone before it counts as stalled, unless asked
/// otherwise: six months, the Secretariat's usual follow-up interval.
pub const DEFAULT_STALLED_DAYS: u32 = 180;
/// The longest threshold accepted: ten years, longer than any pledge has been followed.
pub const MAX_STALLED_DAYS: u32 = 3_650;

/// Reads a stalled threshold in days: a whole number from 1 to [`MAX_STALLED_DAYS`].
pub fn parse_stalled_days(text: &str) -> Result<u32, DomainError> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|d| (1..=MAX_STALLED_DAYS).contains(d))
        .ok_or_else(|| {
            DomainError::invalid(message!(
                "err-stalled-days",
                "stalled_days '{text}' is not a number of days from 1 to {max}",
                text = text.trim(),
                max = MAX_STALLED_DAYS
            ))
        })
}

/// A pledge announced at the conference, as the report reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowThroughPledge {
    pub pledge_id: i64,
    pub member_state: String,
    pub pledge_ref: String,
    pub capability: String,
    pub category: Category,
    pub readiness: Readiness,
    pub status: PledgeStatus,
    /// Its milestones (deleted ones aside): kind and date.
    pub milestones: Vec<(MilestoneKind, NaiveDate)>,
}

/// What the report is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowThroughRequest {
    pub conference: String,
    pub conference_name: String,
    /// The day the pledges count as announced: the conference's first day.
    pub announced_on: NaiveDate,
    /// The moment the pledges are taken as they stood; `None` for now.
    pub as_of: Option<DateTime<Utc>>,
    /// The day the report is measured on: `as_of`'s date, or today.
    pub measured_on: NaiveDate,
    pub stalled_days: u32,
}

/// How many pledges have reached one stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageFigure {
    pub stage: Stage,
    pub pledges: u64,
    /// Of every pledge announced, percent to one decimal.
    pub share_pct: Decimal,
}

/// The time between two successive stages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntervalFigure {
    pub from: Stage,
    pub to: Stage,
    /// The pledges with both stages dated.
    pub pledges: u64,
    /// The median of their days from one to the other; `None` when no pledge has both.
    pub median_days: Option<Decimal>,
}

/// A pledge with no milestone for longer than the threshold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StalledPledge {
    pub pledge_id: i64,
    pub member_state: String,
    pub pledge_ref: String,
    pub capability: String,
    pub category: Category,
    /// The furthest stage it has reached.
    pub stage: Stage,
    /// Its last milestone's kind, or `None` for the announcement.
    pub last_milestone: Option<MilestoneKind>,
    pub last_on: NaiveDate,
    /// Days from `last_on` to the day measured.
    pub days: i64,
}

/// The follow-through of one conference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowThroughReport {
    pub request: FollowThroughRequest,
    /// Every pledge announced, withdrawn ones included.
    pub announced: u64,
    pub withdrawn: u64,
    pub withdrawn_share_pct: Decimal,
    pub stages: Vec<StageFigure>,
    pub intervals: Vec<IntervalFigure>,
    /// Stalled pledges, the longest stalled first.
    pub stalled: Vec<StalledPledge>,
    /// Stalled pledges per member state, by code.
    pub stalled_by_state: BTreeMap<String, u64>,
    /// Stalled pledges per category key.
    pub stalled_by_category: BTreeMap<String, u64>,
    pub rules: Vec<(&'static str, String)>,
}

/// The counting rules, each with the figure it governs, in words shown with the figures.
pub fn follow_through_rules(stalled_days: u32) -> Vec<(&'static str, String)> {
    vec![
        (
            "announced",
            "Every pledge recorded with this conference, withdrawn ones included; the \
          same pledges as the pledge list filtered to the conference. Shares are of this number, \
          in percent to one decimal."
                .to_owned(),
        ),
        (
            "withdrawn",
            "Pledges withdrawn since; they are counted here and in 'announced', and in \
          no later stage."
                .to_owned(),
        ),
        (
            "stages",
            "A pledge that is not withdrawn has reached a stage when a milestone of that \
          stage or of a later one is recorded (an acknowledgement counts as the note verbale \
          received; SUR alignment or an RDL confirmation as L3 or RDL), or when its readiness or \
          status shows it: readiness L2 counts as L2, L3 or RDL as 'L3 or RDL', status deployed \
          as deployed. Reaching a stage counts as reaching every earlier one."
                .to_owned(),
        ),
        (
            "median_days",
            "For each two successive stages, the median number of days between them \
          over the pledges whose milestones date both (the announcement is dated by the \
          conference's first day); a stage reached only through a later step or the readiness has \
          no date and is left out. With an even number of pledges, the mean of the middle two."
                .to_owned(),
        ),
        (
            "stalled",
            format!(
                "A pledge neither withdrawn nor deployed whose latest milestone or \
          announcement, whichever is later, is more than {stalled_days} days before the day \
          measured. Counted per member state and per pledge category."
            ),
        ),
        (
            "as_of",
            "Pledges as they stood at that moment and the milestones recorded by then and \
          dated on or before it; without it, as they stand now, measured today (UTC)."
                .to_owned(),
        ),
    ]
}

/// The median of `days`, to one decimal; `None` for none.
fn median(mut days: Vec<i64>) -> Option<Decimal> {
    days.sort_unstable();
    let n = days.len();
    let middle = match n {
        0 => return None,
        n if n % 2 == 1 => Decimal::from(days[n / 2]),
        n => (Decimal::from(days[n / 2 - 1]) + Decimal::from(days[n / 2])) / Decimal::TWO,
    };
    let mut m = middle.round_dp_with_strategy(1, RoundingStrategy::MidpointNearestEven);
    m.rescale(1);
    Some(m)
}

/// The follow-through of `pledges` (those announced at the conference) for `request`.
/// Milestones dated after the day measured are not counted.
pub fn follow_through(
    request: FollowThroughRequest,
    pledges: &[FollowThroughPledge],
) -> FollowThroughReport {
    let announced = pledges.len() as u64;
    let on = request.measured_on;
    let live: Vec<(&FollowThroughPledge, Vec<(MilestoneKind, NaiveDate)>)> = pledges
        .iter()
        .filter(|p| p.status != PledgeStatus::Withdrawn)
        .map(|p| {
            let dated: Vec<_> = p.milestones.iter().copied().filter(|m| m.1 <= on).collect();
            (p, dated)
        })
        .collect();
    let withdrawn = announced - live.len() as u64;
    let furthest: Vec<Stage> = live
        .iter()
        .map(|(p, m)| furthest_stage(m, p.readiness, p.status))
        .collect();
    let stages = Stage::ALL
        .iter()
        .map(|&stage| {
            let reached = if stage == Stage::Announced {
                announced
            } else {
                furthest.iter().filter(|f| **f >= stage).count() as u64
            };
            StageFigure {
                stage,
                pledges: reached,
                share_pct: share_pct(reached, announced),
            }
        })
        .collect();
    let intervals = Stage::ALL
        .windows(2)
        .map(|pair| {
            let days: Vec<i64> = live
                .iter()
                .filter_map(|(_, m)| {
                    let from = stage_date(pair[0], m, request.announced_on)?;
                    let to = stage_date(pair[1], m, request.announced_on)?;
                    Some((to - from).num_days())
                })
                .collect();
            IntervalFigure {
                from: pair[0],
                to: pair[1],
                pledges: days.len() as u64,
                median_days: median(days),
            }
        })
        .collect();
    let mut stalled: Vec<StalledPledge> = live
        .iter()
        .zip(&furthest)
        .filter(|(_, stage)| **stage < Stage::Deployed)
        .filter_map(|((p, m), stage)| {
            let last = m.iter().max_by_key(|(kind, date)| (*date, *kind));
            let (last_milestone, last_on) = match last {
                Some((kind, date)) if *date >= request.announced_on => (Some(*kind), *date),
                _ => (None, request.announced_on),
            };
            let days = (on - last_on).num_days();
            (days > i64::from(request.stalled_days)).then(|| StalledPledge {
                pledge_id: p.pledge_id,
                member_state: p.member_state.clone(),
                pledge_ref: p.pledge_ref.clone(),
                capability: p.capability.clone(),
                category: p.category,
                stage: *stage,
                last_milestone,
                last_on,
                days,
            })
        })
        .collect();
    stalled.sort_by(|a, b| {
        (b.days, &a.member_state, &a.pledge_ref).cmp(&(a.days, &b.member_state, &b.pledge_ref))
    });
    let mut stalled_by_state = BTreeMap::new();
    let mut stalled_by_category = BTreeMap::new();
    for s in &stalled {
        *stalled_by_state.entry(s.member_state.clone()).or_insert(0) += 1;
        *stalled_by_category
            .entry(s.category.as_str().to_owned())
            .or_insert(0) += 1;
    }
    FollowThroughReport {
        rules: follow_through_rules(request.stalled_days),
        request,
        announced,
        withdrawn,
        withdrawn_share_pct: share_pct(withdrawn, announced),
        stages,
        intervals,
        stalled,
        stalled_by_state,
        stalled_by_category,
    }
}

/// The columns of the report's CSV: one row per figure, its section naming which.
pub const FOLLOW_THROUGH_CSV_COLUMNS: [&str; 8] = [
    "section",
    "item",
    "label",
    "pledges",
    "share_pct",
    "median_days",
    "last_on",
    "days_stalled",
];

/// What the `label` of a CSV row names, for a reader to word it in its own language
/// ([`RowLabel::english`] is the CSV's English).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowLabel<'a> {
    Withdrawn,
    Stage(Stage),
    /// From one stage to the next.
    Interval(Stage, Stage),
    /// A stalled pledge's last step: its latest milestone, or the announcement.
    LastStep(Option<MilestoneKind>),
    Stalled,
    /// A member state, by code.
    State(&'a str),
    /// A pledge category, by key.
    Category(&'a str),
}

impl RowLabel<'_> {
    /// The label in English, as the CSV writes it.
    pub fn english(&self) -> String {
        match self {
            Self::Withdrawn => "Withdrawn".into(),
            Self::Stage(s) => s.label().into(),
            Self::Interval(from, to) => format!("{} → {}", from.label(), to.label()),
            Self::LastStep(kind) => kind.map_or("Announced", |k| k.label()).into(),
            Self::Stalled => "Stalled pledges".into(),
            Self::State(code) => (*code).to_owned(),
            Self::Category(key) => key
                .parse::<Category>()
                .map_or_else(|_| (*key).to_owned(), |c| c.label().to_owned()),
        }
    }
}

/// The report as CSV rows: the announcement and withdrawals, each stage, each interval, each
/// stalled pledge, then the stalled counts per state and per category.
pub fn follow_through_csv_rows(r: &FollowThroughReport) -> Vec<[String; 8]> {
    follow_through_csv_rows_worded(r, &|label| label.english())
}

/// [`follow_through_csv_rows`] with each label worded by `word` (the figures are the same).
pub fn follow_through_csv_rows_worded(
    r: &FollowThroughReport,
    word: &dyn Fn(RowLabel<'_>) -> String,
) -> Vec<[String; 8]> {
    let row = |section: &str, item: String, label: String, pledges: u64| {
        [
            section.to_owned(),
            item,
            label,
            pledges.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]
    };
    let mut rows = Vec::new();
    let mut w = row(
        "withdrawn",
        "withdrawn".into(),
        word(RowLabel::Withdrawn),
        r.withdrawn,
    );
    w[4] = r.withdrawn_share_pct.to_string();
    for s in &r.stages {
        let mut line = row(
            "stage",
            s.stage.as_str().into(),
            word(RowLabel::Stage(s.stage)),
            s.pledges,
        );
        line[4] = s.share_pct.to_string();
        rows.push(line);
    }
    rows.push(w);
    for i in &r.intervals {
        let mut line = row(
            "interval",
            format!("{}-{}", i.from, i.to),
            word(RowLabel::Interval(i.from, i.to)),
            i.pledges,
        );
        line[5] = i.median_days.map(|d| d.to_string()).unwrap_or_default();
        rows.push(line);
    }
    for s in &r.stalled {
        let mut line = row(
            "stalled_pledge",
            format!("{}:{}", s.member_state, s.pledge_ref),
            word(RowLabel::LastStep(s.last_milestone)),
            1,
        );
        line[6] = s.last_on.to_string();
        line[7] = s.days.to_string();
        rows.push(line);
    }
    rows.push(row(
        "stalled",
        "all".into(),
        word(RowLabel::Stalled),
        r.stalled.len() as u64,
    ));
    for (state, n) in &r.stalled_by_state {
        rows.push(row(
            "stalled_by_state",
            state.clone(),
            word(RowLabel::State(state)),
            *n,
        ));
    }
    for (category, n) in &r.stalled_by_category {
        rows.push(row(
            "stalled_by_category",
            category.clone(),
            word(RowLabel::Category(category)),
            *n,
        ));
    }
    rows
}

#[cfg(test)]
#[path = "follow_through_tests.rs"]
mod tests;
