//! Figures over a mission's requirements (or every mission's) that mean something across
//! capabilities. Quantities of unlike units are never added: 80 police officers and 4
//! helicopters are not "84 required". DESIGN.md, "Coverage".

use rust_decimal::Decimal;

use crate::Priority;
use crate::coverage::{CoverageFigures, coverage_pct};

/// What one requirement contributes to its mission's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequirementStanding<'a> {
    pub priority: Priority,
    /// The requirement's own personnel figure.
    pub required_personnel: u64,
    pub figures: &'a CoverageFigures,
}

/// The figures of a set of requirements: counts of requirements, and personnel coverage in
/// which over-pledging one capability never hides another's gap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionFigures {
    pub requirements: u64,
    /// Requirements with no gap.
    pub requirements_met: u64,
    /// Requirements with no firm gap (met by pledges at L2 or above).
    pub requirements_firm: u64,
    /// Critical requirements with a gap.
    pub critical_open: u64,
    pub required_personnel: u64,
    /// Σ min(pledged personnel, required personnel) over the requirements.
    pub covered_personnel: u64,
    /// covered / required personnel × 100, one decimal, half-even (0.0 when none is required).
    pub personnel_coverage_pct: Decimal,
}

/// The personnel a requirement counts as covered: never more than it needs.
pub fn covered_personnel(pledged_personnel: u64, required_personnel: u64) -> u64 {
    pledged_personnel.min(required_personnel)
}

impl MissionFigures {
    /// The figures of these requirements.
    pub fn of<'a>(rows: impl IntoIterator<Item = RequirementStanding<'a>>) -> Self {
        let mut m = Self {
            requirements: 0,
            requirements_met: 0,
            requirements_firm: 0,
            critical_open: 0,
            required_personnel: 0,
            covered_personnel: 0,
            personnel_coverage_pct: Decimal::ZERO,
        };
        for r in rows {
            let f = r.figures;
            m.requirements += 1;
            m.requirements_met += u64::from(f.gap == 0);
            m.requirements_firm += u64::from(f.firm_gap == 0);
            m.critical_open += u64::from(r.priority == Priority::Critical && f.gap > 0);
            m.required_personnel += r.required_personnel;
            m.covered_personnel += covered_personnel(f.pledged_personnel, r.required_personnel);
        }
        m.personnel_coverage_pct = coverage_pct(m.covered_personnel, m.required_personnel);
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::CoverageSums;
    use proptest::prelude::*;

    fn figures(required: u64, pledged: u64, firm: u64, personnel: u64) -> CoverageFigures {
        CoverageFigures::from_sums(
            required,
            CoverageSums {
                pledged,
                firm,
                in_time: 0,
                pledged_personnel: personnel,
            },
        )
    }

    fn standing(
        priority: Priority,
        required_personnel: u64,
        f: &CoverageFigures,
    ) -> RequirementStanding<'_> {
        RequirementStanding {
            priority,
            required_personnel,
            figures: f,
        }
    }

    #[test]
    fn over_pledging_one_capability_never_hides_another_gap() {
        // 80 police officers asked, 200 pledged; 4 helicopters (160 crew) asked, none pledged.
        let police = figures(80, 200, 200, 200);
        let helicopters = figures(4, 0, 0, 0);
        let m = MissionFigures::of([
            standing(Priority::High, 80, &police),
            standing(Priority::Critical, 160, &helicopters),
        ]);
        assert_eq!(m.requirements, 2);
        assert_eq!(m.requirements_met, 1);
        assert_eq!(m.requirements_firm, 1);
        assert_eq!(m.critical_open, 1);
        assert_eq!(m.required_personnel, 240);
        // A plain sum would say 200 of 240 (83.3 %); only the police's 80 are covered.
        assert_eq!(m.covered_personnel, 80);
        assert_eq!(m.personnel_coverage_pct.to_string(), "33.3");
    }

    #[test]
    fn firm_counts_only_requirements_met_at_l2_or_above() {
        let pledged_not_firm = figures(2, 2, 1, 300);
        let m = MissionFigures::of([standing(Priority::Critical, 300, &pledged_not_firm)]);
        assert_eq!(
            (m.requirements_met, m.requirements_firm, m.critical_open),
            (1, 0, 0)
        );
        assert_eq!(m.personnel_coverage_pct.to_string(), "100.0");
    }

    #[test]
    fn no_requirements_give_zero_figures() {
        let m = MissionFigures::of([]);
        assert_eq!((m.requirements, m.covered_personnel), (0, 0));
        assert_eq!(m.personnel_coverage_pct.to_string(), "0.0");
    }

    fn arb_row() -> impl Strategy<Value = (Priority, u64, u64, u64, u64, u64)> {
        (
            prop::sample::select(Priority::ALL.to_vec()),
            0u64..2000,
            1u64..20,
            0u64..30,
            0u64..30,
            0u64..3000,
        )
    }

    proptest! {
        #[test]
        fn covered_personnel_never_exceeds_what_is_required(rows in prop::collection::vec(arb_row(), 0..20)) {
            let fs: Vec<CoverageFigures> = rows.iter().map(|&(_, _, q, p, f, pp)| figures(q, p, f.min(p), pp)).collect();
            let m = MissionFigures::of(rows.iter().zip(&fs).map(|(&(pr, rp, ..), f)| standing(pr, rp, f)));
            prop_assert!(m.covered_personnel <= m.required_personnel);
            prop_assert!(m.requirements_firm <= m.requirements_met);
            prop_assert!(m.requirements_met + m.critical_open <= m.requirements);
            prop_assert_eq!(m.requirements, rows.len() as u64);
            prop_assert!(m.personnel_coverage_pct <= Decimal::ONE_HUNDRED);
        }

        #[test]
        fn the_figures_of_two_sets_add_up(a in prop::collection::vec(arb_row(), 0..10), b in prop::collection::vec(arb_row(), 0..10)) {
            let of = |rows: &[(Priority, u64, u64, u64, u64, u64)]| {
                let fs: Vec<CoverageFigures> = rows.iter().map(|&(_, _, q, p, f, pp)| figures(q, p, f.min(p), pp)).collect();
                MissionFigures::of(rows.iter().zip(&fs).map(|(&(pr, rp, ..), f)| standing(pr, rp, f)))
            };
            let (ma, mb) = (of(&a), of(&b));
            let all = of(&[a.clone(), b.clone()].concat());
            prop_assert_eq!(all.requirements, ma.requirements + mb.requirements);
            prop_assert_eq!(all.requirements_met, ma.requirements_met + mb.requirements_met);
            prop_assert_eq!(all.critical_open, ma.critical_open + mb.critical_open);
            prop_assert_eq!(all.covered_personnel, ma.covered_personnel + mb.covered_personnel);
            prop_assert_eq!(all.required_personnel, ma.required_personnel + mb.required_personnel);
        }
    }
}
