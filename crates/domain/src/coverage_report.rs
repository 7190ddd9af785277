//! The coverage report: every requirement's figures, mission totals that are the sums of their
//! rows, and the capacity still unearmarked. One structure feeds JSON, CSV and text alike.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::coverage::{CoverageFigures, CoverageSums};
use crate::mission_figures::{MissionFigures, RequirementStanding, covered_personnel};
use crate::{Priority, Requirement};

/// What every report says about its figures.
pub const INDICATIVE_NOTE: &str = "Figures are indicative, as pledged by member states.";

/// One requirement and its coverage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequirementCoverage {
    pub requirement_id: i64,
    pub capability: String,
    pub priority: Priority,
    pub needed_by: NaiveDate,
    /// The requirement's own personnel figure.
    pub required_personnel: u64,
    pub figures: CoverageFigures,
}

impl RequirementCoverage {
    /// What this requirement contributes to its mission's figures.
    pub fn standing(&self) -> RequirementStanding<'_> {
        RequirementStanding {
            priority: self.priority,
            required_personnel: self.required_personnel,
            figures: &self.figures,
        }
    }

    /// The personnel it counts as covered: pledged, but never more than it needs.
    pub fn covered_personnel(&self) -> u64 {
        covered_personnel(self.figures.pledged_personnel, self.required_personnel)
    }

    /// Whether its needed-by date is before `today` while it still has a gap.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.figures.gap > 0 && self.needed_by < today
    }
}

/// One mission's requirements, critical first, and its figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionCoverage {
    pub mission: String,
    pub requirements: Vec<RequirementCoverage>,
    pub totals: MissionFigures,
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
    /// The figures over every requirement of every mission shown.
    pub totals: MissionFigures,
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
            priority: r.priority,
            needed_by: r.needed_by,
            required_personnel: u64::from(r.personnel),
            figures,
        };
        by_mission
            .entry(r.mission.to_string())
            .or_default()
            .push((r, line));
    }
    let missions: Vec<MissionCoverage> = by_mission
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
            let totals = MissionFigures::of(requirements.iter().map(RequirementCoverage::standing));
            MissionCoverage {
                mission,
                requirements,
                totals,
            }
        })
        .collect();
    let totals = MissionFigures::of(
        missions
            .iter()
            .flat_map(|m| &m.requirements)
            .map(RequirementCoverage::standing),
    );
    CoverageReport {
        as_of,
        totals,
        missions,
        unearmarked,
        note: INDICATIVE_NOTE,
    }
}

/// Columns of the coverage CSV: one row per requirement, then one `TOTAL` row per mission, and
/// an `ALL` row for every mission shown. A requirement row leaves the mission figures empty; a
/// total row leaves the quantities empty, which are never added across capabilities.
pub const COVERAGE_CSV_COLUMNS: [&str; 20] = [
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
    "required_personnel",
    "covered_personnel",
    "requirements",
    "requirements_met",
    "requirements_firm",
    "critical_open",
    "personnel_coverage_pct",
    "note",
];

/// The name in the `mission` column of the row over every mission shown.
pub const ALL_MISSIONS: &str = "ALL";

fn requirement_csv_row(mission: &str, r: &RequirementCoverage) -> [String; 20] {
    let f = &r.figures;
    [
        mission.to_owned(),
        r.capability.clone(),
        r.priority.to_string(),
        r.needed_by.to_string(),
        f.required.to_string(),
        f.pledged.to_string(),
        f.firm.to_string(),
        f.in_time.to_string(),
        f.gap.to_string(),
        f.firm_gap.to_string(),
        f.coverage_pct.to_string(),
        f.pledged_personnel.to_string(),
        r.required_personnel.to_string(),
        r.covered_personnel().to_string(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    ]
}

fn totals_csv_row(mission: &str, t: &MissionFigures, note: &str) -> [String; 20] {
    let mut row: [String; 20] = Default::default();
    row[0] = mission.to_owned();
    row[1] = "TOTAL".into();
    row[12] = t.required_personnel.to_string();
    row[13] = t.covered_personnel.to_string();
    row[14] = t.requirements.to_string();
    row[15] = t.requirements_met.to_string();
    row[16] = t.requirements_firm.to_string();
    row[17] = t.critical_open.to_string();
    row[18] = t.personnel_coverage_pct.to_string();
    row[19] = note.to_owned();
    row
}

/// The report as CSV rows (without the header).
pub fn coverage_csv_rows(report: &CoverageReport) -> Vec<[String; 20]> {
    let mut rows = Vec::new();
    for m in &report.missions {
        rows.extend(
            m.requirements
                .iter()
                .map(|r| requirement_csv_row(&m.mission, r)),
        );
        rows.push(totals_csv_row(&m.mission, &m.totals, report.note));
    }
    rows.push(totals_csv_row(ALL_MISSIONS, &report.totals, report.note));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CapabilityCode, MissionAcronym, Quantity};

    fn requirement(
        id: i64,
        mission: &str,
        capability: &str,
        quantity: i64,
        personnel: u32,
        priority: Priority,
    ) -> Requirement {
        Requirement {
            id,
            mission: MissionAcronym::parse(mission).unwrap(),
            capability: CapabilityCode::parse(capability).unwrap(),
            quantity: Quantity::new(quantity).unwrap(),
            personnel,
            needed_by: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
            priority,
            version: 1,
        }
    }

    fn sums(pledged: u64, personnel: u64) -> CoverageSums {
        CoverageSums {
            pledged,
            firm: pledged,
            in_time: pledged,
            pledged_personnel: personnel,
        }
    }

    #[test]
    fn mission_figures_never_let_an_over_pledge_hide_a_gap() {
        let report = build_coverage(
            vec![
                (
                    requirement(1, "MINUSCA", "IPO", 80, 80, Priority::High),
                    sums(300, 300),
                ),
                (
                    requirement(2, "MINUSCA", "HEL-UTIL", 4, 160, Priority::Critical),
                    sums(0, 0),
                ),
                (
                    requirement(3, "UNMISS", "INF-BN", 1, 850, Priority::Critical),
                    sums(1, 850),
                ),
            ],
            Vec::new(),
            None,
        );
        let minusca = &report.missions[0].totals;
        assert_eq!(
            (
                minusca.requirements,
                minusca.requirements_met,
                minusca.critical_open
            ),
            (2, 1, 1)
        );
        assert_eq!(
            (minusca.required_personnel, minusca.covered_personnel),
            (240, 80)
        );
        assert_eq!(minusca.personnel_coverage_pct.to_string(), "33.3");
        let all = &report.totals;
        assert_eq!(
            (all.requirements, all.requirements_met, all.critical_open),
            (3, 2, 1)
        );
        assert_eq!((all.required_personnel, all.covered_personnel), (1090, 930));
        assert_eq!(all.personnel_coverage_pct.to_string(), "85.3");
    }

    #[test]
    fn total_rows_leave_quantities_of_unlike_units_empty() {
        let report = build_coverage(
            vec![
                (
                    requirement(1, "MINUSCA", "IPO", 80, 80, Priority::High),
                    sums(40, 40),
                ),
                (
                    requirement(2, "MINUSCA", "HEL-UTIL", 4, 160, Priority::Critical),
                    sums(0, 0),
                ),
            ],
            Vec::new(),
            None,
        );
        let rows = coverage_csv_rows(&report);
        assert_eq!(rows.len(), 4);
        let total = &rows[2];
        assert_eq!((total[0].as_str(), total[1].as_str()), ("MINUSCA", "TOTAL"));
        assert!(total[4..12].iter().all(String::is_empty), "{total:?}");
        assert_eq!(&total[12..19], ["240", "40", "2", "0", "0", "1", "16.7"]);
        assert_eq!(rows[3][0], ALL_MISSIONS);
        assert_eq!(
            rows[0][13], "0",
            "HEL-UTIL first (critical), nothing covered"
        );
    }
}
