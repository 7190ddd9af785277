//! The reference data every pledge is checked against, with forgiving look-ups that suggest
//! the closest match when a code is mistyped.

use std::collections::BTreeMap;

use crate::{
    Capability, CapabilityCode, Conference, ConferenceCode, DomainError, GenderTarget, MemberState,
    MemberStates, Mission, MissionAcronym,
};

/// Member states, capabilities, missions, conferences and gender targets, indexed by code.
#[derive(Debug, Clone)]
pub struct Catalog {
    member_states: MemberStates,
    capabilities: BTreeMap<CapabilityCode, Capability>,
    missions: BTreeMap<MissionAcronym, Mission>,
    conferences: BTreeMap<ConferenceCode, Conference>,
    gender_targets: Vec<GenderTarget>,
}

impl Catalog {
    /// Indexes the given reference data.
    pub fn new(
        member_states: MemberStates,
        capabilities: Vec<Capability>,
        missions: Vec<Mission>,
        conferences: Vec<Conference>,
        gender_targets: Vec<GenderTarget>,
    ) -> Self {
        Self {
            member_states,
            capabilities: capabilities
                .into_iter()
                .map(|c| (c.code.clone(), c))
                .collect(),
            missions: missions
                .into_iter()
                .map(|m| (m.acronym.clone(), m))
                .collect(),
            conferences: conferences
                .into_iter()
                .map(|c| (c.code.clone(), c))
                .collect(),
            gender_targets,
        }
    }

    /// The 193 member states.
    pub fn member_states(&self) -> &MemberStates {
        &self.member_states
    }

    /// Finds a member state by alpha-3, alpha-2 or English name.
    pub fn member_state(&self, input: &str) -> Result<&MemberState, DomainError> {
        self.member_states.find(input)
    }

    /// Every capability, by code.
    pub fn capabilities(&self) -> impl Iterator<Item = &Capability> {
        self.capabilities.values()
    }

    /// Finds a capability by code or by name ("Staff officers"), case-insensitively; a near
    /// miss suggests the closest one, named with its code.
    pub fn capability(&self, input: &str) -> Result<&Capability, DomainError> {
        lookup(
            &self.capabilities,
            "capability",
            input,
            CapabilityCode::parse,
            |c| &c.name,
        )
    }

    /// A capability as pages name it: "Infantry battalion (INF-BN)", or the bare code when the
    /// catalog does not know it.
    pub fn capability_label(&self, code: &str) -> String {
        match self.capability(code) {
            Ok(c) => format!("{} ({})", c.name, c.code),
            Err(_) => code.to_owned(),
        }
    }

    /// Every mission, by acronym.
    pub fn missions(&self) -> impl Iterator<Item = &Mission> {
        self.missions.values()
    }

    /// Finds a mission by acronym or by its full name, case-insensitively; a near miss
    /// suggests the closest one, named with its acronym.
    pub fn mission(&self, input: &str) -> Result<&Mission, DomainError> {
        lookup(
            &self.missions,
            "mission",
            input,
            MissionAcronym::parse,
            |m| &m.name,
        )
    }

    /// Every conference, by code.
    pub fn conferences(&self) -> impl Iterator<Item = &Conference> {
        self.conferences.values()
    }

    /// Finds a conference by code, case-insensitively (conference names are long sentences
    /// nobody types, so only codes are looked up and suggested).
    pub fn conference(&self, input: &str) -> Result<&Conference, DomainError> {
        lookup(
            &self.conferences,
            "conference",
            input,
            ConferenceCode::parse,
            |_| "",
        )
    }

    /// The gender parity targets.
    pub fn gender_targets(&self) -> &[GenderTarget] {
        &self.gender_targets
    }
}

/// Closest key by edit distance, if it is close enough to be a likely typo.
pub(crate) fn closest<'a>(
    input: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted = input.trim().to_lowercase();
    candidates
        .map(|c| (strsim::jaro_winkler(&wanted, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= SUGGESTION_MIN_SIMILARITY)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Jaro-Winkler similarity above which a near miss is offered as "did you mean".
pub(crate) const SUGGESTION_MIN_SIMILARITY: f64 = 0.8;

/// Finds `input` among `map`'s keys, else among the names `name` gives (case and runs of
/// spaces ignored); when neither matches, the closest key or name is suggested.
fn lookup<'a, K, V>(
    map: &'a BTreeMap<K, V>,
    kind: &'static str,
    input: &str,
    parse: impl Fn(&str) -> Result<K, DomainError>,
    name: impl Fn(&V) -> &str,
) -> Result<&'a V, DomainError>
where
    K: Ord + AsRef<str>,
{
    if let Some(found) = parse(input).ok().and_then(|key| map.get(&key)) {
        return Ok(found);
    }
    let wanted = name_key(input);
    if let Some(found) = map
        .values()
        .find(|v| !name(v).is_empty() && name_key(name(v)) == wanted)
    {
        return Ok(found);
    }
    // A mistyped code is answered with the code, a mistyped name with "Name (CODE)".
    let candidates = map
        .iter()
        .flat_map(|(k, v)| [k.as_ref(), name(v)])
        .filter(|c| !c.is_empty());
    let suggestion = closest(input, candidates).and_then(|best| {
        map.iter().find_map(|(k, v)| {
            if k.as_ref() == best {
                Some(best.to_owned())
            } else if name(v) == best {
                Some(format!("{best} ({})", k.as_ref()))
            } else {
                None
            }
        })
    });
    Err(DomainError::UnknownCode {
        kind,
        input: input.trim().to_owned(),
        suggestion,
    })
}

/// A name as compared: lower case, words separated by single spaces.
fn name_key(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Codes read as text and parse from text through their checked constructor.
macro_rules! code_text {
    ($($t:ty),*) => {$(
        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::str::FromStr for $t {
            type Err = DomainError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    )*};
}
code_text!(
    CapabilityCode,
    MissionAcronym,
    ConferenceCode,
    crate::MemberStateCode,
    crate::PledgeRef
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference_csv::{parse_capabilities, parse_missions};

    fn catalog() -> Catalog {
        Catalog::new(
            crate::MemberStates::load(),
            parse_capabilities(include_str!("../../../fixtures/capabilities.csv")).unwrap(),
            parse_missions(include_str!("../../../fixtures/missions.csv")).unwrap(),
            vec![],
            vec![],
        )
    }

    #[test]
    fn a_capability_is_found_by_its_name_as_the_hint_promises() {
        let catalog = catalog();
        for typed in ["Staff officers", "staff officers", "  Staff   Officers "] {
            assert_eq!(catalog.capability(typed).unwrap().code.as_str(), "SO");
        }
        assert_eq!(
            catalog
                .capability("Infantry battalion")
                .unwrap()
                .code
                .as_str(),
            "INF-BN"
        );
        assert_eq!(
            catalog.capability("inf-bn").unwrap().code.as_str(),
            "INF-BN"
        );
    }

    #[test]
    fn a_mistyped_capability_name_suggests_the_name_with_its_code() {
        let err = catalog().capability("Infantry batallion").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown capability 'Infantry batallion' — did you mean Infantry battalion (INF-BN)?"
        );
    }

    #[test]
    fn a_mistyped_code_still_suggests_the_code() {
        let err = catalog().capability("INF-BNN").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown capability 'INF-BNN' — did you mean INF-BN?"
        );
    }

    #[test]
    fn a_mission_is_found_by_its_full_name() {
        let catalog = catalog();
        let name = "United Nations Multidimensional Integrated Stabilization Mission in the \
                    Central African Republic";
        assert_eq!(catalog.mission(name).unwrap().acronym.as_str(), "MINUSCA");
        assert_eq!(
            catalog.mission("minusca").unwrap().acronym.as_str(),
            "MINUSCA"
        );
        let err = catalog
            .mission("United Nations Mission in the Republic of South Sudn")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown mission 'United Nations Mission in the Republic of South Sudn' — did you \
             mean United Nations Mission in the Republic of South Sudan (UNMISS)?"
        );
    }

    #[test]
    fn nothing_close_suggests_nothing() {
        let err = catalog().capability("Submarine").unwrap_err();
        assert_eq!(err.to_string(), "unknown capability 'Submarine'");
    }
}
