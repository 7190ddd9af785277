//! The 193 UN member states, found by alpha-3, alpha-2, English name or a common variant.
//!
//! Country data comes from the `keshvar` crate; this module adds short display names where
//! the ISO name is long ("Korea (Republic of)") and the variants planners actually type.

use crate::message;
use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::catalog::closest;

/// An ISO 3166-1 alpha-3 code: three upper-case letters (not necessarily a member state).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MemberStateCode(String);

impl MemberStateCode {
    /// Checks the shape only; use [`MemberStates::find`] to know the state exists.
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let code = text.trim().to_ascii_uppercase();
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(code))
        } else {
            Err(DomainError::invalid(message!(
                "err-member-state-code",
                "'{text}' is not an ISO 3166-1 alpha-3 code (three letters, e.g. PAK)",
                text = text
            )))
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for MemberStateCode {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<MemberStateCode> for String {
    fn from(c: MemberStateCode) -> Self {
        c.0
    }
}

impl fmt::Display for MemberStateCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A UN member state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberState {
    pub code: MemberStateCode,
    pub alpha2: String,
    /// The short English name used on every page and report.
    pub name: String,
}

/// Names shown instead of ISO's long forms, following UN usage.
const DISPLAY_NAMES: &[(&str, &str)] = &[
    ("BOL", "Bolivia"),
    ("BRN", "Brunei Darussalam"),
    ("CIV", "Côte d'Ivoire"),
    ("COD", "Democratic Republic of the Congo"),
    ("COG", "Congo"),
    ("CZE", "Czechia"),
    ("FSM", "Micronesia"),
    ("GBR", "United Kingdom"),
    ("IRN", "Iran"),
    ("KOR", "Republic of Korea"),
    ("LAO", "Lao People's Democratic Republic"),
    ("MDA", "Republic of Moldova"),
    ("NLD", "Netherlands"),
    ("PRK", "Democratic People's Republic of Korea"),
    ("RUS", "Russian Federation"),
    ("SYR", "Syrian Arab Republic"),
    ("TUR", "Türkiye"),
    ("TZA", "United Republic of Tanzania"),
    ("USA", "United States"),
    ("VEN", "Venezuela"),
    ("VNM", "Viet Nam"),
];

/// Variants planners type that the country data does not know.
const ALIASES: &[(&str, &str)] = &[
    ("Turkey", "TUR"),
    ("Turkiye", "TUR"),
    ("Ivory Coast", "CIV"),
    ("Vietnam", "VNM"),
    ("South Korea", "KOR"),
    ("Korea", "KOR"),
    ("Korea, Republic of", "KOR"),
    ("North Korea", "PRK"),
    ("DPRK", "PRK"),
    ("UK", "GBR"),
    ("Britain", "GBR"),
    ("Great Britain", "GBR"),
    ("United States of America", "USA"),
    ("US", "USA"),
    ("Russia", "RUS"),
    ("Iran", "IRN"),
    ("Syria", "SYR"),
    ("Laos", "LAO"),
    ("Moldova", "MDA"),
    ("Tanzania", "TZA"),
    ("Czech Republic", "CZE"),
    ("DRC", "COD"),
    ("DR Congo", "COD"),
    ("Congo-Kinshasa", "COD"),
    ("Congo-Brazzaville", "COG"),
    ("Republic of the Congo", "COG"),
    ("Swaziland", "SWZ"),
    ("Macedonia", "MKD"),
    ("Cape Verde", "CPV"),
    ("Burma", "MMR"),
    ("East Timor", "TLS"),
    ("The Gambia", "GMB"),
    ("The Netherlands", "NLD"),
    ("Holland", "NLD"),
    ("Brunei", "BRN"),
    ("Micronesia", "FSM"),
];

/// The UN's membership; the country data must yield exactly this many states.
pub const UN_MEMBER_COUNT: usize = 193;

/// Reduces a name to its letters and digits: "Côte d’Ivoire" and "cote d'ivoire" match.
fn lookup_key(text: &str) -> String {
    deunicode::deunicode(text)
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// All member states, with one look-up map built once.
#[derive(Debug, Clone)]
pub struct MemberStates {
    states: Vec<MemberState>,
    by_key: HashMap<String, usize>,
    /// (display label, index) pairs used to suggest the closest name on a miss.
    names: Vec<(String, usize)>,
}

impl MemberStates {
    /// Builds the list from the country data; call once and share.
    pub fn load() -> Self {
        let mut states: Vec<MemberState> = keshvar::CountryIterator::new()
            .filter(|c| c.un_member())
            .map(|c| {
                let code = c.alpha3().to_string();
                let name = DISPLAY_NAMES
                    .iter()
                    .find(|(k, _)| *k == code)
                    .map_or_else(|| c.iso_short_name().to_owned(), |(_, n)| (*n).to_owned());
                MemberState {
                    code: MemberStateCode(code),
                    alpha2: c.alpha2().to_string(),
                    name,
                }
            })
            .collect();
        states.sort_by(|a, b| a.code.cmp(&b.code));

        let mut by_key = HashMap::new();
        let mut names = Vec::new();
        let index_of = |code: &str, states: &[MemberState]| {
            states.iter().position(|s| s.code.as_str() == code)
        };
        for (alias, code) in ALIASES {
            if let Some(i) = index_of(code, &states) {
                by_key.insert(lookup_key(alias), i);
                names.push(((*alias).to_owned(), i));
            }
        }
        for (i, s) in states.iter().enumerate() {
            by_key.insert(lookup_key(s.code.as_str()), i);
            by_key.entry(lookup_key(&s.alpha2)).or_insert(i);
            by_key.entry(lookup_key(&s.name)).or_insert(i);
            names.push((s.name.clone(), i));
        }
        for c in keshvar::CountryIterator::new().filter(|c| c.un_member()) {
            let Some(i) = index_of(&c.alpha3().to_string(), &states) else {
                continue;
            };
            for name in std::iter::once(&c.iso_short_name()).chain(c.unofficial_name_list()) {
                by_key.entry(lookup_key(name)).or_insert(i);
            }
        }
        Self {
            states,
            by_key,
            names,
        }
    }

    /// Every member state, ordered by alpha-3 code.
    pub fn all(&self) -> &[MemberState] {
        &self.states
    }

    /// Finds a state by alpha-3, alpha-2, English name or common variant, ignoring case,
    /// accents and punctuation; a miss suggests the closest name.
    pub fn find(&self, input: &str) -> Result<&MemberState, DomainError> {
        // A member's alpha-3 code as written, what most rows give, without building a key.
        let code = input.trim();
        if code.len() == 3
            && code.bytes().all(|b| b.is_ascii_uppercase())
            && let Ok(i) = self.states.binary_search_by(|s| s.code.as_str().cmp(code))
        {
            return Ok(&self.states[i]);
        }
        if let Some(i) = self.by_key.get(&lookup_key(input)) {
            return Ok(&self.states[*i]);
        }
        let suggestion = closest(input, self.names.iter().map(|(n, _)| n.as_str()))
            .and_then(|label| self.names.iter().find(|(n, _)| n == label))
            .map(|(_, i)| {
                let s = &self.states[*i];
                format!("{} ({})", s.name, s.code)
            });
        Err(DomainError::UnknownMemberState {
            input: input.trim().to_owned(),
            suggestion,
        })
    }

    /// The state with this alpha-3 code, if it is a member.
    pub fn get(&self, code: &MemberStateCode) -> Option<&MemberState> {
        self.states
            .binary_search_by(|s| s.code.cmp(code))
            .ok()
            .map(|i| &self.states[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::LazyLock;

    static STATES: LazyLock<MemberStates> = LazyLock::new(MemberStates::load);

    fn code(input: &str) -> String {
        STATES
            .find(input)
            .map(|s| s.code.to_string())
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn a_code_as_written_finds_what_its_lookup_key_finds() {
        for state in STATES.all() {
            let code = state.code.as_str();
            let by_key = STATES
                .by_key
                .get(&lookup_key(code))
                .map(|i| &STATES.states[*i]);
            assert_eq!(
                STATES.find(code).ok().map(|s| &s.code),
                by_key.map(|s| &s.code)
            );
            assert_eq!(STATES.find(code).ok().map(|s| &s.code), Some(&state.code));
        }
    }

    #[test]
    fn there_are_exactly_193_member_states() {
        assert_eq!(STATES.all().len(), UN_MEMBER_COUNT);
    }

    #[test]
    fn pakistan_is_found_by_code_name_and_case() {
        for input in ["Pakistan", "PAK", "PK", "pakistan", " pak "] {
            assert_eq!(code(input), "PAK", "{input}");
        }
    }

    #[test]
    fn common_variants_are_found() {
        for (input, expected) in [
            ("Türkiye", "TUR"),
            ("Turkey", "TUR"),
            ("Côte d'Ivoire", "CIV"),
            ("Cote d’Ivoire", "CIV"),
            ("Ivory Coast", "CIV"),
            ("Viet Nam", "VNM"),
            ("Vietnam", "VNM"),
            ("Republic of Korea", "KOR"),
            ("South Korea", "KOR"),
            ("United Kingdom", "GBR"),
            ("Democratic Republic of the Congo", "COD"),
        ] {
            assert_eq!(code(input), expected, "{input}");
        }
    }

    #[test]
    fn a_typo_fails_with_a_suggestion() {
        assert_eq!(
            code("Pakistn"),
            "unknown member state 'Pakistn' — did you mean Pakistan (PAK)?"
        );
    }

    #[test]
    fn territories_that_are_not_members_are_refused() {
        assert!(STATES.find("Greenland").is_err());
        assert!(STATES.find("Taiwan").is_err());
    }

    #[test]
    fn display_names_are_short() {
        let kor = STATES.find("KOR").unwrap();
        assert_eq!(kor.name, "Republic of Korea");
        assert!(
            STATES.all().iter().all(|s| !s.name.contains('(')),
            "an ISO long form slipped through"
        );
    }

    proptest! {
        #[test]
        fn looking_up_any_text_never_panics(text in ".*") {
            let _ = STATES.find(&text);
        }
    }
}
