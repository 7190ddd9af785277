//! The coverage report: every requirement's figures, mission totals that are the sums of their
//! rows, and the capacity still unearmarked. One structure feeds JSON, CSV and text alike.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::Requirement;
use crate::coverage::{CoverageFigures, CoverageSums, coverage_pct};

/// What every report says about its figures.
pub const INDICATIVE_NOTE: &str = "Figures are indicative, as pledged by member states.";

/// One requirement and its coverage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequirementCoverage {
    pub requirement_id: i64,
    pub capability: String,
    pub priority: String,
    pub needed_by: NaiveDate,
    pub figures: CoverageFigures,
}

/// Sums over a mission's requirements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageTotals {
    pub required: u64,
    pub pledged: u64,
    pub firm: u64,
    pub in_time: u64,
    pub gap: u64,
    pub firm_gap: u64,
    /// Total pledged / total required × 100, one decimal, half-even.
    pub coverage_pct: Decimal,
    pub pledged_personnel: u64,
}

impl CoverageTotals {
    /// The sums of these rows' figures.
    pub fn of<'a>(rows: impl IntoIterator<Item = &'a CoverageFigures>) -> Self {
        let mut t = Self {
            required: 0,
            pledged: 0,
            firm: 0,
            in_time: 0,
            gap: 0,
            firm_gap: 0,
            coverage_pct: Decimal::ZERO,
            pledged_personnel: 0,
        };
        for f in rows {
            t.required += f.required;
            t.pledged += f.pledged;
            t.firm += f.firm;
            t.in_time += f.in_time;
            t.gap += f.gap;
            t.firm_gap += f.firm_gap;
            t.pledged_personnel += f.pledged_personnel;
        }
        t.coverage_pct = coverage_pct(t.pledged, t.required);
        t
    }
}

/// One mission's requirements, critical first, and their totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionCoverage {
    pub mission: String,
    pub requirements: Vec<RequirementCoverage>,
    pub totals: CoverageTotals,
}

/// Active capacity earmarked for no mission, per capability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unearmarked {
    pub capability: String,
    pub quantity: u64,
    pub personnel: u64,
}

/// The whole coverage report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageReport {
    /// The moment the board is shown as of; `None` for now.
    pub as_of: Option<DateTime<Utc>>,
    pub missions: Vec<MissionCoverage>,
    pub unearmarked: Vec<Unearmarked>,
    pub note: &'static str,
}

/// Assembles the report from each requirement's sums. Requirements within a mission come
/// critical first, then by largest gap, then by capability; missions by acronym.
pub fn build_coverage(
    rows: Vec<(Requirement, CoverageSums)>,
    unearmarked: Vec<Unearmarked>,
    as_of: Option<DateTime<Utc>>,
) -> CoverageReport {
    let mut by_mission: BTreeMap<String, Vec<(Requirement, RequirementCoverage)>> = BTreeMap::new();
    for (r, sums) in rows {
        let figures = CoverageFigures::from_sums(u64::from(r.quantity.get()), sums);
        let line = RequirementCoverage {
            requirement_id: r.id,
            capability: r.capability.to_string(),
            priority: r.priority.to_string(),
            needed_by: r.needed_by,
            figures,
        };
        by_mission
            .entry(r.mission.to_string())
            .or_default()
            .push((r, line));
    }
    let missions = by_mission
        .into_iter()
        .map(|(mission, mut lines)| {
            lines.sort_by(|(a, la), (b, lb)| {
                (
                    a.priority,
                    std::cmp::Reverse(la.figures.gap),
                    &la.capability,
                )
                    .cmp(&(
                        b.priority,
                        std::cmp::Reverse(lb.figures.gap),
                        &lb.capability,
                    ))
            });
            let requirements: Vec<RequirementCoverage> =
                lines.into_iter().map(|(_, l)| l).collect();
            let totals = CoverageTotals::of(requirements.iter().map(|r| &r.figures));
            MissionCoverage {
                mission,
                requirements,
                totals,
            }
        })
        .collect();
    CoverageReport {
        as_of,
        missions,
        unearmarked,
        note: INDICATIVE_NOTE,
    }
}

/// Columns of the coverage CSV: one row per requirement, then one `TOTAL` row per mission.
pub const COVERAGE_CSV_COLUMNS: [&str; 13] = [
    "mission",
    "capability",
    "priority",
    "needed_by",
    "required",
    "pledged",
    "firm",
    "in_time",
    "gap",
    "firm_gap",
    "coverage_pct",
    "pledged_personnel",
    "note",
];

/// The report as CSV rows (without the header).
pub fn coverage_csv_rows(report: &CoverageReport) -> Vec<[String; 13]> {
    let mut rows = Vec::new();
    for m in &report.missions {
        for r in &m.requirements {
            let f = &r.figures;
            rows.push([
                m.mission.clone(),
                r.capability.clone(),
                r.priority.clone(),
                r.needed_by.to_string(),
                f.required.to_string(),
                f.pledged.to_string(),
                f.firm.to_string(),
                f.in_time.to_string(),
                f.gap.to_string(),
                f.firm_gap.to_string(),
                f.coverage_pct.to_string(),
                f.pledged_personnel.to_string(),
                String::new(),
            ]);
        }
        let t = &m.totals;
        rows.push([
            m.mission.clone(),
            "TOTAL".into(),
            String::new(),
            String::new(),
            t.required.to_string(),
            t.pledged.to_string(),
            t.firm.to_string(),
            t.in_time.to_string(),
            t.gap.to_string(),
            t.firm_gap.to_string(),
            t.coverage_pct.to_string(),
            t.pledged_personnel.to_string(),
            report.note.to_owned(),
        ]);
    }
    rows
}
