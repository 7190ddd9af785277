//! US dollar amounts: exact decimals with at most two places, stored as whole cents, and the
//! one bound on what a person may type.

use crate::message;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::DomainError;

/// The largest monthly cost a pledge may state, in US dollars: 10^12, one trillion.
///
/// Why: the whole of UN peacekeeping costs about US$5.6 billion a year, so a real pledge stays
/// thousands of times below it, while a figure typed with a few digits too many is caught.
pub const MAX_MONTHLY_COST_USD: i64 = 1_000_000_000_000;

/// [`MAX_MONTHLY_COST_USD`] in cents.
const MAX_MONTHLY_COST_CENTS: i64 = MAX_MONTHLY_COST_USD * 100;

/// Most digits before the point that can still be whole cents in an `i64` (92233720368547758).
const MAX_WHOLE_DIGITS: usize = 17;

/// A non-negative amount of US dollars with at most two decimal places.
///
/// Kept as whole cents so that sums are exact on every database (SQLite sums floats).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Usd {
    cents: i64,
}

impl Usd {
    /// Zero dollars.
    pub const ZERO: Usd = Usd { cents: 0 };

    /// The most a pledge may state as its monthly cost ([`MAX_MONTHLY_COST_USD`]).
    pub const MAX_MONTHLY_COST: Usd = Usd {
        cents: MAX_MONTHLY_COST_CENTS,
    };

    /// Builds an amount from stored whole cents; negative cents are refused.
    ///
    /// Stored amounts are not held to [`MAX_MONTHLY_COST_USD`]: one recorded before the bound
    /// must still read, list and report.
    pub fn from_cents(cents: i64) -> Result<Self, DomainError> {
        if cents < 0 {
            return Err(DomainError::invalid(message!(
                "err-usd-negative",
                "an amount in USD cannot be negative"
            )));
        }
        Ok(Self { cents })
    }

    /// Reads a monthly cost as a person typed it, held to [`MAX_MONTHLY_COST_USD`] unless it is
    /// `kept`: the pledge's stored cost, which a change may leave as it is whatever its size.
    pub fn parse_monthly_cost(text: &str, kept: Option<Usd>) -> Result<Self, DomainError> {
        match parse_cents(text)? {
            Some(cents) if cents <= MAX_MONTHLY_COST_CENTS || Some(Usd { cents }) == kept => {
                Ok(Usd { cents })
            }
            _ => Err(DomainError::invalid(message!(
                "err-monthly-cost-too-large",
                "a monthly cost can be at most one trillion US dollars ({max}) — check the \
                 figure for extra digits",
                max = Usd::MAX_MONTHLY_COST
            ))),
        }
    }

    /// The amount in whole cents.
    pub fn cents(self) -> i64 {
        self.cents
    }

    /// The amount as a decimal with exactly two places.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.cents, 2)
    }

    /// Adds two amounts, refusing a sum too large to hold.
    pub fn checked_add(self, other: Usd) -> Option<Usd> {
        self.cents
            .checked_add(other.cents)
            .map(|cents| Usd { cents })
    }
}

/// Reads `1234`, `1234.5`, `1234.50` as cents (`None` when too many for an `i64`); refuses
/// separators, signs and currency symbols rather than guess what `1,234` or `$1.234` meant.
fn parse_cents(s: &str) -> Result<Option<i64>, DomainError> {
    let text = s.trim();
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let well_formed = !whole.is_empty()
        && digits(whole)
        && (!text.contains('.') || (1..=2).contains(&frac.len()))
        && digits(frac);
    if !well_formed {
        return Err(DomainError::invalid(message!(
            "err-usd-shape",
            "'{s}' is not an amount in USD — write digits with at most two decimals, \
             no thousands separator or currency sign (e.g. 1250000.50)",
            s = s
        )));
    }
    let whole = whole.trim_start_matches('0');
    if whole.len() > MAX_WHOLE_DIGITS {
        return Ok(None);
    }
    let number = |t: &str| t.bytes().fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
    let frac_cents = match frac.len() {
        1 => number(frac) * 10,
        _ => number(frac),
    };
    Ok(number(whole)
        .checked_mul(100)
        .and_then(|c| c.checked_add(frac_cents)))
}

impl fmt::Display for Usd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_decimal())
    }
}

impl FromStr for Usd {
    type Err = DomainError;

    /// Reads an amount a person typed; every such amount is a monthly cost, so it is held to
    /// [`MAX_MONTHLY_COST_USD`] (see [`Usd::parse_monthly_cost`]).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_monthly_cost(s, None)
    }
}

impl Serialize for Usd {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Usd {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn whole_and_two_place_amounts_parse_exactly() {
        assert_eq!("1234".parse::<Usd>().map(Usd::cents), Ok(123_400));
        assert_eq!("1234.5".parse::<Usd>().map(Usd::cents), Ok(123_450));
        assert_eq!(
            "987654321098.76".parse::<Usd>().map(|u| u.to_string()),
            Ok("987654321098.76".into())
        );
        assert_eq!("0012.05".parse::<Usd>().map(Usd::cents), Ok(1_205));
    }

    #[test]
    fn one_trillion_dollars_is_the_most_a_monthly_cost_may_be() {
        assert_eq!("1000000000000".parse::<Usd>(), Ok(Usd::MAX_MONTHLY_COST));
        assert_eq!(
            "1000000000000.00".parse::<Usd>().map(Usd::cents),
            Ok(100_000_000_000_000)
        );
        for over in [
            "1000000000000.01",
            "50000000000000000.00",
            "92233720368547758.08",
            "99999999999999999999999999999999999999999999",
        ] {
            let err = over.parse::<Usd>().map_err(|e| e.to_string());
            assert_eq!(
                err,
                Err("a monthly cost can be at most one trillion US dollars \
                     (1000000000000.00) — check the figure for extra digits"
                    .into()),
                "{over}"
            );
        }
    }

    #[test]
    fn a_stored_cost_past_the_bound_is_kept_but_no_other() {
        let stored = Usd::from_cents(9_000_000_000_000_000_000).unwrap();
        assert_eq!(stored.to_string(), "90000000000000000.00");
        assert_eq!(
            Usd::parse_monthly_cost("90000000000000000.00", Some(stored)),
            Ok(stored)
        );
        assert!(Usd::parse_monthly_cost("90000000000000000.01", Some(stored)).is_err());
        assert!(Usd::parse_monthly_cost("90000000000000000.00", None).is_err());
        assert_eq!(
            Usd::parse_monthly_cost("12.50", Some(stored)).map(Usd::cents),
            Ok(1_250)
        );
    }

    #[test]
    fn separators_signs_and_extra_places_are_refused() {
        for bad in [
            "1,234", "$1234", "1 234", "-5", "1.234", "12.", ".5", "USD 5", "1e3", "",
        ] {
            assert!(bad.parse::<Usd>().is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn display_always_shows_two_places() {
        assert_eq!(
            Usd::from_cents(150).map(|u| u.to_string()),
            Ok("1.50".into())
        );
    }

    proptest! {
        #[test]
        fn display_then_parse_is_identity(cents in 0i64..=MAX_MONTHLY_COST_CENTS) {
            let usd = Usd::from_cents(cents).unwrap();
            prop_assert_eq!(usd.to_string().parse::<Usd>().unwrap(), usd);
        }

        #[test]
        fn any_stored_cost_reads_back_when_kept(cents in 0i64..=i64::MAX) {
            let usd = Usd::from_cents(cents).unwrap();
            prop_assert_eq!(Usd::parse_monthly_cost(&usd.to_string(), Some(usd)), Ok(usd));
            prop_assert_eq!(
                Usd::parse_monthly_cost(&usd.to_string(), None).is_ok(),
                cents <= MAX_MONTHLY_COST_CENTS
            );
        }

        #[test]
        fn amounts_parse_as_decimal_reads_them(text in "[0-9]{1,20}(\\.[0-9]{1,2})?") {
            let expected = text.parse::<Decimal>().ok().map(|d| d * Decimal::ONE_HUNDRED);
            let ours = parse_cents(&text).unwrap().map(Decimal::from);
            match ours {
                Some(cents) => prop_assert_eq!(Some(cents), expected),
                None => prop_assert!(expected.is_none_or(|c| c > Decimal::from(i64::MAX))),
            }
        }

        #[test]
        fn parsing_any_text_never_panics(text in ".*") {
            let _ = text.parse::<Usd>();
        }
    }
}
