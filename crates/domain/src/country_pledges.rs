//! What one state's page lists beside its figures: each of its pledges, and how many of its
//! active pledges and personnel are firm (readiness `L2` or above).

use crate::Readiness;
use crate::country_report::CountryRow;

/// One pledge of a state, as its country page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryPledgeLine {
    pub pledge_id: i64,
    pub pledge_ref: String,
    pub capability: String,
    pub quantity: u64,
    pub personnel: u64,
    /// Whether `personnel` is the capability's standard size × quantity, not a stated figure.
    pub personnel_estimated: bool,
    pub female_personnel: u64,
    pub readiness: String,
    pub status: String,
    pub mission: Option<String>,
    pub conference: Option<String>,
    /// Conditions the state attached to the pledge, as recorded.
    pub caveats: Option<String>,
}

/// Of a state's active pledges and their personnel, those at `L2` or above.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FirmLine {
    pub firm_pledges: u64,
    pub pledges: u64,
    pub firm_personnel: u64,
    pub personnel: u64,
}

/// The firm share of a country row, from its counts by readiness level.
pub fn firm_line(row: &CountryRow) -> FirmLine {
    let firm = row
        .by_readiness
        .iter()
        .filter(|(level, _)| level.parse::<Readiness>().is_ok_and(Readiness::is_firm));
    FirmLine {
        firm_pledges: firm.clone().map(|(_, t)| t.pledges).sum(),
        pledges: row.pledges,
        firm_personnel: firm.map(|(_, t)| t.personnel).sum(),
        personnel: row.personnel,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::country_report::ReadinessTotals;

    fn row(levels: &[(&str, u64, u64)]) -> CountryRow {
        let mut row = CountryRow::empty("PAK", "Pakistan");
        for (level, pledges, personnel) in levels {
            row.pledges += pledges;
            row.personnel += personnel;
            row.by_readiness.insert(
                (*level).to_owned(),
                ReadinessTotals {
                    pledges: *pledges,
                    personnel: *personnel,
                },
            );
        }
        row
    }

    #[test]
    fn the_firm_line_counts_l2_l3_and_rdl_but_not_l1() {
        let line = firm_line(&row(&[
            ("L1", 10, 858),
            ("L2", 3, 280),
            ("L3", 2, 276),
            ("RDL", 1, 150),
        ]));
        assert_eq!(
            line,
            FirmLine {
                firm_pledges: 6,
                pledges: 16,
                firm_personnel: 706,
                personnel: 1564,
            }
        );
    }

    #[test]
    fn a_state_without_firm_pledges_has_none_of_its_total_firm() {
        let line = firm_line(&row(&[("L1", 4, 90)]));
        assert_eq!((line.firm_pledges, line.pledges), (0, 4));
        assert_eq!((line.firm_personnel, line.personnel), (0, 90));
        assert_eq!(firm_line(&row(&[])), FirmLine::default());
    }
}
