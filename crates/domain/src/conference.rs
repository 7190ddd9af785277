//! Conferences at which pledges are announced (ministerials and preparatory meetings).

use crate::message;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{DomainError, MemberStateCode};

/// A conference code such as `ISB-2023`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ConferenceCode(String);

/// Longest conference code accepted.
pub const CONFERENCE_CODE_MAX_LEN: usize = 24;

impl ConferenceCode {
    /// Normalises to upper case and checks the shape.
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let code = text.trim().to_ascii_uppercase();
        if !code.is_empty()
            && code.len() <= CONFERENCE_CODE_MAX_LEN
            && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            Ok(Self(code))
        } else {
            Err(DomainError::invalid(message!(
                "err-conference-code",
                "'{text}' is not a conference code (e.g. ISB-2023)",
                text = text
            )))
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ConferenceCode {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ConferenceCode> for String {
    fn from(c: ConferenceCode) -> Self {
        c.0
    }
}

impl fmt::Display for ConferenceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A meeting at which pledges are announced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conference {
    pub code: ConferenceCode,
    pub name: String,
    pub hosts: Vec<MemberStateCode>,
    pub location: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl Conference {
    /// Builds a conference, refusing one that ends before it starts.
    pub fn new(
        code: ConferenceCode,
        name: String,
        hosts: Vec<MemberStateCode>,
        location: String,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
    ) -> Result<Self, DomainError> {
        if ends_on < starts_on {
            return Err(DomainError::invalid(message!(
                "err-conference-dates",
                "conference {code} ends ({ends_on}) before it starts ({starts_on})",
                code = &code,
                ends_on = ends_on,
                starts_on = starts_on
            )));
        }
        Ok(Self {
            code,
            name,
            hosts,
            location,
            starts_on,
            ends_on,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conference_cannot_end_before_it_starts() {
        let day = |d| NaiveDate::from_ymd_opt(2023, 8, d).unwrap();
        let code = ConferenceCode::parse("isb-2023").unwrap();
        assert!(
            Conference::new(
                code,
                "x".into(),
                vec![],
                "Islamabad".into(),
                day(31),
                day(30)
            )
            .is_err()
        );
    }
}
