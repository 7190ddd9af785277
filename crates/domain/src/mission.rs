//! UN peacekeeping missions, named by acronym.

use crate::message;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::DomainError;

/// A mission acronym such as `MINUSCA`: upper-case letters only.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MissionAcronym(String);

/// Longest acronym accepted; real ones are at most eight letters.
pub const MISSION_ACRONYM_MAX_LEN: usize = 16;

impl MissionAcronym {
    /// Normalises to upper case and checks the shape.
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let acronym = text.trim().to_ascii_uppercase();
        if !acronym.is_empty()
            && acronym.len() <= MISSION_ACRONYM_MAX_LEN
            && acronym.bytes().all(|b| b.is_ascii_alphabetic())
        {
            Ok(Self(acronym))
        } else {
            Err(DomainError::invalid(message!(
                "err-mission-acronym",
                "'{text}' is not a mission acronym (letters only, e.g. MINUSCA)",
                text = text
            )))
        }
    }

    /// The acronym as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for MissionAcronym {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<MissionAcronym> for String {
    fn from(a: MissionAcronym) -> Self {
        a.0
    }
}

impl fmt::Display for MissionAcronym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A UN peacekeeping operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mission {
    pub acronym: MissionAcronym,
    pub name: String,
    pub location: String,
    pub established_on: Option<NaiveDate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronyms_are_upper_cased() {
        assert_eq!(
            MissionAcronym::parse("unmiss").map(String::from),
            Ok("UNMISS".into())
        );
    }

    #[test]
    fn acronyms_with_digits_are_rejected() {
        assert!(MissionAcronym::parse("UN1").is_err());
    }
}
