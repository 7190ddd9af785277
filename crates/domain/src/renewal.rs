//! PCRS renewals: a pledge is renewed 12 months after registration, then every 6 months.

use chrono::{Months, NaiveDate};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
