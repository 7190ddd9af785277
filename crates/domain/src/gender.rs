//! Uniformed Gender Parity Strategy 2018–2028 targets for women, by personnel category.

use crate::message;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::capability::word_enum;

word_enum!(
    /// The personnel categories that the gender parity strategy sets targets for.
    GenderCategory, "gender category", {
        Contingent => "contingent",
        StaffObserver => "staff_observer",
        FormedPolice => "formed_police",
        IndividualPolice => "individual_police",
    }
);

impl GenderCategory {
    /// The category as the parity strategy names it, for pages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Contingent => "Military contingents",
            Self::StaffObserver => "Staff officers and military observers",
            Self::FormedPolice => "Formed police units",
            Self::IndividualPolice => "Individual police officers",
        }
    }
}

/// The share of women a category should reach by a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenderTarget {
    pub category: GenderCategory,
    pub year: i32,
    /// Percent of personnel, e.g. `15` for 15 %.
    pub percent: Decimal,
}

impl GenderTarget {
    /// Builds a target, refusing a percentage outside 0–100.
    pub fn new(category: GenderCategory, year: i32, percent: Decimal) -> Result<Self, DomainError> {
        if percent < Decimal::ZERO || percent > Decimal::ONE_HUNDRED {
            return Err(DomainError::invalid(message!(
                "err-gender-target-range",
                "a gender target of {percent} % is not a percentage between 0 and 100",
                percent = percent
            )));
        }
        Ok(Self {
            category,
            year,
            percent,
        })
    }
}

/// The target in force for `category` in `year`: the latest target year not after it,
/// or the earliest one when the year precedes them all.
pub fn target_for(
    targets: &[GenderTarget],
    category: GenderCategory,
    year: i32,
) -> Option<&GenderTarget> {
    let of_category = targets.iter().filter(|t| t.category == category);
    of_category
        .clone()
        .filter(|t| t.year >= year)
        .min_by_key(|t| t.year)
        .or_else(|| of_category.max_by_key(|t| t.year))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> Vec<GenderTarget> {
        vec![
            GenderTarget::new(GenderCategory::Contingent, 2021, Decimal::from(8)).unwrap(),
            GenderTarget::new(GenderCategory::Contingent, 2028, Decimal::from(15)).unwrap(),
        ]
    }

    #[test]
    fn every_gender_category_has_a_name_without_underscores() {
        for c in GenderCategory::ALL {
            assert!(!c.label().contains('_'), "{c}");
        }
        assert_eq!(
            GenderCategory::StaffObserver.label(),
            "Staff officers and military observers"
        );
    }

    #[test]
    fn the_next_target_year_applies() {
        let t = targets();
        assert_eq!(
            target_for(&t, GenderCategory::Contingent, 2026).map(|t| t.year),
            Some(2028)
        );
        assert_eq!(
            target_for(&t, GenderCategory::Contingent, 2020).map(|t| t.year),
            Some(2021)
        );
    }

    #[test]
    fn after_the_last_year_the_last_target_stays() {
        let t = targets();
        assert_eq!(
            target_for(&t, GenderCategory::Contingent, 2030).map(|t| t.year),
            Some(2028)
        );
    }

    #[test]
    fn a_category_without_targets_has_none() {
        assert!(target_for(&targets(), GenderCategory::FormedPolice, 2026).is_none());
    }

    #[test]
    fn percentages_above_100_are_refused() {
        assert!(GenderTarget::new(GenderCategory::Contingent, 2028, Decimal::from(101)).is_err());
    }
}
