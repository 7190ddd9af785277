//! The allocation plan: which unearmarked pledges would fill which open gaps.
//!
//! Deterministic and greedy: requirements are served critical before high before normal,
//! then earliest needed-by first (then by id); for each, pledges of the same capability are
//! taken in-time before late (a pledge with no date counts as late), then earliest available,
//! then by id. A pledge is used at most once, and never for more than the gap it fills; what a
//! pledge offers beyond that gap stays unused.

use chrono::NaiveDate;

use crate::coverage::CoverageSums;
use crate::{CapabilityCode, MissionAcronym, Priority, Requirement};

/// An open gap a plan may fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub requirement_id: i64,
    pub mission: MissionAcronym,
    pub capability: CapabilityCode,
    pub priority: Priority,
    pub needed_by: NaiveDate,
    /// What is still missing: required minus pledged, above zero.
    pub gap: u64,
}

/// An active pledge earmarked for no mission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenPledge {
    pub pledge_id: i64,
    pub capability: CapabilityCode,
    pub quantity: u64,
    pub available_from: Option<NaiveDate>,
}

/// One proposal: this pledge fills this requirement by this much.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationLine {
    pub requirement_id: i64,
    pub pledge_id: i64,
    pub quantity: u64,
    /// Whether the pledge is available by the requirement's needed-by date.
    pub in_time: bool,
}

/// A gap the plan could not fill entirely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfilled {
    pub requirement_id: i64,
    pub remaining: u64,
}

/// The proposed allocation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllocationPlan {
    pub lines: Vec<AllocationLine>,
    pub unfilled: Vec<Unfilled>,
}

impl AllocationPlan {
    /// The part of the plan that serves `mission`'s gaps. The plan is made for every mission
    /// at once, so a pledge proposed for another mission's more urgent gap is not offered here.
    pub fn for_mission(&self, gaps: &[Gap], mission: &MissionAcronym) -> Self {
        let serves = |id: i64| {
            gaps.iter()
                .any(|g| g.requirement_id == id && &g.mission == mission)
        };
        Self {
            lines: self
                .lines
                .iter()
                .filter(|l| serves(l.requirement_id))
                .cloned()
                .collect(),
            unfilled: self
                .unfilled
                .iter()
                .filter(|u| serves(u.requirement_id))
                .cloned()
                .collect(),
        }
    }
}

fn in_time(pledge: &OpenPledge, gap: &Gap) -> bool {
    pledge.available_from.is_some_and(|d| d <= gap.needed_by)
}

/// Proposes which open pledges fill which gaps (see the module's rules).
pub fn allocate(gaps: &[Gap], pledges: &[OpenPledge]) -> AllocationPlan {
    let mut order: Vec<&Gap> = gaps.iter().filter(|g| g.gap > 0).collect();
    order.sort_by_key(|g| (g.priority, g.needed_by, g.requirement_id));
    let mut used = vec![false; pledges.len()];
    let mut plan = AllocationPlan::default();
    for gap in order {
        let mut candidates: Vec<usize> = (0..pledges.len())
            .filter(|&i| {
                !used[i] && pledges[i].capability == gap.capability && pledges[i].quantity > 0
            })
            .collect();
        candidates.sort_by_key(|&i| {
            let p = &pledges[i];
            (
                !in_time(p, gap),
                p.available_from.is_none(),
                p.available_from,
                p.pledge_id,
            )
        });
        let mut remaining = gap.gap;
        for i in candidates {
            if remaining == 0 {
                break;
            }
            let quantity = pledges[i].quantity.min(remaining);
            used[i] = true;
            remaining -= quantity;
            plan.lines.push(AllocationLine {
                requirement_id: gap.requirement_id,
                pledge_id: pledges[i].pledge_id,
                quantity,
                in_time: in_time(&pledges[i], gap),
            });
        }
        if remaining > 0 {
            plan.unfilled.push(Unfilled {
                requirement_id: gap.requirement_id,
                remaining,
            });
        }
    }
    plan
}

/// The requirements with something still missing, as gaps: required minus pledged, from the
/// store's sums of what counts toward each.
pub fn open_gaps(requirements: impl IntoIterator<Item = (Requirement, CoverageSums)>) -> Vec<Gap> {
    requirements
        .into_iter()
        .map(|(r, sums)| Gap {
            gap: u64::from(r.quantity.get()).saturating_sub(sums.pledged),
            requirement_id: r.id,
            mission: r.mission,
            capability: r.capability,
            priority: r.priority,
            needed_by: r.needed_by,
        })
        .filter(|g| g.gap > 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    fn date(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, day).unwrap()
    }

    fn gap(id: i64, capability: &str, priority: Priority, needed_by: u32, size: u64) -> Gap {
        Gap {
            requirement_id: id,
            mission: MissionAcronym::parse("MINUSCA").unwrap(),
            capability: CapabilityCode::parse(capability).unwrap(),
            priority,
            needed_by: date(needed_by),
            gap: size,
        }
    }

    fn pledge(id: i64, capability: &str, quantity: u64, available: Option<u32>) -> OpenPledge {
        OpenPledge {
            pledge_id: id,
            capability: CapabilityCode::parse(capability).unwrap(),
            quantity,
            available_from: available.map(date),
        }
    }

    #[test]
    fn critical_gaps_are_served_before_normal_ones() {
        let gaps = [
            gap(1, "HEL-UTIL", Priority::Normal, 1, 2),
            gap(2, "HEL-UTIL", Priority::Critical, 20, 2),
        ];
        let plan = allocate(&gaps, &[pledge(10, "HEL-UTIL", 2, Some(1))]);
        assert_eq!(
            plan.lines,
            [AllocationLine {
                requirement_id: 2,
                pledge_id: 10,
                quantity: 2,
                in_time: true
            }]
        );
        assert_eq!(
            plan.unfilled,
            [Unfilled {
                requirement_id: 1,
                remaining: 2
            }]
        );
    }

    #[test]
    fn pledges_in_time_are_preferred_to_late_ones() {
        let gaps = [gap(1, "QRF-COY", Priority::High, 10, 1)];
        let plan = allocate(
            &gaps,
            &[
                pledge(1, "QRF-COY", 1, Some(20)),
                pledge(2, "QRF-COY", 1, None),
                pledge(3, "QRF-COY", 1, Some(5)),
            ],
        );
        assert_eq!(plan.lines[0].pledge_id, 3);
        assert!(plan.lines[0].in_time);
    }

    #[test]
    fn a_pledge_never_over_fills_a_gap() {
        let plan = allocate(
            &[gap(1, "EQ-APC", Priority::High, 10, 5)],
            &[pledge(1, "EQ-APC", 12, Some(1))],
        );
        assert_eq!(plan.lines[0].quantity, 5);
        assert!(plan.unfilled.is_empty());
    }

    #[test]
    fn a_mission_sees_only_the_proposals_for_its_own_gaps() {
        let mut elsewhere = gap(2, "HEL-UTIL", Priority::Critical, 1, 1);
        elsewhere.mission = MissionAcronym::parse("UNMISS").unwrap();
        let gaps = [gap(1, "HEL-UTIL", Priority::High, 1, 2), elsewhere];
        let plan = allocate(
            &gaps,
            &[
                pledge(10, "HEL-UTIL", 1, Some(1)),
                pledge(11, "HEL-UTIL", 1, Some(1)),
            ],
        );
        let minusca = plan.for_mission(&gaps, &MissionAcronym::parse("MINUSCA").unwrap());
        // UNMISS's critical gap took pledge 10 first; MINUSCA is offered pledge 11 only.
        assert_eq!(
            minusca
                .lines
                .iter()
                .map(|l| l.pledge_id)
                .collect::<Vec<_>>(),
            [11]
        );
        assert_eq!(
            minusca.unfilled,
            [Unfilled {
                requirement_id: 1,
                remaining: 1
            }]
        );
    }

    fn arb_gap() -> impl Strategy<Value = Gap> {
        (
            1i64..1000,
            prop::sample::select(vec!["HEL-UTIL", "QRF-COY"]),
            prop::sample::select(Priority::ALL.to_vec()),
            1u32..28,
            0u64..10,
        )
            .prop_map(|(id, c, p, d, g)| gap(id, c, p, d, g))
    }

    fn arb_pledge() -> impl Strategy<Value = OpenPledge> {
        (
            1i64..1000,
            prop::sample::select(vec!["HEL-UTIL", "QRF-COY"]),
            0u64..6,
            prop::option::of(1u32..28),
        )
            .prop_map(|(id, c, q, d)| pledge(id, c, q, d))
    }

    proptest! {
        #[test]
        fn no_pledge_is_used_twice_and_no_gap_is_over_filled(
            gaps in prop::collection::vec(arb_gap(), 0..12).prop_map(|mut g| { g.sort_by_key(|x| x.requirement_id); g.dedup_by_key(|x| x.requirement_id); g }),
            pledges in prop::collection::vec(arb_pledge(), 0..20).prop_map(|mut p| { p.sort_by_key(|x| x.pledge_id); p.dedup_by_key(|x| x.pledge_id); p }),
        ) {
            let plan = allocate(&gaps, &pledges);
            let mut used = std::collections::HashSet::new();
            let mut filled: HashMap<i64, u64> = HashMap::new();
            for line in &plan.lines {
                prop_assert!(used.insert(line.pledge_id), "pledge {} used twice", line.pledge_id);
                let p = pledges.iter().find(|p| p.pledge_id == line.pledge_id).unwrap();
                let g = gaps.iter().find(|g| g.requirement_id == line.requirement_id).unwrap();
                prop_assert_eq!(&p.capability, &g.capability);
                prop_assert!(line.quantity >= 1 && line.quantity <= p.quantity);
                *filled.entry(line.requirement_id).or_default() += line.quantity;
            }
            for g in &gaps {
                let f = filled.get(&g.requirement_id).copied().unwrap_or(0);
                let unfilled = plan.unfilled.iter().find(|u| u.requirement_id == g.requirement_id).map_or(0, |u| u.remaining);
                prop_assert_eq!(f + unfilled, g.gap, "requirement {}", g.requirement_id);
            }
        }
    }

    #[test]
    fn only_requirements_pledged_short_of_their_quantity_are_open_gaps() {
        let requirement = |id: i64, quantity: i64| Requirement {
            id,
            mission: MissionAcronym::parse("UNMISS").unwrap(),
            capability: CapabilityCode::parse("INF-BN").unwrap(),
            quantity: crate::Quantity::new(quantity).unwrap(),
            personnel: 0,
            needed_by: date(10),
            priority: Priority::High,
            version: 1,
        };
        let pledged = |pledged: u64| CoverageSums {
            pledged,
            ..CoverageSums::default()
        };
        let gaps = open_gaps([
            (requirement(1, 5), pledged(2)),
            (requirement(2, 5), pledged(5)),
            (requirement(3, 5), pledged(9)),
        ]);
        assert_eq!(gaps.len(), 1);
        assert_eq!((gaps[0].requirement_id, gaps[0].gap), (1, 3));
    }
}
