//! The outcome of a conference ("Chair's summary"): what the pledges announced there add up
//! to, each figure with its counting rule in words.
//!
//! One pure function over the conference's pledges (each with the pledge it supersedes), so
//! that the JSON, CSV, page and CLI render one structure.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::country_report::share_pct;
use crate::lineage::{LineageClass, classify};
use crate::{Catalog, Category, ConferenceCode, MemberStateCode, Pledge, PledgeStatus};
use crate::{UnitOfMeasure, capability::Capability};

/// A pledge of the conference with the earlier pledge it supersedes, if any.
#[derive(Debug, Clone, Copy)]
pub struct OutcomePledge<'a> {
    pub pledge: &'a Pledge,
    pub predecessor: Option<&'a Pledge>,
    /// Whether a later pledge supersedes it.
    pub superseded: bool,
}

/// Distinct states and pledges of one pledge category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryOutcome {
    pub category: Category,
    pub states: u64,
    pub pledges: u64,
}

/// Pledges of each lineage class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LineageCounts {
    pub new: u64,
    pub reaffirmed: u64,
    pub upgraded: u64,
}

/// The figures of one conference's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeReport {
    pub conference: ConferenceCode,
    /// The moment the pledges were read as they stood; `None` for now.
    pub as_of: Option<DateTime<Utc>>,
    /// Pledges counted (announced there and not withdrawn).
    pub pledges: u64,
    /// Pledges announced there and since withdrawn: counted apart, in no other figure.
    pub withdrawn: u64,
    pub states: u64,
    /// Every category with at least one pledge, in the domain's category order.
    pub categories: Vec<CategoryOutcome>,
    pub formed_units: u64,
    pub personnel: u64,
    pub women: u64,
    /// Women's share of personnel, percent to one decimal.
    pub women_share_pct: Decimal,
    pub lineage: LineageCounts,
    pub joint_pledges: u64,
    /// Distinct states in the joint pledges, leads and partners alike.
    pub joint_states: u64,
    pub earmarked: u64,
    pub unearmarked: u64,
    /// Pledges of this conference superseded since by a later pledge: still counted here.
    pub superseded_since: u64,
}

/// The counting rules, by figure, in words: what the JSON's `rules` and the page show.
pub const RULES: [(&str, &str); 13] = [
    (
        "pledges",
        "Pledges whose conference is this one and whose status is not withdrawn. Pledges \
         superseded since by a pledge of a later conference still count here.",
    ),
    (
        "withdrawn",
        "Pledges announced at this conference and withdrawn since; they count in no other figure.",
    ),
    (
        "states",
        "Distinct member states leading at least one counted pledge; partners of joint pledges \
         are counted under joint pledges only.",
    ),
    (
        "categories",
        "For each pledge category: the distinct member states leading a counted pledge of it, \
         and the number of those pledges.",
    ),
    (
        "formed_units",
        "The sum of the quantities of counted military-unit and formed-police pledges whose \
         capability is measured in units; individual police officers are not units.",
    ),
    (
        "personnel",
        "The sum of the personnel of counted pledges, estimates included (a capability's \
         standard size times the quantity when no figure was stated).",
    ),
    (
        "women",
        "The sum of the female personnel of counted pledges; the share is women over personnel, \
         in percent to one decimal place (half-even), 0.0 without personnel.",
    ),
    ("new", "Counted pledges that supersede no earlier pledge."),
    (
        "reaffirmed",
        "Counted pledges that supersede an earlier pledge of the same capability, with no more \
         quantity and no higher readiness level.",
    ),
    (
        "upgraded",
        "Counted pledges that supersede an earlier pledge with more quantity, a higher readiness \
         level, or another capability.",
    ),
    (
        "joint_pledges",
        "Counted pledges with at least one partner state; their states are the distinct leads \
         and partners of those pledges.",
    ),
    (
        "superseded_since",
        "Counted pledges that a later pledge of the same state has superseded since; they stay \
         in this conference's figures but count toward no current figure.",
    ),
    (
        "earmarked",
        "Counted pledges earmarked for a mission, and those offered to no particular mission \
         (unearmarked).",
    ),
];

/// Whether a capability's pledges are formed units counted by their quantity.
fn is_formed_unit(capability: Option<&Capability>, category: Category) -> bool {
    matches!(category, Category::Unit | Category::Police)
        && capability.is_some_and(|c| c.unit_of_measure == UnitOfMeasure::Units)
}

/// The outcome of `conference` from its pledges (any status; other conferences' pledges are
/// left out) as they stand now, or stood at `as_of`.
pub fn outcome_report(
    conference: &ConferenceCode,
    as_of: Option<DateTime<Utc>>,
    pledges: &[OutcomePledge<'_>],
    catalog: &Catalog,
) -> OutcomeReport {
    let mut report = OutcomeReport {
        conference: conference.clone(),
        as_of,
        pledges: 0,
        withdrawn: 0,
        states: 0,
        categories: Vec::new(),
        formed_units: 0,
        personnel: 0,
        women: 0,
        women_share_pct: Decimal::ZERO,
        lineage: LineageCounts::default(),
        joint_pledges: 0,
        joint_states: 0,
        earmarked: 0,
        unearmarked: 0,
        superseded_since: 0,
    };
    let mut states: BTreeSet<&MemberStateCode> = BTreeSet::new();
    let mut joint_states: BTreeSet<&MemberStateCode> = BTreeSet::new();
    let mut by_category: BTreeMap<Category, (BTreeSet<&MemberStateCode>, u64)> = BTreeMap::new();
    for OutcomePledge {
        pledge: p,
        predecessor,
        superseded,
    } in pledges
        .iter()
        .filter(|o| o.pledge.conference.as_ref() == Some(conference))
    {
        if p.status == PledgeStatus::Withdrawn {
            report.withdrawn += 1;
            continue;
        }
        report.pledges += 1;
        states.insert(&p.member_state);
        let entry = by_category.entry(p.category).or_default();
        entry.0.insert(&p.member_state);
        entry.1 += 1;
        let capability = catalog.capability(p.capability.as_str()).ok();
        if is_formed_unit(capability, p.category) {
            report.formed_units += u64::from(p.quantity.get());
        }
        report.personnel += u64::from(p.personnel.total());
        report.women += u64::from(p.personnel.women());
        match classify(p, *predecessor) {
            LineageClass::New => report.lineage.new += 1,
            LineageClass::Reaffirmed => report.lineage.reaffirmed += 1,
            LineageClass::Upgraded => report.lineage.upgraded += 1,
        }
        if !p.partners.is_empty() {
            report.joint_pledges += 1;
            joint_states.insert(&p.member_state);
            joint_states.extend(p.partners.iter().map(|partner| &partner.member_state));
        }
        if *superseded {
            report.superseded_since += 1;
        }
        if p.mission.is_some() {
            report.earmarked += 1;
        } else {
            report.unearmarked += 1;
        }
    }
    report.states = states.len() as u64;
    report.joint_states = joint_states.len() as u64;
    report.women_share_pct = share_pct(report.women, report.personnel);
    report.categories = Category::ALL
        .iter()
        .filter_map(|c| {
            by_category.get(c).map(|(states, pledges)| CategoryOutcome {
                category: *c,
                states: states.len() as u64,
                pledges: *pledges,
            })
        })
        .collect();
    report
}

/// One figure of the outcome as a line: its name, value, counting rule and the pledge-list
/// filters that give the pledges it counts. JSON's `lists`, the CSV, the page and the CLI
/// are all made from these lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeFigure {
    /// `states`, `category.unit.pledges`, `reaffirmed`, …
    pub name: String,
    pub value: String,
    pub rule: &'static str,
    /// Pledge-list filters (besides the conference) that list the pledges counted.
    pub filters: Vec<(&'static str, String)>,
}

/// The columns of the outcome CSV.
pub const OUTCOME_CSV_COLUMNS: [&str; 4] = ["figure", "value", "rule", "pledge_filters"];

/// The rule of a figure, by its key in [`RULES`].
pub fn rule(figure: &str) -> &'static str {
    RULES
        .iter()
        .find(|(name, _)| *name == figure)
        .map_or("", |(_, rule)| rule)
}

/// Every figure of `report` as a line, in the report's order.
pub fn outcome_figures(report: &OutcomeReport) -> Vec<OutcomeFigure> {
    let active = || ("withdrawn", "false".to_owned());
    let line =
        |name: &str, value: String, rule_of: &str, mut filters: Vec<(&'static str, String)>| {
            if !filters.iter().any(|(f, _)| *f == "withdrawn") {
                filters.push(active());
            }
            OutcomeFigure {
                name: name.to_owned(),
                value,
                rule: rule(rule_of),
                filters,
            }
        };
    let mut lines = vec![
        line("pledges", report.pledges.to_string(), "pledges", vec![]),
        line(
            "withdrawn",
            report.withdrawn.to_string(),
            "withdrawn",
            vec![("withdrawn", "true".into())],
        ),
        line("states", report.states.to_string(), "states", vec![]),
    ];
    for c in &report.categories {
        let filter = || vec![("category", c.category.to_string())];
        lines.push(line(
            &format!("category.{}.states", c.category),
            c.states.to_string(),
            "categories",
            filter(),
        ));
        lines.push(line(
            &format!("category.{}.pledges", c.category),
            c.pledges.to_string(),
            "categories",
            filter(),
        ));
    }
    lines.extend([
        line(
            "formed_units",
            report.formed_units.to_string(),
            "formed_units",
            vec![("formed_units", "true".into())],
        ),
        line(
            "personnel",
            report.personnel.to_string(),
            "personnel",
            vec![],
        ),
        line("women", report.women.to_string(), "women", vec![]),
        line(
            "women_share_pct",
            report.women_share_pct.to_string(),
            "women",
            vec![],
        ),
        line(
            "new",
            report.lineage.new.to_string(),
            "new",
            vec![("class", "new".into())],
        ),
        line(
            "reaffirmed",
            report.lineage.reaffirmed.to_string(),
            "reaffirmed",
            vec![("class", "reaffirmed".into())],
        ),
        line(
            "upgraded",
            report.lineage.upgraded.to_string(),
            "upgraded",
            vec![("class", "upgraded".into())],
        ),
        line(
            "joint_pledges",
            report.joint_pledges.to_string(),
            "joint_pledges",
            vec![("joint", "true".into())],
        ),
        line(
            "joint_states",
            report.joint_states.to_string(),
            "joint_pledges",
            vec![("joint", "true".into())],
        ),
        line(
            "earmarked",
            report.earmarked.to_string(),
            "earmarked",
            vec![("earmarked", "true".into())],
        ),
        line(
            "unearmarked",
            report.unearmarked.to_string(),
            "earmarked",
            vec![("earmarked", "false".into())],
        ),
        line(
            "superseded_since",
            report.superseded_since.to_string(),
            "superseded_since",
            vec![("lineage", "superseded".into())],
        ),
    ]);
    lines
}

/// The pledge-list query string of a figure: the conference and the figure's filters.
pub fn figure_query(conference: &ConferenceCode, figure: &OutcomeFigure) -> String {
    std::iter::once(("conference", conference.to_string()))
        .chain(figure.filters.iter().cloned())
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The outcome as CSV rows in [`OUTCOME_CSV_COLUMNS`] order.
pub fn outcome_csv_rows(report: &OutcomeReport) -> Vec<[String; 4]> {
    outcome_figures(report)
        .into_iter()
        .map(|f| {
            let query = figure_query(&report.conference, &f);
            [f.name, f.value, f.rule.to_owned(), query]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pledge_draft::PledgeDraft;
    use crate::{Partner, Quantity, Readiness};

    fn catalog() -> Catalog {
        let capabilities = crate::reference_csv::parse_capabilities(include_str!(
            "../../../fixtures/capabilities.csv"
        ))
        .unwrap();
        Catalog::new(
            crate::MemberStates::load(),
            capabilities,
            vec![],
            vec![],
            vec![],
        )
    }

    fn isb() -> ConferenceCode {
        ConferenceCode::parse("ISB-2023").unwrap()
    }

    fn pledge(id: i64, state: &str, capability: &str, quantity: i64) -> Pledge {
        let catalog = catalog();
        let draft = PledgeDraft {
            pledge_ref: format!("P-{id}"),
            member_state: state.into(),
            capability: capability.into(),
            quantity: Some(quantity),
            ..PledgeDraft::default()
        };
        let new = draft.validate(&catalog).unwrap();
        let at = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        Pledge {
            id,
            pledge_ref: new.pledge_ref,
            member_state: new.member_state,
            capability: new.capability.clone(),
            category: catalog
                .capability(new.capability.as_str())
                .unwrap()
                .category,
            quantity: new.quantity,
            personnel: new.personnel,
            readiness: Readiness::L1,
            available_from: None,
            duration_months: None,
            mission: None,
            conference: Some(isb()),
            status: PledgeStatus::Pledged,
            caveats: None,
            monthly_cost_usd: None,
            partners: vec![],
            equipment: vec![],
            notes: None,
            registered_on: at.date_naive(),
            renewed_on: None,
            supersedes: None,
            version: 1,
            created_at: at,
            updated_at: at,
            updated_by: "test".into(),
        }
    }

    fn of(pledges: &[Pledge]) -> Vec<OutcomePledge<'_>> {
        pledges
            .iter()
            .map(|pledge| OutcomePledge {
                pledge,
                predecessor: None,
                superseded: false,
            })
            .collect()
    }

    #[test]
    fn states_are_counted_once_and_per_category() {
        let pledges = [
            pledge(1, "PAK", "INF-BN", 1),
            pledge(2, "PAK", "ENG-COY", 2),
            pledge(3, "BGD", "INF-BN", 1),
        ];
        let report = outcome_report(&isb(), None, &of(&pledges), &catalog());
        assert_eq!(report.pledges, 3);
        assert_eq!(report.states, 2);
        assert_eq!(
            report.categories,
            vec![CategoryOutcome {
                category: Category::Unit,
                states: 2,
                pledges: 3
            }]
        );
        assert_eq!(report.formed_units, 4);
    }

    #[test]
    fn withdrawn_pledges_and_other_conferences_are_left_out() {
        let mut withdrawn = pledge(1, "PAK", "INF-BN", 1);
        withdrawn.status = PledgeStatus::Withdrawn;
        let mut elsewhere = pledge(2, "BGD", "INF-BN", 1);
        elsewhere.conference = Some(ConferenceCode::parse("ACC-2023").unwrap());
        let pledges = [withdrawn, elsewhere, pledge(3, "NPL", "INF-BN", 1)];
        let report = outcome_report(&isb(), None, &of(&pledges), &catalog());
        assert_eq!((report.pledges, report.withdrawn, report.states), (1, 1, 1));
    }

    #[test]
    fn individual_officers_are_not_formed_units() {
        let individual = catalog()
            .capabilities()
            .find(|c| c.category == Category::Police && c.unit_of_measure != UnitOfMeasure::Units)
            .map(|c| c.code.to_string())
            .unwrap();
        let pledges = [pledge(1, "PAK", &individual, 40)];
        let report = outcome_report(&isb(), None, &of(&pledges), &catalog());
        assert_eq!(report.formed_units, 0);
    }

    #[test]
    fn lineage_joint_and_earmarking_are_counted() {
        let before = pledge(9, "PAK", "INF-BN", 1);
        let mut upgraded = pledge(1, "PAK", "INF-BN", 2);
        upgraded.supersedes = Some(before.pledge_ref.clone());
        let mut joint = pledge(2, "BGD", "INF-BN", 1);
        joint.partners = vec!["JPN:equips".parse::<Partner>().unwrap()];
        joint.mission = Some(crate::MissionAcronym::parse("UNMISS").unwrap());
        let mut reaffirmed = pledge(3, "NPL", "INF-BN", 1);
        reaffirmed.quantity = Quantity::new(1).unwrap();
        let pledges = [upgraded, joint, reaffirmed];
        let mut list = of(&pledges);
        list[0].predecessor = Some(&before);
        list[2].predecessor = Some(&before);
        list[2].superseded = true;
        let report = outcome_report(&isb(), None, &list, &catalog());
        assert_eq!(
            report.lineage,
            LineageCounts {
                new: 1,
                reaffirmed: 1,
                upgraded: 1
            }
        );
        assert_eq!((report.joint_pledges, report.joint_states), (1, 2));
        assert_eq!((report.earmarked, report.unearmarked), (1, 2));
        assert_eq!(report.superseded_since, 1);
    }

    #[test]
    fn the_womens_share_has_one_decimal() {
        let mut p = pledge(1, "PAK", "INF-BN", 1);
        p.personnel = crate::Personnel::new(3, 1).unwrap();
        let report = outcome_report(&isb(), None, &of(&[p]), &catalog());
        assert_eq!(report.women_share_pct.to_string(), "33.3");
    }

    #[test]
    fn every_figure_line_has_a_rule_and_filters_to_the_conference() {
        let pledges = [pledge(1, "PAK", "INF-BN", 1)];
        let report = outcome_report(&isb(), None, &of(&pledges), &catalog());
        let figures = outcome_figures(&report);
        assert!(figures.iter().all(|f| !f.rule.is_empty()), "{figures:?}");
        let states = figures.iter().find(|f| f.name == "states").unwrap();
        assert_eq!(states.value, "1");
        assert_eq!(
            figure_query(&report.conference, states),
            "conference=ISB-2023&withdrawn=false"
        );
        let rows = outcome_csv_rows(&report);
        assert!(
            rows.iter()
                .any(|r| r[0] == "category.unit.pledges" && r[1] == "1")
        );
    }

    #[test]
    fn every_figure_has_a_rule() {
        for figure in [
            "pledges",
            "withdrawn",
            "states",
            "categories",
            "formed_units",
            "personnel",
            "women",
            "new",
            "reaffirmed",
            "upgraded",
            "joint_pledges",
            "earmarked",
            "superseded_since",
        ] {
            assert!(RULES.iter().any(|(f, _)| *f == figure), "{figure}");
        }
    }
}
