//! Assembling the country reports from the store's aggregates: the all-states table, and one
//! state's page with the requirements its pledges help fill and the year whose gender targets
//! it is held to.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::country_report::{
    COUNTRY_NOTE, CountriesReport, CountryCell, CountryRow, CountrySummary, CountryTally,
    CountryTotals, GapContribution, Partnership, RenewalLine, country_rows, gender_comparison,
};
use crate::coverage::CoverageSums;
use crate::{Catalog, MemberStateCode, Requirement};

/// When a country report stands, and which conference it is limited to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportScope {
    /// The moment the report is as of; `None` for now.
    pub as_of: Option<DateTime<Utc>>,
    pub conference: Option<String>,
}

/// The year whose gender targets a report compares against: that of its moment, or of `today`
/// for a report of now.
pub fn report_year(as_of: Option<DateTime<Utc>>, today: NaiveDate) -> i32 {
    as_of.map_or(today, |t| t.date_naive()).year()
}

/// The all-states table: one row per state with an active pledge, and their totals.
pub fn countries_report(
    tally: CountryTally,
    catalog: &Catalog,
    partnerships: &BTreeMap<String, u64>,
    scope: ReportScope,
) -> CountriesReport {
    let rows = tally.into_rows(catalog, partnerships);
    let totals = CountryTotals::of(&rows);
    CountriesReport {
        as_of: scope.as_of,
        conference: scope.conference,
        rows,
        totals,
        note: COUNTRY_NOTE,
    }
}

/// What the store read for one state's page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountrySums {
    /// The state's aggregate cells.
    pub cells: Vec<CountryCell>,
    /// Per state, the joint pledges of others that name it as a partner.
    pub partnerships: BTreeMap<String, u64>,
    /// Every requirement with the sums of the pledges of every state that count toward it.
    pub requirements: Vec<(Requirement, CoverageSums)>,
    /// The joint pledges of other states in which this state is a partner.
    pub partnership_pledges: Vec<Partnership>,
    /// The state's renewals overdue or due soon.
    pub renewals: Vec<RenewalLine>,
}

/// One state's page; a state without active pledges gets its empty row, not an error.
pub fn country_summary(
    state: &MemberStateCode,
    sums: CountrySums,
    catalog: &Catalog,
    scope: ReportScope,
    today: NaiveDate,
) -> CountrySummary {
    let row = country_rows(&sums.cells, &sums.partnerships, catalog)
        .pop()
        .unwrap_or_else(|| empty_row(state, &sums.partnerships, catalog));
    let gender = gender_comparison(&row, catalog, report_year(scope.as_of, today));
    CountrySummary {
        as_of: scope.as_of,
        conference: scope.conference,
        gaps_filled: gaps_filled(&sums.cells, sums.requirements),
        partnership_pledges: sums.partnership_pledges,
        renewals: sums.renewals,
        row,
        gender,
        note: COUNTRY_NOTE,
    }
}

/// The row of a state with no active pledges: its name, and the joint pledges naming it.
fn empty_row(
    state: &MemberStateCode,
    partnerships: &BTreeMap<String, u64>,
    catalog: &Catalog,
) -> CountryRow {
    let name = catalog
        .member_states()
        .get(state)
        .map(|s| s.name.clone())
        .unwrap_or_else(|| state.to_string());
    let mut row = CountryRow::empty(state.as_str(), &name);
    row.partnerships = partnerships.get(state.as_str()).copied().unwrap_or(0);
    row
}

/// The requirements the state's earmarked pledges (its `cells`) contribute to, with what every
/// state pledged and what is still missing.
pub fn gaps_filled(
    cells: &[CountryCell],
    requirements: impl IntoIterator<Item = (Requirement, CoverageSums)>,
) -> Vec<GapContribution> {
    let mut contributions: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    for c in cells {
        if let Some(mission) = &c.mission {
            *contributions.entry((mission, &c.capability)).or_default() += c.quantity;
        }
    }
    requirements
        .into_iter()
        .filter_map(|(r, sums)| {
            let contributed = *contributions.get(&(r.mission.as_str(), r.capability.as_str()))?;
            let required = u64::from(r.quantity.get());
            Some(GapContribution {
                mission: r.mission.to_string(),
                capability: r.capability.to_string(),
                required,
                pledged: sums.pledged,
                gap: required.saturating_sub(sums.pledged),
                contributed,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::{CapabilityCode, MemberStates, MissionAcronym, Priority, Quantity, UsdTotal};

    fn catalog() -> Catalog {
        Catalog::new(MemberStates::load(), vec![], vec![], vec![], vec![])
    }

    fn cell(mission: Option<&str>, capability: &str, quantity: u64) -> CountryCell {
        CountryCell {
            member_state: "PAK".into(),
            category: "unit".into(),
            capability: capability.into(),
            readiness: "L2".into(),
            mission: mission.map(str::to_owned),
            pledges: 1,
            quantity,
            personnel: 10,
            personnel_estimated: 0,
            female_personnel: 1,
            monthly_cost: UsdTotal::ZERO,
            renewals_due: 0,
        }
    }

    fn requirement(mission: &str, capability: &str, quantity: i64) -> Requirement {
        Requirement {
            id: 1,
            mission: MissionAcronym::parse(mission).unwrap(),
            capability: CapabilityCode::parse(capability).unwrap(),
            quantity: Quantity::new(quantity).unwrap(),
            personnel: 0,
            needed_by: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            priority: Priority::High,
            version: 1,
        }
    }

    fn pledged(pledged: u64) -> CoverageSums {
        CoverageSums {
            pledged,
            ..CoverageSums::default()
        }
    }

    #[test]
    fn the_report_year_is_that_of_its_moment_or_of_today() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        assert_eq!(report_year(None, today), 2026);
        let then = Utc.with_ymd_and_hms(2031, 12, 31, 23, 59, 59).unwrap();
        assert_eq!(report_year(Some(then), today), 2031);
    }

    #[test]
    fn gaps_filled_are_the_requirements_the_states_earmarked_pledges_serve() {
        let cells = [
            cell(Some("UNMISS"), "INF-BN", 1),
            cell(Some("UNMISS"), "INF-BN", 2),
            cell(Some("MINUSCA"), "HEL-UTIL", 4),
            cell(None, "QRF-COY", 9),
        ];
        let gaps = gaps_filled(
            &cells,
            [
                (requirement("UNMISS", "INF-BN", 5), pledged(4)),
                (requirement("MINUSCA", "HEL-UTIL", 2), pledged(6)),
                (requirement("UNMISS", "QRF-COY", 3), pledged(0)),
            ],
        );
        let found: Vec<(&str, u64, u64, u64)> = gaps
            .iter()
            .map(|g| (g.capability.as_str(), g.pledged, g.gap, g.contributed))
            .collect();
        assert_eq!(found, [("INF-BN", 4, 1, 3), ("HEL-UTIL", 6, 0, 4)]);
    }

    #[test]
    fn a_state_without_active_pledges_gets_its_empty_row_with_its_partnerships() {
        let state = MemberStateCode::parse("GHA").unwrap();
        let sums = CountrySums {
            partnerships: BTreeMap::from([("GHA".to_owned(), 2), ("PAK".to_owned(), 5)]),
            ..CountrySums::default()
        };
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let summary = country_summary(&state, sums, &catalog(), ReportScope::default(), today);
        assert_eq!(summary.row.member_state, "GHA");
        assert_eq!(summary.row.name, "Ghana");
        assert_eq!(summary.row.pledges, 0);
        assert_eq!(summary.row.partnerships, 2);
        assert!(summary.gaps_filled.is_empty());
        assert_eq!(summary.note, COUNTRY_NOTE);
    }

    #[test]
    fn a_states_page_rolls_its_cells_up_into_its_row() {
        let state = MemberStateCode::parse("PAK").unwrap();
        let sums = CountrySums {
            cells: vec![cell(Some("UNMISS"), "INF-BN", 2), cell(None, "QRF-COY", 1)],
            requirements: vec![(requirement("UNMISS", "INF-BN", 5), pledged(2))],
            ..CountrySums::default()
        };
        let scope = ReportScope {
            as_of: None,
            conference: Some("ISB-2025".into()),
        };
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let summary = country_summary(&state, sums, &catalog(), scope, today);
        assert_eq!((summary.row.pledges, summary.row.quantity), (2, 3));
        assert_eq!(summary.row.name, "Pakistan");
        assert_eq!(summary.conference.as_deref(), Some("ISB-2025"));
        assert_eq!(summary.gaps_filled.len(), 1);
        assert_eq!(summary.gaps_filled[0].gap, 3);
    }

    #[test]
    fn the_all_states_table_carries_its_scope_and_totals() {
        let catalog = catalog();
        let mut tally = CountryTally::new();
        tally.add(cell(None, "INF-BN", 2).as_ref());
        let report = countries_report(tally, &catalog, &BTreeMap::new(), ReportScope::default());
        assert_eq!(report.rows.len(), 1);
        assert_eq!(report.totals.quantity, 2);
        assert_eq!(report.as_of, None);
    }
}
