//! Conversions between pledge rows and domain pledges.

use std::collections::HashMap;

use chrono::NaiveDate;

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

/// A pledge's values in the API's field names: what audit entries and history show. The
/// fields are in alphabetical order, so that writing this directly (`serde_json::to_writer`,
/// as a bulk update does) gives the same text as writing its `serde_json::Value`, whose map is
/// sorted.
#[derive(Debug, serde::Serialize)]
pub(crate) struct PledgeValues<'a> {
    available_from: Option<NaiveDate>,
    capability: &'a str,
    category: &'a str,
    caveats: Option<&'a str>,
    conference: Option<&'a str>,
    duration_months: Option<u8>,
    equipment: Vec<EquipmentValues<'a>>,
    female_personnel: u32,
    id: i64,
    member_state: &'a str,
    mission: Option<&'a str>,
    monthly_cost_usd: Option<String>,
    notes: Option<&'a str>,
    partners: String,
    personnel: u32,
    pledge_ref: &'a str,
    quantity: u32,
    readiness: &'a str,
    registered_on: NaiveDate,
    renewed_on: Option<NaiveDate>,
    status: &'a str,
    version: i32,
}

/// One equipment line's values, fields in alphabetical order (see [`PledgeValues`]).
#[derive(Debug, serde::Serialize)]
pub(crate) struct EquipmentValues<'a> {
    category: &'a str,
    description: &'a str,
    lease: &'a str,
    quantity: u32,
}

impl<'a> PledgeValues<'a> {
    pub(crate) fn of(p: &'a Pledge) -> Self {
        Self {
            available_from: p.available_from,
            capability: p.capability.as_str(),
            category: p.category.as_str(),
            caveats: p.caveats.as_deref(),
            conference: p.conference.as_ref().map(|c| c.as_str()),
            duration_months: p.duration_months.map(|d| d.get()),
            equipment: equipment_values(&p.equipment),
            female_personnel: p.personnel.women(),
            id: p.id,
            member_state: p.member_state.as_str(),
            mission: p.mission.as_ref().map(|m| m.as_str()),
            monthly_cost_usd: p.monthly_cost_usd.map(|u| u.to_string()),
            notes: p.notes.as_deref(),
            partners: partners_text(&p.partners),
            personnel: p.personnel.total(),
            pledge_ref: p.pledge_ref.as_str(),
            quantity: p.quantity.get(),
            readiness: p.readiness.as_str(),
            registered_on: p.registered_on,
            renewed_on: p.renewed_on,
            status: p.status.as_str(),
            version: p.version,
        }
    }
}

fn equipment_values(lines: &[EquipmentLine]) -> Vec<EquipmentValues<'_>> {
    lines
        .iter()
        .map(|e| EquipmentValues {
            category: &e.category,
            description: &e.description,
            lease: e.lease.as_str(),
            quantity: e.quantity.get(),
        })
        .collect()
}

/// A pledge's values as JSON, in the API's field names: what audit entries and history show.
pub(crate) fn pledge_values(p: &Pledge) -> serde_json::Value {
    // Serialising plain fields into a `Value` cannot fail.
    serde_json::to_value(PledgeValues::of(p)).unwrap_or_default()
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
    // Serialising plain fields into a `Value` cannot fail.
    serde_json::to_value(equipment_values(lines)).unwrap_or_default()
}

/// Writes `value` as JSON text to `out`: for [`PledgeValues`] and [`EquipmentValues`], the
/// same text as their `Value`s give.
pub(crate) fn write_json(
    out: &mut Vec<u8>,
    value: &impl serde::Serialize,
) -> Result<(), StoreError> {
    serde_json::to_writer(out, value).map_err(|e| StoreError::Other(format!("JSON: {e}")))
}

/// The equipment lines' JSON text, as [`equipment_json`] gives it.
pub(crate) fn write_equipment_json(
    out: &mut Vec<u8>,
    lines: &[EquipmentLine],
) -> Result<(), StoreError> {
    write_json(out, &equipment_values(lines))
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Utc};
    use pledgeboard_domain::pledge::{DurationMonths, Lease};
    use pledgeboard_domain::{
        CapabilityCode, ConferenceCode, EquipmentLine, MemberStateCode, MissionAcronym, Partner,
        Personnel, Pledge, PledgeRef, Quantity, Usd,
    };

    use super::{PledgeValues, equipment_json, pledge_values, write_equipment_json, write_json};

    fn pledge(full: bool) -> Pledge {
        let date = NaiveDate::from_ymd_opt(2027, 1, 15).unwrap();
        let text = |t: &str| full.then(|| t.to_owned());
        Pledge {
            id: 42,
            pledge_ref: PledgeRef::parse("PAK-2026-001").unwrap(),
            member_state: MemberStateCode::parse("PAK").unwrap(),
            capability: CapabilityCode::parse("INF-BN").unwrap(),
            category: "unit".parse().unwrap(),
            quantity: Quantity::new(2).unwrap(),
            personnel: Personnel::new(1700, 170).unwrap(),
            readiness: "L2".parse().unwrap(),
            available_from: full.then_some(date),
            duration_months: full.then(|| DurationMonths::new(12).unwrap()),
            mission: full.then(|| MissionAcronym::parse("UNMISS").unwrap()),
            conference: full.then(|| ConferenceCode::parse("ISB-2025").unwrap()),
            status: "verified".parse().unwrap(),
            caveats: text("say \"hi\", \\ {x}\n\té"),
            monthly_cost_usd: full.then(|| Usd::from_cents(123_456).unwrap()),
            partners: if full {
                vec![Partner {
                    member_state: MemberStateCode::parse("JPN").unwrap(),
                    role: "equips".parse().unwrap(),
                }]
            } else {
                Vec::new()
            },
            equipment: if full {
                vec![EquipmentLine {
                    category: "APC".into(),
                    description: "wheeled \"6x6\"".into(),
                    quantity: Quantity::new(4).unwrap(),
                    lease: Lease::Wet,
                }]
            } else {
                Vec::new()
            },
            notes: text("</script> & ünïcode"),
            registered_on: date,
            renewed_on: full.then_some(date),
            version: 3,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            updated_by: "planner".into(),
        }
    }

    #[test]
    fn pledge_values_written_directly_are_the_text_of_their_json_value() {
        for p in [pledge(true), pledge(false)] {
            let mut direct = Vec::new();
            write_json(&mut direct, &PledgeValues::of(&p)).unwrap();
            assert_eq!(
                String::from_utf8(direct).unwrap(),
                pledge_values(&p).to_string()
            );
            let mut equipment = Vec::new();
            write_equipment_json(&mut equipment, &p.equipment).unwrap();
            assert_eq!(
                String::from_utf8(equipment).unwrap(),
                equipment_json(&p.equipment).to_string()
            );
        }
    }
}
