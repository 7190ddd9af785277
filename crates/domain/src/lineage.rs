//! Lineage: a pledge that re-announces an earlier pledge of the same state `supersedes` it.
//!
//! The later pledge is then `reaffirmed` or `upgraded`; a pledge without a predecessor is
//! `new`. Only the newest pledge of a lineage counts toward current figures. A lineage is a
//! chain: a pledge supersedes at most one pledge and is superseded by at most one, and no
//! chain comes back to where it started.

use crate::message;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::capability::word_enum;
use crate::{Catalog, DomainError, MemberStateCode, Pledge, PledgeRef};

word_enum!(
    /// What a pledge is to the pledge it supersedes (or `new` without one).
    LineageClass, "lineage class", {
        New => "new",
        Reaffirmed => "reaffirmed",
        Upgraded => "upgraded",
    }
);

word_enum!(
    /// Whether a pledge is the newest of its lineage (`current`) or a later pledge supersedes
    /// it (`superseded`): a list filter.
    LineageState, "lineage state", {
        Current => "current",
        Superseded => "superseded",
    }
);

/// Reads a yes/no filter: `true` or `false`.
pub fn parse_flag(text: &str) -> Result<bool, DomainError> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(DomainError::invalid(message!(
            "err-flag",
            "'{other}' should be true or false",
            other = other
        ))),
    }
}

impl LineageClass {
    /// The counting rule of this class, in words.
    pub fn rule(self) -> &'static str {
        match self {
            Self::New => "supersedes no earlier pledge",
            Self::Reaffirmed => {
                "supersedes an earlier pledge of the same capability, with no more quantity and \
                 no higher readiness"
            }
            Self::Upgraded => {
                "supersedes an earlier pledge with more quantity, a higher readiness level, or \
                 another capability"
            }
        }
    }
}

/// Classifies `pledge` against the pledge it supersedes (`None`: it supersedes none).
///
/// Another capability counts as `upgraded`: the state re-announced its offer as something it
/// did not offer before, which is not a reaffirmation.
pub fn classify(pledge: &Pledge, predecessor: Option<&Pledge>) -> LineageClass {
    match predecessor {
        None => LineageClass::New,
        Some(before)
            if before.capability == pledge.capability
                && pledge.quantity <= before.quantity
                && pledge.readiness <= before.readiness =>
        {
            LineageClass::Reaffirmed
        }
        Some(_) => LineageClass::Upgraded,
    }
}

/// A pledge named by its state and reference, written `ISO3:REF` (e.g. `PAK:ISB-2023-04`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PledgeKey {
    pub member_state: MemberStateCode,
    pub pledge_ref: PledgeRef,
}

impl PledgeKey {
    /// Reads `ISO3:REF`; the state may be given by code or name (`Pakistan:ISB-4`). The
    /// reference is everything after the first `:`, so a reference may itself hold one.
    pub fn parse(text: &str, catalog: &Catalog) -> Result<Self, DomainError> {
        let text = text.trim();
        let (state, reference) = text.split_once(':').ok_or_else(|| {
            DomainError::invalid(message!(
                "err-supersedes-shape",
                "'{text}' should name the earlier pledge as STATE:REFERENCE, e.g. PAK:ISB-2023-04",
                text = text
            ))
        })?;
        Ok(Self {
            member_state: catalog.member_state(state.trim())?.code.clone(),
            pledge_ref: PledgeRef::parse(reference)?,
        })
    }
}

impl fmt::Display for PledgeKey {
    /// `ISO3:REF`, the form [`PledgeKey::parse`] reads.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.member_state, self.pledge_ref)
    }
}

/// Checks what a draft names as superseded against the pledge itself: the same state's pledge
/// and not itself. Returns the reference to store (the state is the pledge's own).
pub fn check_supersedes_key(
    own_state: &MemberStateCode,
    own_ref: &PledgeRef,
    target: &PledgeKey,
    catalog: &Catalog,
) -> Result<PledgeRef, DomainError> {
    if &target.member_state != own_state {
        let name = |code: &MemberStateCode| {
            catalog
                .member_states()
                .get(code)
                .map_or_else(|| code.to_string(), |s| s.name.clone())
        };
        return Err(DomainError::invalid(message!(
            "err-supersedes-other-state",
            "{target} is a pledge of {other}; a pledge of {own} can only supersede one of \
             {own}'s own pledges",
            target = target,
            other = name(&target.member_state),
            own = name(own_state),
        )));
    }
    if &target.pledge_ref == own_ref {
        return Err(DomainError::invalid(message!(
            "err-supersedes-itself",
            "a pledge cannot supersede itself ({target})",
            target = target
        )));
    }
    Ok(target.pledge_ref.clone())
}

/// Every pledge of one member state with what it supersedes: what a new link is checked
/// against.
#[derive(Debug, Clone, Default)]
pub struct StateLineage {
    state: Option<MemberStateCode>,
    supersedes: HashMap<PledgeRef, Option<PledgeRef>>,
}

impl StateLineage {
    /// The lineage of `state`'s pledges, given as (reference, what it supersedes).
    pub fn new(
        state: MemberStateCode,
        pledges: impl IntoIterator<Item = (PledgeRef, Option<PledgeRef>)>,
    ) -> Self {
        Self {
            state: Some(state),
            supersedes: pledges.into_iter().collect(),
        }
    }

    /// Records (or replaces) a pledge and what it supersedes, as a write would leave it.
    pub fn set(&mut self, pledge: PledgeRef, supersedes: Option<PledgeRef>) {
        self.supersedes.insert(pledge, supersedes);
    }

    fn key(&self, pledge_ref: &PledgeRef) -> String {
        match &self.state {
            Some(s) => format!("{s}:{pledge_ref}"),
            None => pledge_ref.to_string(),
        }
    }

    /// Checks that `pledge` may supersede `target`: the target exists, no other pledge
    /// supersedes it already, and the chain behind it does not lead back to `pledge`.
    pub fn check(&self, pledge: &PledgeRef, target: &PledgeRef) -> Result<(), DomainError> {
        if pledge == target {
            return Err(DomainError::invalid(message!(
                "err-supersedes-itself",
                "a pledge cannot supersede itself ({target})",
                target = self.key(target)
            )));
        }
        if !self.supersedes.contains_key(target) {
            return Err(DomainError::invalid(message!(
                "err-supersedes-missing",
                "there is no pledge {target} to supersede",
                target = self.key(target)
            )));
        }
        let mut others: Vec<&PledgeRef> = self
            .supersedes
            .iter()
            .filter(|(p, s)| *p != pledge && s.as_ref() == Some(target))
            .map(|(p, _)| p)
            .collect();
        others.sort();
        if let Some(other) = others.first() {
            return Err(DomainError::invalid(message!(
                "err-supersedes-twice",
                "{target} is already superseded by {other}; a pledge is re-announced only once \
                 — supersede {other} instead",
                target = self.key(target),
                other = self.key(other)
            )));
        }
        let mut seen = HashSet::new();
        let mut at = target;
        while let Some(Some(before)) = self.supersedes.get(at) {
            if before == pledge {
                return Err(DomainError::invalid(message!(
                    "err-supersedes-loop",
                    "{pledge} already comes before {target} in its lineage; superseding it would \
                     make a loop",
                    pledge = self.key(pledge),
                    target = self.key(target)
                )));
            }
            if !seen.insert(before) {
                break;
            }
            at = before;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pledge_draft::PledgeDraft;
    use crate::{CapabilityCode, Category, Quantity, Readiness};
    use proptest::prelude::*;

    fn r(text: &str) -> PledgeRef {
        PledgeRef::parse(text).unwrap()
    }

    fn pak() -> MemberStateCode {
        MemberStateCode::parse("PAK").unwrap()
    }

    fn catalog() -> Catalog {
        let capabilities = crate::reference_csv::parse_capabilities(include_str!(
            "../../../fixtures/capabilities.csv"
        ))
        .unwrap();
        Catalog::new(
            crate::MemberStates::load(),
            capabilities,
            vec![],
            vec![],
            vec![],
        )
    }

    fn pledge(capability: &str, quantity: i64, readiness: Readiness) -> Pledge {
        let draft = PledgeDraft {
            pledge_ref: "PAK-1".into(),
            member_state: "PAK".into(),
            capability: "INF-BN".into(),
            quantity: Some(1),
            ..PledgeDraft::default()
        };
        let new = draft.validate(&catalog()).unwrap();
        let at = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        Pledge {
            id: 1,
            pledge_ref: new.pledge_ref,
            member_state: new.member_state,
            capability: CapabilityCode::parse(capability).unwrap(),
            category: Category::Unit,
            quantity: Quantity::new(quantity).unwrap(),
            personnel: new.personnel,
            readiness,
            available_from: None,
            duration_months: None,
            mission: None,
            conference: None,
            status: new.status,
            caveats: None,
            monthly_cost_usd: None,
            partners: vec![],
            equipment: vec![],
            notes: None,
            registered_on: at.date_naive(),
            renewed_on: None,
            supersedes: None,
            version: 1,
            created_at: at,
            updated_at: at,
            updated_by: "test".into(),
        }
    }

    #[test]
    fn a_pledge_without_a_predecessor_is_new() {
        let p = pledge("INF-BN", 1, Readiness::L1);
        assert_eq!(classify(&p, None), LineageClass::New);
    }

    #[test]
    fn the_same_offer_or_less_is_reaffirmed() {
        let before = pledge("INF-BN", 2, Readiness::L2);
        let same = pledge("INF-BN", 2, Readiness::L2);
        let less = pledge("INF-BN", 1, Readiness::L1);
        assert_eq!(classify(&same, Some(&before)), LineageClass::Reaffirmed);
        assert_eq!(classify(&less, Some(&before)), LineageClass::Reaffirmed);
    }

    #[test]
    fn more_quantity_higher_readiness_or_another_capability_is_upgraded() {
        let before = pledge("INF-BN", 2, Readiness::L2);
        let more = pledge("INF-BN", 3, Readiness::L1);
        let higher = pledge("INF-BN", 1, Readiness::L3);
        let other = pledge("ENG-COY", 1, Readiness::L1);
        for after in [more, higher, other] {
            assert_eq!(classify(&after, Some(&before)), LineageClass::Upgraded);
        }
    }

    #[test]
    fn a_key_reads_state_code_or_name_and_a_reference_with_a_colon() {
        let catalog = catalog();
        let key = PledgeKey::parse(" pak:ISB:7 ", &catalog).unwrap();
        assert_eq!(key.to_string(), "PAK:ISB:7");
        assert!(PledgeKey::parse("PAK-ISB-7", &catalog).is_err());
        assert!(PledgeKey::parse("Pakistn:ISB-7", &catalog).is_err());
    }

    #[test]
    fn superseding_another_states_pledge_is_refused_in_words() {
        let catalog = catalog();
        let key = PledgeKey::parse("BGD:ISB-1", &catalog).unwrap();
        let error = check_supersedes_key(&pak(), &r("ACC-1"), &key, &catalog).unwrap_err();
        assert_eq!(
            error.to_string(),
            "BGD:ISB-1 is a pledge of Bangladesh; a pledge of Pakistan can only supersede one of \
             Pakistan's own pledges"
        );
    }

    #[test]
    fn superseding_itself_is_refused() {
        let catalog = catalog();
        let key = PledgeKey::parse("PAK:ISB-1", &catalog).unwrap();
        let error = check_supersedes_key(&pak(), &r("ISB-1"), &key, &catalog).unwrap_err();
        assert!(error.to_string().contains("cannot supersede itself"));
        let lineage = StateLineage::new(pak(), [(r("ISB-1"), None)]);
        assert!(lineage.check(&r("ISB-1"), &r("ISB-1")).is_err());
    }

    #[test]
    fn superseding_an_unknown_pledge_is_refused() {
        let lineage = StateLineage::new(pak(), [(r("ISB-1"), None)]);
        let error = lineage.check(&r("ACC-1"), &r("ISB-9")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "there is no pledge PAK:ISB-9 to supersede"
        );
    }

    #[test]
    fn a_cycle_is_refused() {
        // ISB-1 ← ACC-1 ← BER-1: ISB-1 may not now supersede BER-1.
        let lineage = StateLineage::new(
            pak(),
            [
                (r("ISB-1"), None),
                (r("ACC-1"), Some(r("ISB-1"))),
                (r("BER-1"), Some(r("ACC-1"))),
            ],
        );
        let error = lineage.check(&r("ISB-1"), &r("BER-1")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "PAK:ISB-1 already comes before PAK:BER-1 in its lineage; superseding it would make a loop"
        );
        assert!(lineage.check(&r("NEW-1"), &r("BER-1")).is_ok());
    }

    #[test]
    fn a_pledge_superseded_already_cannot_be_superseded_by_another() {
        let lineage =
            StateLineage::new(pak(), [(r("ISB-1"), None), (r("ACC-1"), Some(r("ISB-1")))]);
        let error = lineage.check(&r("BER-1"), &r("ISB-1")).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("already superseded by PAK:ACC-1")
        );
        assert!(
            lineage.check(&r("ACC-1"), &r("ISB-1")).is_ok(),
            "its own link again"
        );
    }

    proptest! {
        /// Links accepted one after another never make a loop and never two successors.
        #[test]
        fn accepted_links_always_form_chains(links in proptest::collection::vec((0u8..8, 0u8..8), 0..40)) {
            let name = |n: u8| r(&format!("P{n}"));
            let mut lineage = StateLineage::new(pak(), (0..8).map(|n| (name(n), None)));
            let mut accepted: HashMap<u8, u8> = HashMap::new();
            for (from, to) in links {
                if lineage.check(&name(from), &name(to)).is_ok() {
                    lineage.set(name(from), Some(name(to)));
                    accepted.insert(from, to);
                }
            }
            for start in 0..8u8 {
                let mut at = start;
                let mut steps = 0;
                while let Some(next) = accepted.get(&at) {
                    at = *next;
                    steps += 1;
                    prop_assert!(steps <= 8, "a loop through P{}", start);
                }
            }
            let mut targets: Vec<u8> = accepted.values().copied().collect();
            targets.sort_unstable();
            let before = targets.len();
            targets.dedup();
            prop_assert_eq!(before, targets.len(), "two successors of one pledge");
        }
    }
}
