//! Sums of US dollar amounts in reports: exact whatever the amounts, written with two decimals.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign};

use serde::{Serialize, Serializer};

use crate::Usd;

/// A sum of [`Usd`] amounts in whole cents, held in an `i128`.
///
/// A stored amount is at most `i64::MAX` cents (values from before [`crate::money::MAX_MONTHLY_COST_USD`]
/// may be that large), so a sum of up to 2^64 of them fits: more rows than any database holds.
/// It is a sum of stored values, not an amount anyone typed, so it is never held to a bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct UsdTotal {
    cents: i128,
}

impl UsdTotal {
    /// Nothing.
    pub const ZERO: UsdTotal = UsdTotal { cents: 0 };

    /// A total of `cents` whole cents.
    pub fn from_cents(cents: i128) -> Self {
        Self { cents }
    }

    /// The total in whole cents.
    pub fn cents(self) -> i128 {
        self.cents
    }
}

impl From<Usd> for UsdTotal {
    fn from(amount: Usd) -> Self {
        Self::from_cents(i128::from(amount.cents()))
    }
}

impl Add for UsdTotal {
    type Output = UsdTotal;

    fn add(self, other: UsdTotal) -> UsdTotal {
        Self::from_cents(self.cents + other.cents)
    }
}

impl AddAssign for UsdTotal {
    fn add_assign(&mut self, other: UsdTotal) {
        *self = *self + other;
    }
}

impl Sum for UsdTotal {
    fn sum<I: Iterator<Item = UsdTotal>>(totals: I) -> Self {
        totals.fold(Self::ZERO, Add::add)
    }
}

impl fmt::Display for UsdTotal {
    /// Dollars with exactly two decimals, as [`Usd`] writes them (`1234.50`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.cents < 0 { "-" } else { "" };
        let cents = self.cents.unsigned_abs();
        write!(f, "{sign}{}.{:02}", cents / 100, cents % 100)
    }
}

impl Serialize for UsdTotal {
    /// As a string, like every amount in JSON.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The divisor a database sums costs by in two parts, `cents / SPLIT_CENTS` and
/// `cents % SPLIT_CENTS`, where one sum of `i64` cents could overflow: each part of any stored
/// amount (at most `i64::MAX` cents) sums within an `i64` over a billion rows.
pub const SPLIT_CENTS: i64 = 1_000_000_000;

impl UsdTotal {
    /// The total whose two parts summed as [`SPLIT_CENTS`] describes are `high` and `low`.
    pub fn from_split_sums(high: i64, low: i64) -> Self {
        Self::from_cents(i128::from(high) * i128::from(SPLIT_CENTS) + i128::from(low))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn two_stored_amounts_of_fifty_quadrillion_dollars_add_up_exactly() {
        let each = Usd::from_cents(5_000_000_000_000_000_000).unwrap();
        let total: UsdTotal = [each, each].into_iter().map(UsdTotal::from).sum();
        assert_eq!(total.to_string(), "100000000000000000.00");
        assert_eq!(total.cents(), 10_000_000_000_000_000_000);
    }

    #[test]
    fn totals_show_two_places_and_a_sign() {
        assert_eq!(UsdTotal::ZERO.to_string(), "0.00");
        assert_eq!(UsdTotal::from_cents(105).to_string(), "1.05");
        assert_eq!(UsdTotal::from_cents(-5).to_string(), "-0.05");
        assert_eq!(
            UsdTotal::from_cents(i128::MIN).to_string(),
            "-1701411834604692317316873037158841057.28"
        );
    }

    proptest! {
        #[test]
        fn a_total_of_one_amount_is_written_as_the_amount(cents in 0i64..=i64::MAX) {
            let amount = Usd::from_cents(cents).unwrap();
            prop_assert_eq!(UsdTotal::from(amount).to_string(), amount.to_string());
        }

        #[test]
        fn a_total_is_the_exact_sum_of_its_amounts(cents in prop::collection::vec(0i64..=i64::MAX, 0..50)) {
            let total: UsdTotal = cents
                .iter()
                .map(|c| UsdTotal::from(Usd::from_cents(*c).unwrap()))
                .sum();
            prop_assert_eq!(total.cents(), cents.iter().map(|c| i128::from(*c)).sum::<i128>());
        }
    }

    #[test]
    fn split_sums_put_together_are_the_exact_total() {
        let amounts = [i64::MAX, i64::MAX, 1_999_999_999, 7];
        let high: i64 = amounts.iter().map(|c| c / SPLIT_CENTS).sum();
        let low: i64 = amounts.iter().map(|c| c % SPLIT_CENTS).sum();
        let exact: i128 = amounts.iter().map(|c| i128::from(*c)).sum();
        assert_eq!(UsdTotal::from_split_sums(high, low).cents(), exact);
        assert_eq!(UsdTotal::from_split_sums(0, 0), UsdTotal::ZERO);
    }
}
