//! US dollar amounts: exact decimals with at most two places, stored as whole cents.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::DomainError;

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

    /// Builds an amount from whole cents; negative cents are refused.
    pub fn from_cents(cents: i64) -> Result<Self, DomainError> {
        if cents < 0 {
            return Err(DomainError::invalid("an amount in USD cannot be negative"));
        }
        Ok(Self { cents })
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

impl fmt::Display for Usd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_decimal())
    }
}

impl FromStr for Usd {
    type Err = DomainError;

    /// Accepts `1234`, `1234.5`, `1234.50`; refuses separators, signs and currency symbols
    /// rather than guess what `1,234` or `$1.234` meant.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let well_formed = !text.is_empty()
            && text.split_once('.').map_or_else(
                || text.bytes().all(|b| b.is_ascii_digit()),
                |(whole, frac)| {
                    !whole.is_empty()
                        && whole.bytes().all(|b| b.is_ascii_digit())
                        && (1..=2).contains(&frac.len())
                        && frac.bytes().all(|b| b.is_ascii_digit())
                },
            );
        if !well_formed {
            return Err(DomainError::invalid(format!(
                "'{s}' is not an amount in USD — write digits with at most two decimals, \
                 no thousands separator or currency sign (e.g. 1250000.50)"
            )));
        }
        let amount: Decimal = text
            .parse()
            .map_err(|_| DomainError::invalid(format!("'{s}' is too large an amount in USD")))?;
        let cents = (amount * Decimal::ONE_HUNDRED)
            .trunc()
            .to_string()
            .parse::<i64>()
            .map_err(|_| DomainError::invalid(format!("'{s}' is too large an amount in USD")))?;
        Self::from_cents(cents)
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
            "98765432109876.54".parse::<Usd>().map(|u| u.to_string()),
            Ok("98765432109876.54".into())
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
        fn display_then_parse_is_identity(cents in 0i64..i64::MAX / 1000) {
            let usd = Usd::from_cents(cents).unwrap();
            prop_assert_eq!(usd.to_string().parse::<Usd>().unwrap(), usd);
        }

        #[test]
        fn parsing_any_text_never_panics(text in ".*") {
            let _ = text.parse::<Usd>();
        }
    }
}
