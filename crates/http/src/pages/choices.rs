//! The type-ahead lists and fixed choices of page forms, from the catalog.

use pledgeboard_domain::{Catalog, PledgeStatus, Readiness};

/// The datalists behind type-ahead fields: `(value, label)`, capabilities with their standard
/// personnel per unit.
pub struct Lists {
    pub member_states: Vec<(String, String)>,
    pub capabilities: Vec<(String, String, u32)>,
    pub missions: Vec<(String, String)>,
    pub conferences: Vec<(String, String)>,
}

impl Lists {
    /// Every member state, capability, mission and conference of the catalog, named in the
    /// page's language.
    pub fn of(catalog: &Catalog) -> Self {
        let lang = crate::i18n::current();
        Self {
            member_states: catalog
                .member_states()
                .all()
                .iter()
                .map(|m| {
                    let name = crate::i18n::member_state_name(catalog, m.code.as_str(), lang);
                    (m.code.to_string(), name)
                })
                .collect(),
            capabilities: catalog
                .capabilities()
                .map(|c| {
                    let named = crate::i18n::capability_name(catalog, c.code.as_str(), lang);
                    let name = named
                        .strip_suffix(&format!(" ({})", c.code))
                        .map_or(named.clone(), str::to_owned);
                    (c.code.to_string(), name, c.standard_personnel)
                })
                .collect(),
            missions: catalog
                .missions()
                .map(|m| {
                    let name = crate::i18n::mission_name(catalog, m.acronym.as_str(), lang);
                    (m.acronym.to_string(), name)
                })
                .collect(),
            conferences: catalog
                .conferences()
                .map(|c| {
                    let named = crate::i18n::conference_name(catalog, c.code.as_str(), lang);
                    let name = named
                        .strip_suffix(&format!(" ({})", c.code))
                        .map_or(named.clone(), str::to_owned);
                    (c.code.to_string(), name)
                })
                .collect(),
        }
    }
}

/// Readiness levels, lowest first, with what each means.
pub fn readiness_options() -> Vec<(String, String)> {
    Readiness::ALL
        .iter()
        .map(|r| {
            let meaning = crate::i18n::current().t(&format!("readiness-{r}"));
            (r.to_string(), format!("{r} — {meaning}"))
        })
        .collect()
}

/// The statuses a pledge at `current` may be given: itself and its allowed next statuses.
pub fn status_options(current: PledgeStatus) -> Vec<(String, String)> {
    std::iter::once(current)
        .chain(current.allowed_next().iter().copied())
        .map(|s| {
            let word = crate::i18n::current().t(&format!("status-{s}"));
            (s.to_string(), word)
        })
        .collect()
}
