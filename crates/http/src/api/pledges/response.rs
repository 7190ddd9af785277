//! The JSON shape of a pledge, as DESIGN.md names its fields.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use std::collections::HashMap;

use pledgeboard_domain::Pledge;
use pledgeboard_domain::lineage::PledgeKey;

use crate::{ApiError, AppState};
use serde::{Serialize, Serializer};
use utoipa::ToSchema;

/// A partner state in a joint pledge.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerJson {
    pub member_state: String,
    pub role: String,
}

/// One major-equipment line.
#[derive(Debug, Serialize, ToSchema)]
pub struct EquipmentJson {
    pub category: String,
    pub description: String,
    pub quantity: u32,
    pub lease: String,
}

/// A pledge as the API returns it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PledgeResponse {
    pub id: i64,
    pub pledge_ref: String,
    pub member_state: String,
    pub capability: String,
    pub category: String,
    pub quantity: u32,
    /// Stated, or (when `personnel_estimated`) the capability's standard size × quantity.
    pub personnel: u32,
    pub female_personnel: u32,
    /// True when nobody stated the personnel: it is estimated, and follows the quantity.
    pub personnel_estimated: bool,
    pub readiness: String,
    pub available_from: Option<NaiveDate>,
    pub duration_months: Option<u8>,
    pub mission: Option<String>,
    pub conference: Option<String>,
    pub status: String,
    pub caveats: Option<String>,
    /// USD with two decimals, as a string.
    pub monthly_cost_usd: Option<String>,
    pub partners: Vec<PartnerJson>,
    pub equipment: Vec<EquipmentJson>,
    pub notes: Option<String>,
    pub registered_on: NaiveDate,
    pub renewed_on: Option<NaiveDate>,
    pub renewal_due: NaiveDate,
    /// The earlier pledge of the same state this one re-announces, `ISO3:REF`.
    pub supersedes: Option<String>,
    /// The id of that pledge.
    pub supersedes_id: Option<i64>,
    pub version: i32,
    #[serde(serialize_with = "rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "rfc3339")]
    pub updated_at: DateTime<Utc>,
}

/// Timestamps as RFC 3339 UTC with a `Z`, to the second's microsecond.
fn rfc3339<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::Micros, true))
}

impl From<Pledge> for PledgeResponse {
    fn from(p: Pledge) -> Self {
        let renewal_due = p.renewal_due();
        let supersedes = p.supersedes_key().map(|k| k.to_string());
        Self {
            id: p.id,
            pledge_ref: p.pledge_ref.into(),
            member_state: p.member_state.into(),
            capability: p.capability.into(),
            category: p.category.to_string(),
            quantity: p.quantity.get(),
            personnel: p.personnel.total(),
            female_personnel: p.personnel.women(),
            personnel_estimated: p.personnel.is_estimated(),
            readiness: p.readiness.to_string(),
            available_from: p.available_from,
            duration_months: p.duration_months.map(|d| d.get()),
            mission: p.mission.map(String::from),
            conference: p.conference.map(String::from),
            status: p.status.to_string(),
            caveats: p.caveats,
            monthly_cost_usd: p.monthly_cost_usd.map(|u| u.to_string()),
            partners: p
                .partners
                .into_iter()
                .map(|x| PartnerJson {
                    member_state: x.member_state.into(),
                    role: x.role.to_string(),
                })
                .collect(),
            equipment: p
                .equipment
                .into_iter()
                .map(|e| EquipmentJson {
                    category: e.category,
                    description: e.description,
                    quantity: e.quantity.get(),
                    lease: e.lease.to_string(),
                })
                .collect(),
            notes: p.notes,
            registered_on: p.registered_on,
            renewed_on: p.renewed_on,
            renewal_due,
            supersedes,
            supersedes_id: None,
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// Pledges as the API answers them, each with the id of the pledge it supersedes (looked up
/// for them all at once).
pub async fn pledge_responses(
    state: &AppState,
    pledges: Vec<Pledge>,
) -> Result<Vec<PledgeResponse>, ApiError> {
    let keys: Vec<PledgeKey> = pledges.iter().filter_map(Pledge::supersedes_key).collect();
    let ids = if keys.is_empty() {
        HashMap::new()
    } else {
        state.store.pledge_ids(&keys).await?
    };
    Ok(pledges
        .into_iter()
        .map(|p| {
            let id = p.supersedes_key().and_then(|k| ids.get(&k).copied());
            PledgeResponse {
                supersedes_id: id,
                ..PledgeResponse::from(p)
            }
        })
        .collect())
}

/// One pledge as the API answers it (see [`pledge_responses`]).
pub async fn pledge_response(state: &AppState, pledge: Pledge) -> Result<PledgeResponse, ApiError> {
    pledge_responses(state, vec![pledge])
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal("a pledge answered as none".into()))
}

/// A page of pledges.
#[derive(Debug, Serialize, ToSchema)]
pub struct PledgePageResponse {
    pub items: Vec<PledgeResponse>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}
