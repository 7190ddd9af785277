//! PCRS renewals: a pledge is renewed 12 months after registration, then every 6 months.

use chrono::{Months, NaiveDate};

use crate::country_report::RenewalLine;

/// Months from registration to the first renewal.
pub const FIRST_RENEWAL_MONTHS: u32 = 12;
/// Months between later renewals.
pub const RENEWAL_INTERVAL_MONTHS: u32 = 6;
/// A renewal within this many days counts as "due soon".
pub const DUE_SOON_DAYS: i64 = 30;

/// When a pledge must next be renewed: `registered_on` + 12 months, or `renewed_on` + 6 months.
pub fn renewal_due(registered_on: NaiveDate, renewed_on: Option<NaiveDate>) -> NaiveDate {
    let (from, months) = match renewed_on {
        Some(renewed) => (renewed, RENEWAL_INTERVAL_MONTHS),
        None => (registered_on, FIRST_RENEWAL_MONTHS),
    };
    // Adding months only fails past the year 262,000; clamp there rather than panic.
    from.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// Where a renewal stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenewalState {
    /// The due date has passed.
    Overdue,
    /// Due within [`DUE_SOON_DAYS`].
    DueSoon,
    /// Not due for a while.
    Current,
}

/// Classifies a due date relative to `today`.
pub fn renewal_state(due: NaiveDate, today: NaiveDate) -> RenewalState {
    if due < today {
        RenewalState::Overdue
    } else if (due - today).num_days() <= DUE_SOON_DAYS {
        RenewalState::DueSoon
    } else {
        RenewalState::Current
    }
}

/// The latest start date whose date `months` later is on or before `by` (month ends clamp,
/// so subtracting months alone could be a day or two off).
fn latest_start(by: NaiveDate, months: u32) -> NaiveDate {
    let span = Months::new(months);
    let mut start = by.checked_sub_months(span).unwrap_or(NaiveDate::MIN);
    while let Some(next) = start.succ_opt() {
        if next.checked_add_months(span).is_some_and(|d| d <= by) {
            start = next;
        } else {
            break;
        }
    }
    start
}

/// Dates that let a database find the pledges due by a day without date arithmetic in SQL:
/// a pledge is due by `by` exactly when it was never renewed and registered on or before
/// `registered_by`, or renewed on or before `renewed_by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueThresholds {
    pub registered_by: NaiveDate,
    pub renewed_by: NaiveDate,
}

/// The thresholds for renewals due on or before `by`.
pub fn due_thresholds(by: NaiveDate) -> DueThresholds {
    DueThresholds {
        registered_by: latest_start(by, FIRST_RENEWAL_MONTHS),
        renewed_by: latest_start(by, RENEWAL_INTERVAL_MONTHS),
    }
}

/// The last day that counts as "due soon" seen from `today`.
pub fn due_soon_until(today: NaiveDate) -> NaiveDate {
    today + chrono::Days::new(DUE_SOON_DAYS as u64)
}

/// An active pledge's renewal dates, as the store reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgeRenewal {
    pub pledge_id: i64,
    pub member_state: String,
    pub pledge_ref: String,
    pub capability: String,
    pub registered_on: NaiveDate,
    pub renewed_on: Option<NaiveDate>,
}

/// The renewal lines of these pledges seen from `today`: when each is due and whether that has
/// passed, soonest first (then by member state and pledge).
pub fn renewal_lines(
    pledges: impl IntoIterator<Item = PledgeRenewal>,
    today: NaiveDate,
) -> Vec<RenewalLine> {
    let mut lines: Vec<RenewalLine> = pledges
        .into_iter()
        .map(|p| {
            let due = renewal_due(p.registered_on, p.renewed_on);
            RenewalLine {
                pledge_id: p.pledge_id,
                member_state: p.member_state,
                pledge_ref: p.pledge_ref,
                capability: p.capability,
                registered_on: p.registered_on,
                renewed_on: p.renewed_on,
                renewal_due: due,
                overdue: due < today,
            }
        })
        .collect();
    lines.sort_by(|a, b| {
        (a.renewal_due, &a.member_state, a.pledge_id).cmp(&(
            b.renewal_due,
            &b.member_state,
            b.pledge_id,
        ))
    });
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn thresholds_agree_with_due_dates(reg in 0i64..3000, renewed in prop::option::of(0i64..3000), by in 0i64..4000) {
            let day = |n: i64| NaiveDate::from_ymd_opt(2022, 1, 1).unwrap() + chrono::Days::new(n as u64);
            let registered = day(reg);
            let renewed = renewed.map(|r| day(reg + r));
            let by = day(by);
            let t = due_thresholds(by);
            let by_thresholds = match renewed {
                None => registered <= t.registered_by,
                Some(r) => r <= t.renewed_by,
            };
            prop_assert_eq!(by_thresholds, renewal_due(registered, renewed) <= by);
        }
    }

    #[test]
    fn month_ends_are_exact() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // Renewed 31 August: due 28 February, so due by 28 February.
        assert!(due_thresholds(d(2025, 2, 28)).renewed_by >= d(2024, 8, 31));
        assert!(due_thresholds(d(2025, 2, 27)).renewed_by < d(2024, 8, 31));
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn first_renewal_is_twelve_months_after_registration() {
        assert_eq!(renewal_due(d(2023, 8, 31), None), d(2024, 8, 31));
    }

    #[test]
    fn later_renewals_are_six_months_after_the_last() {
        assert_eq!(
            renewal_due(d(2023, 8, 31), Some(d(2024, 8, 31))),
            d(2025, 2, 28)
        );
    }

    #[test]
    fn states_follow_the_due_date() {
        let today = d(2026, 11, 28);
        assert_eq!(renewal_state(d(2026, 11, 27), today), RenewalState::Overdue);
        assert_eq!(renewal_state(d(2026, 12, 28), today), RenewalState::DueSoon);
        assert_eq!(renewal_state(d(2026, 12, 29), today), RenewalState::Current);
    }

    #[test]
    fn renewal_lines_come_soonest_first_and_say_which_are_overdue() {
        let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let pledge = |id: i64, state: &str, registered_on: NaiveDate, renewed_on| PledgeRenewal {
            pledge_id: id,
            member_state: state.into(),
            pledge_ref: format!("R-{id}"),
            capability: "INF-BN".into(),
            registered_on,
            renewed_on,
        };
        let lines = renewal_lines(
            [
                pledge(1, "PAK", day(1, 10), Some(day(1, 5))),
                pledge(2, "GHA", day(1, 10), Some(day(1, 5))),
                pledge(3, "BGD", day(1, 1), Some(day(1, 1))),
            ],
            day(7, 2),
        );
        let order: Vec<(i64, NaiveDate, bool)> = lines
            .iter()
            .map(|l| (l.pledge_id, l.renewal_due, l.overdue))
            .collect();
        assert_eq!(
            order,
            [
                (3, day(7, 1), true),
                (2, day(7, 5), false),
                (1, day(7, 5), false)
            ]
        );
    }
}
