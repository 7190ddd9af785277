//! References for pledges recorded in a form without one: `{ISO3}-{year}-{nnn}`, the next
//! number after the highest already used in that state's series for the year.

use crate::{DomainError, MemberStateCode, PledgeRef};

/// The prefix of a state's series for a year, e.g. `PAK-2026-`.
pub fn series_prefix(state: &MemberStateCode, year: i32) -> String {
    format!("{}-{year}-", state.as_str())
}

/// The next reference in the series after the `existing` references (any others are ignored;
/// a reference such as `PAK-2026-x` is not a number of the series).
pub fn next_pledge_ref<'a>(
    state: &MemberStateCode,
    year: i32,
    existing: impl IntoIterator<Item = &'a str>,
) -> Result<PledgeRef, DomainError> {
    let prefix = series_prefix(state, year);
    let highest = existing
        .into_iter()
        .filter_map(|r| r.strip_prefix(&prefix))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|n| n.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    PledgeRef::parse(&format!("{prefix}{:03}", highest.saturating_add(1)))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn pak() -> MemberStateCode {
        MemberStateCode::parse("PAK").unwrap()
    }

    #[test]
    fn starts_at_one_and_follows_the_highest_number() {
        assert_eq!(
            next_pledge_ref(&pak(), 2026, []).unwrap().as_str(),
            "PAK-2026-001"
        );
        let used = [
            "PAK-2026-002",
            "PAK-2026-010",
            "PAK-2025-044",
            "PAK-2026-x",
            "OWN-7",
        ];
        assert_eq!(
            next_pledge_ref(&pak(), 2026, used).unwrap().as_str(),
            "PAK-2026-011"
        );
    }

    proptest! {
        #[test]
        fn never_reuses_a_reference(numbers in proptest::collection::vec(0u64..5000, 0..50)) {
            let used: Vec<String> = numbers.iter().map(|n| format!("PAK-2026-{n:03}")).collect();
            let next = next_pledge_ref(&pak(), 2026, used.iter().map(String::as_str)).unwrap();
            prop_assert!(!used.iter().any(|u| u == next.as_str()));
        }
    }
}
