//! The bodies that create and change pledges, and how they become drafts.

use pledgeboard_domain::pledge_draft::{EquipmentDraft, PledgeDraft};
use serde::{Deserialize, Deserializer};
use utoipa::ToSchema;

/// A partner state and its role in a joint pledge.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerRequest {
    /// Alpha-3, alpha-2 or English name.
    #[serde(default)]
    pub member_state: String,
    /// `trains`, `equips`, `funds` or `deploys`.
    #[serde(default)]
    pub role: String,
}

/// One major-equipment line.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EquipmentRequest {
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub description: String,
    pub quantity: Option<i64>,
    /// `wet` or `dry`.
    #[serde(default)]
    pub lease: String,
}

impl From<EquipmentRequest> for EquipmentDraft {
    fn from(e: EquipmentRequest) -> Self {
        Self {
            category: e.category,
            description: e.description,
            quantity: e.quantity,
            lease: e.lease,
        }
    }
}

fn partner_entries(partners: Vec<PartnerRequest>) -> Vec<String> {
    partners
        .into_iter()
        .map(|p| PledgeDraft::partner_entry(&p.member_state, &p.role))
        .collect()
}

/// A new pledge. Missing fields are reported with every other problem, not one at a time.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePledgeRequest {
    #[serde(default)]
    pub pledge_ref: String,
    /// Alpha-3, alpha-2 or English name.
    #[serde(default)]
    pub member_state: String,
    #[serde(default)]
    pub capability: String,
    pub quantity: Option<i64>,
    /// Left out, it is estimated: the capability's standard size × quantity, answered with
    /// `personnel_estimated: true`.
    pub personnel: Option<i64>,
    pub female_personnel: Option<i64>,
    /// `L1` (default), `L2`, `L3` or `RDL`.
    pub readiness: Option<String>,
    /// `YYYY-MM-DD`.
    pub available_from: Option<String>,
    pub duration_months: Option<i64>,
    pub mission: Option<String>,
    pub conference: Option<String>,
    /// `pledged` (default), `verified`, `deployed` or `withdrawn`.
    pub status: Option<String>,
    pub caveats: Option<String>,
    /// USD as a string with at most two decimals, e.g. `"1250000.50"`; at most
    /// `"1000000000000.00"` (one trillion).
    pub monthly_cost_usd: Option<String>,
    #[serde(default)]
    pub partners: Vec<PartnerRequest>,
    #[serde(default)]
    pub equipment: Vec<EquipmentRequest>,
    pub notes: Option<String>,
    /// `YYYY-MM-DD`; defaults to the day the pledge is recorded.
    pub registered_on: Option<String>,
    pub renewed_on: Option<String>,
    /// The earlier pledge of the same state this one re-announces: its id, or `ISO3:REF`.
    pub supersedes: Option<PledgeReference>,
}

/// A pledge named in a request: by its id or by its key `ISO3:REF`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum PledgeReference {
    Id(i64),
    Key(String),
}

impl PledgeReference {
    /// The key `ISO3:REF` a draft reads; an id must have been resolved to its key first
    /// (see `writes::resolve_supersedes`), else it reads as text that names no pledge.
    fn into_text(self) -> String {
        match self {
            Self::Id(id) => id.to_string(),
            Self::Key(key) => key,
        }
    }
}

impl From<CreatePledgeRequest> for PledgeDraft {
    fn from(r: CreatePledgeRequest) -> Self {
        Self {
            pledge_ref: r.pledge_ref,
            member_state: r.member_state,
            capability: r.capability,
            quantity: r.quantity,
            personnel: r.personnel,
            female_personnel: r.female_personnel,
            personnel_estimated: false,
            readiness: r.readiness,
            available_from: r.available_from,
            duration_months: r.duration_months,
            mission: r.mission,
            conference: r.conference,
            status: r.status,
            caveats: r.caveats,
            monthly_cost_usd: r.monthly_cost_usd,
            partners: partner_entries(r.partners),
            equipment: r.equipment.into_iter().map(Into::into).collect(),
            notes: r.notes,
            registered_on: r.registered_on,
            renewed_on: r.renewed_on,
            supersedes: r.supersedes.map(PledgeReference::into_text),
        }
    }
}

/// `Some(None)` for an explicit `null`, `None` for an absent field.
fn explicit<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A change to a pledge: only the fields present change; `null` clears an optional field.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PledgePatch {
    pub pledge_ref: Option<String>,
    pub member_state: Option<String>,
    pub capability: Option<String>,
    pub quantity: Option<i64>,
    /// A figure states the personnel; `null` returns to the estimate (standard size ×
    /// quantity). Left out, an estimate follows a change of quantity and a stated figure stays.
    #[serde(default, deserialize_with = "explicit")]
    #[schema(value_type = Option<i64>)]
    pub personnel: Option<Option<i64>>,
    pub female_personnel: Option<i64>,
    pub readiness: Option<String>,
    #[serde(default, deserialize_with = "explicit")]
    #[schema(value_type = Option<String>)]
    pub available_from: Option<Option<String>>,
    #[serde(default, deserialize_with = "explicit")]
    #[schema(value_type = Option<i64>)]
    pub duration_months: Option<Option<i64>>,
    #[serde(default, deserialize_with = "explicit")]
    #[schema(value_type = Option<String>)]
    pub mission: Option<Option<String>>,
    #[serde(default, deserialize_with = "explicit")]
    #[schema(value_type = Option<String>)]
    pub conference: Option<Option<String>>,
    pub status: Option<String>,
    #[serde(default, deserialize_with = "explicit")]
    #[schema(value_type = Option<String>)]
    pub caveats: Option<Option<String>>,
    /// USD with at most two decimals, at most `"1000000000000.00"` (a cost stored before that
    /// bound may be restated as it is); `null` clears it.
    #[serde(default, deserialize_with = "explicit")]
    #[schema(value_type = Option<String>)]
    pub monthly_cost_usd: Option<Option<String>>,
    pub partners: Option<Vec<PartnerRequest>>,
    pub equipment: Option<Vec<EquipmentRequest>>,
    #[serde(default, deserialize_with = "explicit")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
    pub registered_on: Option<String>,
    #[serde(default, deserialize_with = "explicit")]
    #[schema(value_type = Option<String>)]
    pub renewed_on: Option<Option<String>>,
    /// The earlier pledge this one re-announces (its id or `ISO3:REF`); `null` clears it.
    #[serde(default, deserialize_with = "explicit")]
    #[schema(value_type = Option<PledgeReference>)]
    pub supersedes: Option<Option<PledgeReference>>,
}

impl PledgePatch {
    /// Applies the present fields to a draft of the current pledge.
    pub fn apply(self, mut d: PledgeDraft) -> PledgeDraft {
        fn set<T>(slot: &mut T, value: Option<T>) {
            if let Some(v) = value {
                *slot = v;
            }
        }
        set(&mut d.pledge_ref, self.pledge_ref);
        set(&mut d.member_state, self.member_state);
        set(&mut d.capability, self.capability);
        set(&mut d.quantity, self.quantity.map(Some));
        set(&mut d.personnel, self.personnel);
        set(&mut d.female_personnel, self.female_personnel.map(Some));
        set(&mut d.readiness, self.readiness.map(Some));
        set(&mut d.available_from, self.available_from);
        set(&mut d.duration_months, self.duration_months);
        set(&mut d.mission, self.mission);
        set(&mut d.conference, self.conference);
        set(&mut d.status, self.status.map(Some));
        set(&mut d.caveats, self.caveats);
        set(&mut d.monthly_cost_usd, self.monthly_cost_usd);
        set(&mut d.partners, self.partners.map(partner_entries));
        set(
            &mut d.equipment,
            self.equipment
                .map(|e| e.into_iter().map(Into::into).collect()),
        );
        set(&mut d.notes, self.notes);
        set(&mut d.registered_on, self.registered_on.map(Some));
        set(&mut d.renewed_on, self.renewed_on);
        set(
            &mut d.supersedes,
            self.supersedes.map(|s| s.map(PledgeReference::into_text)),
        );
        d
    }
}
