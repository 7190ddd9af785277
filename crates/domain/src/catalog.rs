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

    /// Finds a capability by code, case-insensitively.
    pub fn capability(&self, input: &str) -> Result<&Capability, DomainError> {
        lookup(
            &self.capabilities,
            "capability",
            input,
            CapabilityCode::parse,
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

    /// Finds a mission by acronym, case-insensitively.
    pub fn mission(&self, input: &str) -> Result<&Mission, DomainError> {
        lookup(&self.missions, "mission", input, MissionAcronym::parse)
    }

    /// Every conference, by code.
    pub fn conferences(&self) -> impl Iterator<Item = &Conference> {
        self.conferences.values()
    }

    /// Finds a conference by code, case-insensitively.
    pub fn conference(&self, input: &str) -> Result<&Conference, DomainError> {
        lookup(
            &self.conferences,
            "conference",
            input,
            ConferenceCode::parse,
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

fn lookup<'a, K, V>(
    map: &'a BTreeMap<K, V>,
    kind: &'static str,
    input: &str,
    parse: impl Fn(&str) -> Result<K, DomainError>,
) -> Result<&'a V, DomainError>
where
    K: Ord + AsRef<str>,
{
    parse(input)
        .ok()
        .and_then(|key| map.get(&key))
        .ok_or_else(|| DomainError::UnknownCode {
            kind,
            input: input.trim().to_owned(),
            suggestion: closest(input, map.keys().map(AsRef::as_ref)).map(str::to_owned),
        })
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
