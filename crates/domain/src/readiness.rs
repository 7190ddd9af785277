//! PCRS readiness levels, lowest to highest.

use crate::message;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// A pledge's level in the UN Peacekeeping Capability Readiness System, ordered low to high.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Readiness {
    /// Pledge registered (note verbale, table of organization, equipment lists).
    L1,
    /// Passed a UN Assessment and Advisory Visit.
    L2,
    /// Aligned with a Statement of Unit Requirements.
    L3,
    /// Rapid Deployment Level: deployable within 60 days of a UN request.
    #[serde(rename = "RDL")]
    Rdl,
}

impl Readiness {
    /// Every level, lowest first.
    pub const ALL: [Readiness; 4] = [Self::L1, Self::L2, Self::L3, Self::Rdl];

    /// A pledge is firm at `L2` or above.
    pub fn is_firm(self) -> bool {
        self >= Self::L2
    }

    /// The code used in CSV, JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::L1 => "L1",
            Self::L2 => "L2",
            Self::L3 => "L3",
            Self::Rdl => "RDL",
        }
    }
}

impl fmt::Display for Readiness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Readiness {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                DomainError::invalid(message!(
                    "err-readiness-unknown",
                    "readiness '{s}' is not a PCRS level — use L1, L2, L3 or RDL",
                    s = s
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_ordered_lowest_first() {
        assert!(Readiness::L1 < Readiness::L2);
        assert!(Readiness::L3 < Readiness::Rdl);
    }

    #[test]
    fn only_l2_and_above_are_firm() {
        assert!(!Readiness::L1.is_firm());
        assert!(Readiness::L2.is_firm() && Readiness::L3.is_firm() && Readiness::Rdl.is_firm());
    }

    #[test]
    fn parsing_ignores_case_and_rejects_other_words() {
        assert_eq!("rdl".parse::<Readiness>(), Ok(Readiness::Rdl));
        assert!("L4".parse::<Readiness>().is_err());
    }
}
