//! Conversions between pledge rows and domain pledges.

use std::collections::HashMap;

use chrono::NaiveDate;

use pledgeboard_domain::pledge::DurationMonths;
use pledgeboard_domain::{
    CapabilityCode, ConferenceCode, EquipmentLine, MemberStateCode, MissionAcronym, Partner,
    Personnel, Pledge, PledgeRef, Quantity, Usd,
};

use crate::StoreError;
use crate::entities::{pledge, pledge_equipment, pledge_partner, pledge_version};

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

/// Builds the domain pledge a superseded version row holds: its partners kept as CSV text and
/// its equipment as JSON, both as [`version_row`](crate::pledges::write) wrote them.
pub(crate) fn version_to_domain(v: &pledge_version::Model) -> Result<Pledge, StoreError> {
    let partners = v
        .partners
        .split(';')
        .filter(|entry| !entry.is_empty())
        .map(str::parse)
        .collect::<Result<Vec<Partner>, _>>()?;
    let equipment = serde_json::from_str::<Vec<StoredEquipment>>(&v.equipment)
        .map_err(|e| StoreError::Corrupt(format!("equipment of a pledge version: {e}")))?
        .into_iter()
        .map(|e| {
            Ok(EquipmentLine {
                category: e.category,
                description: e.description,
                quantity: Quantity::new(e.quantity)?,
                lease: e.lease.parse()?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let row = pledge::Model {
        id: v.pledge_id,
        member_state: v.member_state.clone(),
        pledge_ref: v.pledge_ref.clone(),
        capability: v.capability.clone(),
        category: v.category.clone(),
        quantity: v.quantity,
        personnel: v.personnel,
        female_personnel: v.female_personnel,
        readiness: v.readiness.clone(),
        available_from: v.available_from,
        duration_months: v.duration_months,
        mission: v.mission.clone(),
        conference: v.conference.clone(),
        status: v.status.clone(),
        caveats: v.caveats.clone(),
        monthly_cost_cents: v.monthly_cost_cents,
        notes: v.notes.clone(),
        registered_on: v.registered_on,
        renewed_on: v.renewed_on,
        version: v.version,
        created_at: v.created_at,
        updated_at: v.valid_from,
        updated_by: v.changed_by.clone(),
    };
    to_domain(row, partners, equipment)
}

/// An equipment line as a version row keeps it (the JSON of [`EquipmentValues`]).
#[derive(serde::Deserialize)]
struct StoredEquipment {
    category: String,
    description: String,
    lease: String,
    quantity: i64,
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

/// Declares [`PledgeValues`] from one list of fields, each with how it is read off a pledge,
/// so that the struct, [`PledgeValues::of`] and [`PledgeValues::write_changes`] cannot drift
/// apart.
macro_rules! pledge_values {
    ($p:ident => { $($field:ident: $ty:ty = $value:expr,)* }) => {
        /// A pledge's values in the API's field names: what history shows, what an audit entry
        /// records of a new pledge, and (for the fields that changed) of a change. The fields
        /// are in alphabetical order, so that writing this directly (`serde_json::to_writer`, as
        /// a bulk update does) gives the same text as writing its `serde_json::Value`, whose map
        /// is sorted.
        #[derive(Debug, PartialEq, serde::Serialize)]
        pub(crate) struct PledgeValues<'a> {
            $($field: $ty,)*
        }

        impl<'a> PledgeValues<'a> {
            pub(crate) fn of($p: &'a Pledge) -> Self {
                Self { $($field: $value,)* }
            }

            /// Writes the fields whose values differ between `self` and `after` as two JSON
            /// objects, the values before into `before_out` and after into `after_out`, keys in
            /// alphabetical order: what an audit entry records of a change.
            pub(crate) fn write_changes(
                &self,
                after: &Self,
                before_out: &mut Vec<u8>,
                after_out: &mut Vec<u8>,
            ) -> Result<(), StoreError> {
                let mut before_object = JsonObject::open(before_out);
                let mut after_object = JsonObject::open(after_out);
                $(
                    if self.$field != after.$field {
                        before_object.field(stringify!($field), &self.$field)?;
                        after_object.field(stringify!($field), &after.$field)?;
                    }
                )*
                before_object.close();
                after_object.close();
                Ok(())
            }
        }
    };
}

pledge_values!(p => {
    available_from: Option<NaiveDate> = p.available_from,
    capability: &'a str = p.capability.as_str(),
    category: &'a str = p.category.as_str(),
    caveats: Option<&'a str> = p.caveats.as_deref(),
    conference: Option<&'a str> = p.conference.as_ref().map(|c| c.as_str()),
    duration_months: Option<u8> = p.duration_months.map(|d| d.get()),
    equipment: Vec<EquipmentValues<'a>> = equipment_values(&p.equipment),
    female_personnel: u32 = p.personnel.women(),
    id: i64 = p.id,
    member_state: &'a str = p.member_state.as_str(),
    mission: Option<&'a str> = p.mission.as_ref().map(|m| m.as_str()),
    monthly_cost_usd: Option<String> = p.monthly_cost_usd.map(|u| u.to_string()),
    notes: Option<&'a str> = p.notes.as_deref(),
    partners: Vec<PartnerValues<'a>> = partner_values(&p.partners),
    personnel: u32 = p.personnel.total(),
    pledge_ref: &'a str = p.pledge_ref.as_str(),
    quantity: u32 = p.quantity.get(),
    readiness: &'a str = p.readiness.as_str(),
    registered_on: NaiveDate = p.registered_on,
    renewed_on: Option<NaiveDate> = p.renewed_on,
    status: &'a str = p.status.as_str(),
    version: i32 = p.version,
});

/// One partner's values, as the API gives them (`{member_state, role}`), fields in
/// alphabetical order (see [`PledgeValues`]).
#[derive(Debug, PartialEq, serde::Serialize)]
pub(crate) struct PartnerValues<'a> {
    member_state: &'a str,
    role: &'a str,
}

fn partner_values(partners: &[Partner]) -> Vec<PartnerValues<'_>> {
    partners
        .iter()
        .map(|p| PartnerValues {
            member_state: p.member_state.as_str(),
            role: p.role.as_str(),
        })
        .collect()
}

/// One equipment line's values, fields in alphabetical order (see [`PledgeValues`]).
#[derive(Debug, PartialEq, serde::Serialize)]
pub(crate) struct EquipmentValues<'a> {
    category: &'a str,
    description: &'a str,
    lease: &'a str,
    quantity: u32,
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

/// A JSON object written field by field into a byte buffer.
struct JsonObject<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl<'o> JsonObject<'o> {
    fn open(out: &'o mut Vec<u8>) -> Self {
        out.push(b'{');
        Self { out, first: true }
    }

    fn field(&mut self, name: &str, value: &impl serde::Serialize) -> Result<(), StoreError> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        write_json(self.out, &name)?;
        self.out.push(b':');
        write_json(self.out, value)
    }

    fn close(self) {
        self.out.push(b'}');
    }
}

/// A pledge's values as JSON, in the API's field names: what history shows and what an audit
/// entry records of a new pledge.
pub(crate) fn pledge_values(p: &Pledge) -> serde_json::Value {
    // Serialising plain fields into a `Value` cannot fail.
    serde_json::to_value(PledgeValues::of(p)).unwrap_or_default()
}

/// What changed from `before` to `after`, as the two JSON objects an audit entry records: the
/// fields whose values differ, with their values before and after.
pub(crate) fn changed_values(
    before: &Pledge,
    after: &Pledge,
) -> Result<(serde_json::Value, serde_json::Value), StoreError> {
    let (mut before_text, mut after_text) = (Vec::new(), Vec::new());
    PledgeValues::of(before).write_changes(
        &PledgeValues::of(after),
        &mut before_text,
        &mut after_text,
    )?;
    let parse = |text: &[u8]| {
        serde_json::from_slice(text).map_err(|e| StoreError::Other(format!("JSON: {e}")))
    };
    Ok((parse(&before_text)?, parse(&after_text)?))
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

    use super::{
        PledgeValues, changed_values, equipment_json, pledge_values, write_equipment_json,
        write_json,
    };

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

    #[test]
    fn partners_are_listed_as_objects_with_their_state_and_role() {
        let values = pledge_values(&pledge(true));
        assert_eq!(
            values["partners"],
            serde_json::json!([{"member_state": "JPN", "role": "equips"}])
        );
    }

    #[test]
    fn a_change_records_only_the_fields_it_changed() {
        let before = pledge(true);
        let mut after = pledge(true);
        after.quantity = Quantity::new(3).unwrap();
        after.partners.clear();
        after.version += 1;
        let (old, new) = changed_values(&before, &after).unwrap();
        assert_eq!(
            old,
            serde_json::json!({"partners": [{"member_state": "JPN", "role": "equips"}],
                               "quantity": 2, "version": 3})
        );
        assert_eq!(
            new,
            serde_json::json!({"partners": [], "quantity": 3, "version": 4})
        );
    }

    #[test]
    fn the_changes_of_every_field_are_the_differences_of_the_full_values() {
        let (full, bare) = (pledge(true), pledge(false));
        let (old, new) = changed_values(&full, &bare).unwrap();
        let (full_values, bare_values) = (pledge_values(&full), pledge_values(&bare));
        let full_map = full_values.as_object().unwrap();
        let bare_map = bare_values.as_object().unwrap();
        let differing: Vec<&String> = full_map
            .keys()
            .filter(|k| full_map[*k] != bare_map[*k])
            .collect();
        assert!(!differing.is_empty());
        assert_eq!(
            old.as_object().unwrap().keys().collect::<Vec<_>>(),
            differing
        );
        for key in differing {
            assert_eq!(old[key], full_map[key]);
            assert_eq!(new[key], bare_map[key]);
        }
    }
}
