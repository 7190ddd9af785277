//! Coverage figures exactly as DESIGN.md defines them, as pure functions.
//!
//! The store computes the same sums in SQL; [`coverage_of`] is the reference that its results
//! are tested against.

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::{CapabilityCode, MissionAcronym, PledgeStatus, Readiness, Requirement};

/// The facts of one pledge that coverage depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgeFacts {
    pub capability: CapabilityCode,
    pub mission: Option<MissionAcronym>,
    pub status: PledgeStatus,
    pub readiness: Readiness,
    pub available_from: Option<NaiveDate>,
    pub quantity: u32,
    pub personnel: u32,
}

/// The sums over the pledges that count toward one requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CoverageSums {
    pub pledged: u64,
    pub firm: u64,
    pub in_time: u64,
    pub pledged_personnel: u64,
}

/// Every coverage figure of one requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageFigures {
    pub required: u64,
    pub pledged: u64,
    pub firm: u64,
    pub in_time: u64,
    pub gap: u64,
    pub firm_gap: u64,
    /// pledged / required × 100, rounded half-even to one place; may exceed 100.
    pub coverage_pct: Decimal,
    pub pledged_personnel: u64,
}

impl CoverageFigures {
    /// Derives gaps and percentage from the required quantity and the sums.
    pub fn from_sums(required: u64, sums: CoverageSums) -> Self {
        Self {
            required,
            pledged: sums.pledged,
            firm: sums.firm,
            in_time: sums.in_time,
            gap: required.saturating_sub(sums.pledged),
            firm_gap: required.saturating_sub(sums.firm),
            coverage_pct: coverage_pct(sums.pledged, required),
            pledged_personnel: sums.pledged_personnel,
        }
    }
}

/// `pledged / required × 100`, rounded half-even to one decimal place (0 when nothing is required).
pub fn coverage_pct(pledged: u64, required: u64) -> Decimal {
    if required == 0 {
        return Decimal::new(0, 1);
    }
    let mut pct = (Decimal::from(pledged) * Decimal::ONE_HUNDRED / Decimal::from(required))
        .round_dp_with_strategy(1, RoundingStrategy::MidpointNearestEven);
    pct.rescale(1);
    pct
}

/// Whether a pledge counts toward a requirement at all: same capability, earmarked for its
/// mission, not withdrawn.
pub fn counts_toward(pledge: &PledgeFacts, requirement: &Requirement) -> bool {
    pledge.status.is_active()
        && pledge.capability == requirement.capability
        && pledge.mission.as_ref() == Some(&requirement.mission)
}

/// The coverage of one requirement by a set of pledges.
pub fn coverage_of<'a>(
    requirement: &Requirement,
    pledges: impl IntoIterator<Item = &'a PledgeFacts>,
) -> CoverageFigures {
    let mut sums = CoverageSums::default();
    for p in pledges
        .into_iter()
        .filter(|p| counts_toward(p, requirement))
    {
        let quantity = u64::from(p.quantity);
        sums.pledged += quantity;
        sums.pledged_personnel += u64::from(p.personnel);
        if p.readiness.is_firm() {
            sums.firm += quantity;
        }
        if p.available_from.is_some_and(|d| d <= requirement.needed_by) {
            sums.in_time += quantity;
        }
    }
    CoverageFigures::from_sums(u64::from(requirement.quantity.get()), sums)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Priority, Quantity};
    use proptest::prelude::*;

    fn requirement(quantity: u32) -> Requirement {
        Requirement {
            id: 1,
            mission: MissionAcronym::parse("MINUSCA").unwrap(),
            capability: CapabilityCode::parse("HEL-UTIL").unwrap(),
            quantity: Quantity::new(i64::from(quantity)).unwrap(),
            personnel: 0,
            needed_by: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
            priority: Priority::Critical,
            version: 1,
        }
    }

    fn pledge(
        quantity: u32,
        readiness: Readiness,
        available_from: Option<NaiveDate>,
    ) -> PledgeFacts {
        PledgeFacts {
            capability: CapabilityCode::parse("HEL-UTIL").unwrap(),
            mission: Some(MissionAcronym::parse("MINUSCA").unwrap()),
            status: PledgeStatus::Pledged,
            readiness,
            available_from,
            quantity,
            personnel: quantity * 40,
        }
    }

    #[test]
    fn figures_follow_the_definition() {
        let r = requirement(8);
        let early = NaiveDate::from_ymd_opt(2026, 1, 1);
        let late = NaiveDate::from_ymd_opt(2027, 1, 1);
        let ps = [
            pledge(3, Readiness::L1, early),
            pledge(2, Readiness::L3, late),
            pledge(1, Readiness::Rdl, None),
        ];
        let f = coverage_of(&r, &ps);
        assert_eq!(
            (f.pledged, f.firm, f.in_time, f.gap, f.firm_gap),
            (6, 3, 3, 2, 5)
        );
        assert_eq!(f.coverage_pct.to_string(), "75.0");
        assert_eq!(f.pledged_personnel, 240);
    }

    #[test]
    fn over_subscription_is_shown() {
        let f = coverage_of(&requirement(2), &[pledge(3, Readiness::L2, None)]);
        assert_eq!((f.gap, f.coverage_pct.to_string()), (0, "150.0".to_owned()));
    }

    #[test]
    fn percentages_round_half_to_even() {
        // 1/16 = 6.25 % → 6.2; 3/16 = 18.75 % → 18.8
        assert_eq!(coverage_pct(1, 16).to_string(), "6.2");
        assert_eq!(coverage_pct(3, 16).to_string(), "18.8");
        assert_eq!(coverage_pct(2, 3).to_string(), "66.7");
    }

    #[test]
    fn a_pledge_available_on_the_needed_by_day_is_in_time() {
        let f = coverage_of(
            &requirement(1),
            &[pledge(
                1,
                Readiness::L1,
                NaiveDate::from_ymd_opt(2026, 6, 30),
            )],
        );
        assert_eq!(f.in_time, 1);
    }

    fn arb_pledge() -> impl Strategy<Value = PledgeFacts> {
        (
            1u32..20,
            prop::sample::select(Readiness::ALL.to_vec()),
            prop::sample::select(PledgeStatus::ALL.to_vec()),
            prop::option::of(0i64..1000),
            prop::option::of(prop::sample::select(vec!["MINUSCA", "UNMISS"])),
            prop::sample::select(vec!["HEL-UTIL", "QRF-COY"]),
        )
            .prop_map(|(quantity, readiness, status, day, mission, capability)| {
                PledgeFacts {
                    capability: CapabilityCode::parse(capability).unwrap(),
                    mission: mission.map(|m| MissionAcronym::parse(m).unwrap()),
                    status,
                    readiness,
                    available_from: day.map(|d| {
                        NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(d as u64)
                    }),
                    quantity,
                    personnel: quantity * 10,
                }
            })
    }

    proptest! {
        #[test]
        fn gap_plus_covered_equals_required(req in 1u32..100, ps in prop::collection::vec(arb_pledge(), 0..30)) {
            let f = coverage_of(&requirement(req), &ps);
            prop_assert_eq!(f.gap + f.pledged.min(f.required), f.required);
            prop_assert_eq!(f.firm_gap + f.firm.min(f.required), f.required);
            prop_assert!(f.firm <= f.pledged && f.in_time <= f.pledged);
        }

        #[test]
        fn withdrawn_pledges_never_change_coverage(req in 1u32..100, ps in prop::collection::vec(arb_pledge(), 0..30), extra in arb_pledge()) {
            let r = requirement(req);
            let before = coverage_of(&r, &ps);
            let mut more = ps.clone();
            more.push(PledgeFacts { status: PledgeStatus::Withdrawn, ..extra });
            prop_assert_eq!(coverage_of(&r, &more), before);
        }

        #[test]
        fn unearmarked_pledges_never_count(req in 1u32..100, ps in prop::collection::vec(arb_pledge(), 0..30), extra in arb_pledge()) {
            let r = requirement(req);
            let before = coverage_of(&r, &ps);
            let mut more = ps.clone();
            more.push(PledgeFacts { mission: None, ..extra });
            prop_assert_eq!(coverage_of(&r, &more), before);
        }
    }
}
