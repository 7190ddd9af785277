//! Conversions between pledge rows and domain pledges.

use std::collections::HashMap;

use pledgeboard_domain::pledge::DurationMonths;
use pledgeboard_domain::{
    CapabilityCode, ConferenceCode, EquipmentLine, MemberStateCode, MissionAcronym, Partner,
    Personnel, Pledge, PledgeRef, Quantity, Usd,
};

use crate::StoreError;
use crate::entities::{pledge, pledge_equipment, pledge_partner};

/// Builds domain pledges from rows plus their partners and equipment, grouped by pledge id.
pub(crate) fn assemble(
    rows: Vec<pledge::Model>,
    partners: Vec<pledge_partner::Model>,
    equipment: Vec<pledge_equipment::Model>,
) -> Result<Vec<Pledge>, StoreError> {
    let mut partners_by: HashMap<i64, Vec<Partner>> = HashMap::new();
    for p in partners {
        partners_by.entry(p.pledge_id).or_default().push(Partner {
            member_state: MemberStateCode::parse(&p.member_state)?,
            role: p.role.parse()?,
        });
    }
    let mut equipment_by: HashMap<i64, Vec<EquipmentLine>> = HashMap::new();
    for e in equipment {
        equipment_by
            .entry(e.pledge_id)
            .or_default()
            .push(EquipmentLine {
                category: e.category,
                description: e.description,
                quantity: Quantity::new(i64::from(e.quantity))?,
                lease: e.lease.parse()?,
            });
    }
    rows.into_iter()
        .map(|row| {
            let id = row.id;
            let mut partners = partners_by.remove(&id).unwrap_or_default();
            partners.sort_by(|a, b| a.member_state.cmp(&b.member_state));
            to_domain(row, partners, equipment_by.remove(&id).unwrap_or_default())
        })
        .collect()
}

fn to_domain(
    m: pledge::Model,
    partners: Vec<Partner>,
    equipment: Vec<EquipmentLine>,
) -> Result<Pledge, StoreError> {
    Ok(Pledge {
        id: m.id,
        pledge_ref: PledgeRef::parse(&m.pledge_ref)?,
        member_state: MemberStateCode::parse(&m.member_state)?,
        capability: CapabilityCode::parse(&m.capability)?,
        category: m.category.parse()?,
        quantity: Quantity::new(i64::from(m.quantity))?,
        personnel: Personnel::new(i64::from(m.personnel), i64::from(m.female_personnel))?,
        readiness: m.readiness.parse()?,
        available_from: m.available_from,
        duration_months: m
            .duration_months
            .map(|d| DurationMonths::new(i64::from(d)))
            .transpose()?,
        mission: m
            .mission
            .as_deref()
            .map(MissionAcronym::parse)
            .transpose()?,
        conference: m
            .conference
            .as_deref()
            .map(ConferenceCode::parse)
            .transpose()?,
        status: m.status.parse()?,
        caveats: m.caveats,
        monthly_cost_usd: m.monthly_cost_cents.map(Usd::from_cents).transpose()?,
        partners,
        equipment,
        notes: m.notes,
        registered_on: m.registered_on,
        renewed_on: m.renewed_on,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
        updated_by: m.updated_by,
    })
}

/// A pledge's values as JSON, in the API's field names: what audit entries and history show.
pub(crate) fn pledge_values(p: &Pledge) -> serde_json::Value {
    serde_json::json!({
        "id": p.id,
        "pledge_ref": p.pledge_ref.as_str(),
        "member_state": p.member_state.as_str(),
        "capability": p.capability.as_str(),
        "category": p.category.as_str(),
        "quantity": p.quantity.get(),
        "personnel": p.personnel.total(),
        "female_personnel": p.personnel.women(),
        "readiness": p.readiness.as_str(),
        "available_from": p.available_from,
        "duration_months": p.duration_months.map(|d| d.get()),
        "mission": p.mission.as_ref().map(|m| m.as_str()),
        "conference": p.conference.as_ref().map(|c| c.as_str()),
        "status": p.status.as_str(),
        "caveats": p.caveats,
        "monthly_cost_usd": p.monthly_cost_usd.map(|u| u.to_string()),
        "partners": partners_text(&p.partners),
        "equipment": equipment_json(&p.equipment),
        "notes": p.notes,
        "registered_on": p.registered_on,
        "renewed_on": p.renewed_on,
        "version": p.version,
    })
}

/// Partners as `ISO3:role` entries joined by `;`, the CSV form.
pub(crate) fn partners_text(partners: &[Partner]) -> String {
    partners
        .iter()
        .map(|p| format!("{}:{}", p.member_state, p.role))
        .collect::<Vec<_>>()
        .join(";")
}

/// Equipment lines as a JSON array.
pub(crate) fn equipment_json(lines: &[EquipmentLine]) -> serde_json::Value {
    lines
        .iter()
        .map(|e| {
            serde_json::json!({
                "category": e.category,
                "description": e.description,
                "quantity": e.quantity.get(),
                "lease": e.lease.as_str(),
            })
        })
        .collect()
}
