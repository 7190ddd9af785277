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
    /// Every member state, capability, mission and conference of the catalog.
    pub fn of(catalog: &Catalog) -> Self {
        Self {
            member_states: catalog
                .member_states()
                .all()
                .iter()
                .map(|m| (m.code.to_string(), m.name.clone()))
                .collect(),
            capabilities: catalog
                .capabilities()
                .map(|c| (c.code.to_string(), c.name.clone(), c.standard_personnel))
                .collect(),
            missions: catalog
                .missions()
                .map(|m| (m.acronym.to_string(), m.name.clone()))
                .collect(),
            conferences: catalog
                .conferences()
                .map(|c| (c.code.to_string(), c.name.clone()))
                .collect(),
        }
    }
}

/// Readiness levels, lowest first, with what each means.
pub fn readiness_options() -> Vec<(String, String)> {
    Readiness::ALL
        .iter()
        .map(|r| {
            let meaning = match r {
                Readiness::L1 => "registered",
                Readiness::L2 => "assessed (firm)",
                Readiness::L3 => "aligned with requirements (firm)",
                Readiness::Rdl => "rapid deployment (firm)",
            };
            (r.to_string(), format!("{r} — {meaning}"))
        })
        .collect()
}

/// The statuses a pledge at `current` may be given: itself and its allowed next statuses.
pub fn status_options(current: PledgeStatus) -> Vec<(String, String)> {
    std::iter::once(current)
        .chain(current.allowed_next().iter().copied())
        .map(|s| (s.to_string(), s.to_string()))
        .collect()
}
