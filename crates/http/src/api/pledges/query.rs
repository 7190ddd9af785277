//! The filters and paging parameters of pledge lists and exports.

use pledgeboard_domain::lineage::parse_flag;
use pledgeboard_domain::{Catalog, DomainError, FieldError, message};
use pledgeboard_store::PledgeFilter;
use serde::Deserialize;

use crate::params::{out_of_range, param};

/// Page size when none is asked for.
pub const DEFAULT_LIMIT: u64 = 100;
/// Largest page a client may ask for.
pub const MAX_LIMIT: u64 = 1000;

/// Query parameters as sent; each is checked and reported by name when wrong.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PledgeListQuery {
    /// Alpha-3, alpha-2 or English name.
    pub member_state: Option<String>,
    pub mission: Option<String>,
    pub capability: Option<String>,
    pub category: Option<String>,
    pub readiness: Option<String>,
    /// Only pledges at this readiness level or above: `L2` gives the firm pledges.
    pub readiness_min: Option<String>,
    pub status: Option<String>,
    pub conference: Option<String>,
    /// `current`: only the newest pledge of each lineage; `superseded`: only pledges a later
    /// pledge supersedes.
    pub lineage: Option<String>,
    /// `new`, `reaffirmed` or `upgraded`: against the pledge each supersedes.
    pub class: Option<String>,
    /// `true`: only joint pledges (with a partner state); `false`: only the others.
    pub joint: Option<String>,
    /// `true`: only pledges earmarked for a mission; `false`: only unearmarked ones.
    pub earmarked: Option<String>,
    /// `true`: only withdrawn pledges; `false`: only those not withdrawn.
    pub withdrawn: Option<String>,
    /// `true`: only formed units (military-unit and formed-police capabilities counted in
    /// units); `false`: only the others.
    pub formed_units: Option<String>,
    /// Page size, 1–1000 (default 100).
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PledgeListQuery {
    /// Resolves names and codes against the catalog; every bad parameter is reported.
    pub fn to_filter(&self, catalog: &Catalog) -> Result<PledgeFilter, Vec<FieldError>> {
        let mut e = Vec::new();
        let filter = PledgeFilter {
            member_state: param(&mut e, "member_state", &self.member_state, |v| {
                Ok(catalog.member_state(v)?.code.clone())
            }),
            mission: param(&mut e, "mission", &self.mission, |v| {
                Ok(catalog.mission(v)?.acronym.clone())
            }),
            capability: param(&mut e, "capability", &self.capability, |v| {
                Ok(catalog.capability(v)?.code.clone())
            }),
            category: param(&mut e, "category", &self.category, str::parse),
            readiness: param(&mut e, "readiness", &self.readiness, str::parse),
            readiness_min: param(&mut e, "readiness_min", &self.readiness_min, str::parse),
            status: param(&mut e, "status", &self.status, str::parse),
            conference: param(&mut e, "conference", &self.conference, |v| {
                Ok(catalog.conference(v)?.code.clone())
            }),
            lineage: param(&mut e, "lineage", &self.lineage, str::parse),
            class: param(&mut e, "class", &self.class, str::parse),
            joint: param(&mut e, "joint", &self.joint, parse_flag),
            earmarked: param(&mut e, "earmarked", &self.earmarked, parse_flag),
            withdrawn: param(&mut e, "withdrawn", &self.withdrawn, parse_flag),
            formed_units: param(&mut e, "formed_units", &self.formed_units, parse_flag),
            limit: param(&mut e, "limit", &self.limit, |v| match v.parse::<u64>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
                _ => Err(out_of_range("limit", 1, MAX_LIMIT)),
            })
            .unwrap_or(DEFAULT_LIMIT),
            after_id: param(&mut e, "cursor", &self.cursor, |v| {
                v.parse::<i64>().map_err(|_| {
                    DomainError::invalid(message!(
                        "err-cursor",
                        "this cursor was not given by a previous page"
                    ))
                })
            }),
        };
        if e.is_empty() { Ok(filter) } else { Err(e) }
    }
}
