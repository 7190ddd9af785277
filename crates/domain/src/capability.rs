//! Capabilities: the kinds of contribution a state can pledge, from fixtures/capabilities.csv.

use crate::message;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{DomainError, GenderCategory};

/// A capability code such as `INF-BN` or `HEL-UTIL`: upper-case letters, digits and hyphens.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CapabilityCode(String);

/// Longest capability code accepted; the taxonomy's codes are short mnemonics.
pub const CAPABILITY_CODE_MAX_LEN: usize = 24;

impl CapabilityCode {
    /// Normalises to upper case and checks the shape.
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let code = text.trim().to_ascii_uppercase();
        let shaped = !code.is_empty()
            && code.len() <= CAPABILITY_CODE_MAX_LEN
            && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if shaped {
            Ok(Self(code))
        } else {
            Err(DomainError::invalid(message!(
                "err-capability-code",
                "'{text}' is not a capability code (letters, digits and hyphens, e.g. INF-BN)",
                text = text
            )))
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CapabilityCode {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CapabilityCode> for String {
    fn from(code: CapabilityCode) -> Self {
        code.0
    }
}

impl fmt::Display for CapabilityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal, { $($variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word used in CSV, JSON and the database.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = DomainError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
                    .ok_or_else(|| {
                        let words: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                        DomainError::invalid($crate::message::Message::keyed(
                            "err-word-not-one-of",
                            format!("{} '{}' is not one of {}", $what, s, words.join(", ")),
                            vec![
                                // The kind as a Fluent variant key: `milestone-kind`.
                                ("what", $what.replace(' ', "-")),
                                ("s", s.to_owned()),
                                ("words", words.join(", ")),
                            ],
                        ))
                    })
            }
        }
    };
}
pub(crate) use word_enum;

word_enum!(
    /// A capability's pledge category; only the first four are capacity that covers requirements.
    Category, "category", {
        Unit => "unit",
        Police => "police",
        Individuals => "individuals",
        Equipment => "equipment",
        Training => "training",
        Technology => "technology",
        Wps => "wps",
        SafetySecurity => "safety_security",
        Conduct => "conduct",
    }
);

impl Category {
    /// The category's name as a planner reads it ("Formed police units"), never the key.
    pub fn label(self) -> &'static str {
        match self {
            Self::Unit => "Military units",
            Self::Police => "Formed police units",
            Self::Individuals => "Individual personnel",
            Self::Equipment => "Equipment",
            Self::Training => "Training",
            Self::Technology => "Technology",
            Self::Wps => "Women, peace and security",
            Self::SafetySecurity => "Safety and security",
            Self::Conduct => "Conduct and discipline",
        }
    }

    /// Capacity categories count toward mission requirements; the others appear only in summaries.
    pub fn is_capacity(self) -> bool {
        matches!(
            self,
            Self::Unit | Self::Police | Self::Individuals | Self::Equipment
        )
    }
}

word_enum!(
    /// How a capability's quantity is counted.
    UnitOfMeasure, "unit of measure", {
        Units => "units",
        Persons => "persons",
        Items => "items",
        Places => "places",
        Commitments => "commitments",
    }
);

/// One entry of the capability taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capability {
    pub code: CapabilityCode,
    pub name: String,
    pub category: Category,
    pub unit_of_measure: UnitOfMeasure,
    /// Personnel in one unit of quantity: an editable default for forms, not a constant.
    pub standard_personnel: u32,
    /// Which gender-parity target applies to this capability's personnel, if any.
    pub gender_category: Option<GenderCategory>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_upper_cased() {
        assert_eq!(
            CapabilityCode::parse(" hel-util ").map(|c| c.to_string()),
            Ok("HEL-UTIL".into())
        );
    }

    #[test]
    fn codes_with_spaces_are_rejected() {
        assert!(CapabilityCode::parse("INF BN").is_err());
        assert!(CapabilityCode::parse("").is_err());
    }

    #[test]
    fn only_the_four_capacity_categories_count_toward_coverage() {
        let capacity: Vec<_> = Category::ALL.iter().filter(|c| c.is_capacity()).collect();
        assert_eq!(capacity.len(), 4);
        assert!(!Category::Wps.is_capacity());
    }

    #[test]
    fn every_category_has_a_name_without_underscores() {
        for c in Category::ALL {
            assert!(!c.label().contains('_'), "{c}");
        }
        assert_eq!(Category::SafetySecurity.label(), "Safety and security");
    }

    #[test]
    fn category_words_round_trip() {
        for c in Category::ALL {
            assert_eq!(c.as_str().parse::<Category>(), Ok(*c));
        }
        assert!("SafetySecurity".parse::<Category>().is_err());
    }
}
