//! The one pledge field list of the store, and every conversion between pledge rows and
//! domain pledges.
//!
//! [`COLUMNS`] names the `pledges` columns a pledge's values fill, in the order [`cells`] gives
//! them; both come from one list, so an insert, an update, a version row, a `SELECT` and the
//! import's cells cannot disagree on a column. [`PledgeValues`] is the same pledge in the API's
//! field names, for history and audit entries. A new pledge column is a migration, its entity
//! field, and a line in each of the two lists here.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, QueryResult, Value};

use pledgeboard_domain::pledge::{DurationMonths, partners_text};
use pledgeboard_domain::renewal::PledgeRenewal;
use pledgeboard_domain::{
    CapabilityCode, Category, ConferenceCode, EquipmentLine, MemberStateCode, MissionAcronym,
    NewPledge, Partner, Personnel, Pledge, PledgeRef, Quantity, Usd,
};

use crate::StoreError;
use crate::entities::{pledge, pledge_equipment, pledge_partner, pledge_version};
use crate::import::cells::Rows;

/// One cell of a pledge's row, typed as its column is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cell<'a> {
    Text(Option<&'a str>),
    SmallInt(Option<i16>),
    Int(Option<i32>),
    BigInt(Option<i64>),
    Date(Option<NaiveDate>),
    Bool(bool),
}

impl Cell<'_> {
    /// Appends this cell to an import batch: text and dates as text, integers as integers.
    pub(crate) fn push_onto(self, rows: &mut Rows) {
        match self {
            Self::Text(t) => rows.text(t),
            Self::Date(d) => rows.display(d),
            Self::SmallInt(n) => rows.int(n.map(i64::from)),
            Self::Int(n) => rows.int(n.map(i64::from)),
            Self::BigInt(n) => rows.int(n),
            // 1 and 0: SQLite keeps booleans so, and PostgreSQL's COPY reads them as such.
            Self::Bool(b) => rows.int(Some(i64::from(b))),
        }
    }
}

impl From<Cell<'_>> for Value {
    fn from(cell: Cell<'_>) -> Self {
        match cell {
            Cell::Text(t) => t.map(str::to_owned).into(),
            Cell::SmallInt(n) => n.into(),
            Cell::Int(n) => n.into(),
            Cell::BigInt(n) => n.into(),
            Cell::Date(d) => d.into(),
            Cell::Bool(b) => b.into(),
        }
    }
}

/// Declares [`COLUMNS`], [`CELLS`] and [`cells`] from one list of columns, each with how its
/// cell is read off a new pledge, so that the names and the values cannot drift apart.
macro_rules! pledge_cells {
    ($p:ident, $category:ident, $registered_on:ident => { $($column:ident: $cell:expr,)* }) => {
        /// The `pledges` columns that vary from pledge to pledge, in [`cells`] order; `id`,
        /// `version`, `created_at`, `updated_at` and `updated_by` are not among them.
        pub(crate) const COLUMNS: [&str; CELLS] = [$(stringify!($column)),*];

        /// Cells per pledge row: `COLUMNS.len()`.
        pub(crate) const CELLS: usize = [$(stringify!($column)),*].len();

        /// The cells of a pledge's row, in [`COLUMNS`] order; `registered_on` is its
        /// registration date when it gives none.
        pub(crate) fn cells<'a>(
            $p: &'a NewPledge,
            $category: Category,
            $registered_on: NaiveDate,
        ) -> [Cell<'a>; CELLS] {
            [$($cell),*]
        }

        /// The cells of a stored pledge's row, in [`COLUMNS`] order: what [`cells`] gave
        /// when it was written.
        pub(crate) fn stored_cells($p: &Pledge) -> [Cell<'_>; CELLS] {
            let ($category, $registered_on) = ($p.category, $p.registered_on);
            [$($cell),*]
        }
    };
}

/// A registration date as a new pledge gives it (perhaps none: the day it is recorded) or as a
/// stored one holds it, for the one list of cells to read off either.
trait RegisteredOn {
    fn or_on(self, day: NaiveDate) -> NaiveDate;
}

impl RegisteredOn for Option<NaiveDate> {
    fn or_on(self, day: NaiveDate) -> NaiveDate {
        self.unwrap_or(day)
    }
}

impl RegisteredOn for NaiveDate {
    fn or_on(self, _: NaiveDate) -> NaiveDate {
        self
    }
}

/// A count stored as `INTEGER`: every count the domain admits fits.
fn int(n: u32) -> Option<i32> {
    Some(i32::try_from(n).unwrap_or(i32::MAX))
}

pledge_cells!(p, category, registered_on => {
    member_state: Cell::Text(Some(p.member_state.as_str())),
    pledge_ref: Cell::Text(Some(p.pledge_ref.as_str())),
    capability: Cell::Text(Some(p.capability.as_str())),
    category: Cell::Text(Some(category.as_str())),
    quantity: Cell::Int(int(p.quantity.get())),
    personnel: Cell::Int(int(p.personnel.total())),
    female_personnel: Cell::Int(int(p.personnel.women())),
    personnel_estimated: Cell::Bool(p.personnel.is_estimated()),
    readiness: Cell::Text(Some(p.readiness.as_str())),
    available_from: Cell::Date(p.available_from),
    duration_months: Cell::SmallInt(p.duration_months.map(|d| i16::from(d.get()))),
    mission: Cell::Text(p.mission.as_ref().map(|m| m.as_str())),
    conference: Cell::Text(p.conference.as_ref().map(|c| c.as_str())),
    status: Cell::Text(Some(p.status.as_str())),
    caveats: Cell::Text(p.caveats.as_deref()),
    monthly_cost_cents: Cell::BigInt(p.monthly_cost_usd.map(|u| u.cents())),
    notes: Cell::Text(p.notes.as_deref()),
    registered_on: Cell::Date(Some(p.registered_on.or_on(registered_on))),
    renewed_on: Cell::Date(p.renewed_on),
    supersedes_ref: Cell::Text(p.supersedes.as_ref().map(|r| r.as_str())),
});

/// [`COLUMNS`] as an SQL list: `member_state, pledge_ref, …`, each prefixed by `prefix`
/// (`""`, or a table alias and its dot such as `"p."`).
pub(crate) fn column_list(prefix: &str) -> String {
    crate::columns::column_list(prefix, COLUMNS)
}

/// Sets the [`COLUMNS`] of a `pledges` or `pledge_versions` active model to `cells`.
pub(crate) fn set_cells<A>(model: &mut A, cells: [Cell<'_>; CELLS]) -> Result<(), StoreError>
where
    A: ActiveModelTrait,
    <A::Entity as EntityTrait>::Column: FromStr,
{
    for (name, cell) in COLUMNS.into_iter().zip(cells) {
        let column = name
            .parse()
            .map_err(|_| StoreError::Other(format!("no pledge column '{name}' in this table")))?;
        model.try_set(column, cell.into())?;
    }
    Ok(())
}

/// The `pledges` row of a new version of a pledge: its [`COLUMNS`], `version`, `updated_at`
/// and `updated_by` (and, for a new pledge, `created_at`, which the caller sets).
pub(crate) fn pledge_row(
    p: &NewPledge,
    category: Category,
    registered_on: NaiveDate,
    version: i32,
    by: &str,
    at: DateTime<Utc>,
) -> Result<pledge::ActiveModel, StoreError> {
    use sea_orm::ActiveValue::Set;
    let mut row = pledge::ActiveModel {
        version: Set(version),
        updated_at: Set(at),
        updated_by: Set(by.to_owned()),
        ..Default::default()
    };
    set_cells(&mut row, cells(p, category, registered_on))?;
    Ok(row)
}

/// The superseded version row for `old`, valid until `until`.
pub(crate) fn version_row(
    old: &Pledge,
    until: DateTime<Utc>,
) -> Result<pledge_version::ActiveModel, StoreError> {
    use sea_orm::ActiveValue::Set;
    let mut row = pledge_version::ActiveModel {
        pledge_id: Set(old.id),
        version: Set(old.version),
        valid_from: Set(old.updated_at),
        valid_to: Set(until),
        changed_by: Set(old.updated_by.clone()),
        partners: Set(partners_text(&old.partners)),
        equipment: Set(equipment_json(&old.equipment).to_string()),
        created_at: Set(old.created_at),
        ..Default::default()
    };
    set_cells(
        &mut row,
        cells(&old.to_new(), old.category, old.registered_on),
    )?;
    Ok(row)
}

/// SQL: whether a pledge's PCRS renewal falls due by the day whose
/// [`DueThresholds`](pledgeboard_domain::renewal::DueThresholds) are the placeholders
/// `registered_by` and `renewed_by`.
pub(crate) fn renewal_due_by(registered_by: &str, renewed_by: &str) -> String {
    format!(
        "((renewed_on IS NULL AND registered_on <= {registered_by}) OR renewed_on <= {renewed_by})"
    )
}

/// The columns a `SELECT` lists for [`pledge_renewal`].
pub(crate) const RENEWAL_COLUMNS: &str =
    "id, member_state, pledge_ref, capability, registered_on, renewed_on";

/// A pledge's renewal dates, read from a result row that selected [`RENEWAL_COLUMNS`].
pub(crate) fn pledge_renewal(r: &QueryResult) -> Result<PledgeRenewal, StoreError> {
    Ok(PledgeRenewal {
        pledge_id: r.try_get("", "id")?,
        member_state: r.try_get("", "member_state")?,
        pledge_ref: r.try_get("", "pledge_ref")?,
        capability: r.try_get("", "capability")?,
        registered_on: r.try_get("", "registered_on")?,
        renewed_on: r.try_get("", "renewed_on")?,
    })
}

/// Builds domain pledges from rows plus their partners and equipment, grouped by pledge id.
pub(crate) fn assemble(
    rows: Vec<pledge::Model>,
    partners: Vec<pledge_partner::Model>,
    equipment: Vec<pledge_equipment::Model>,
) -> Result<Vec<Pledge>, StoreError> {
    let mut details = Details::group(partners, equipment)?;
    rows.into_iter().map(|row| details.pledge(row)).collect()
}

/// Partners and equipment lines grouped by pledge id, each group given to its pledge's row
/// by [`Details::pledge`].
pub(crate) struct Details {
    partners: HashMap<i64, Vec<Partner>>,
    equipment: HashMap<i64, Vec<EquipmentLine>>,
}

impl Details {
    pub(crate) fn group(
        partners: Vec<pledge_partner::Model>,
        equipment: Vec<pledge_equipment::Model>,
    ) -> Result<Self, StoreError> {
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
        Ok(Self {
            partners: partners_by,
            equipment: equipment_by,
        })
    }

    /// The domain pledge of a row, with its partners (by member state) and equipment lines.
    pub(crate) fn pledge(&mut self, row: pledge::Model) -> Result<Pledge, StoreError> {
        let id = row.id;
        let mut partners = self.partners.remove(&id).unwrap_or_default();
        partners.sort_by(|a, b| a.member_state.cmp(&b.member_state));
        to_domain(
            row,
            partners,
            self.equipment.remove(&id).unwrap_or_default(),
        )
    }
}

/// A `SELECT` of `pledge_versions` rows in the shape of `pledges` rows (`id`, [`COLUMNS`],
/// `version`, `created_at`, `updated_at`, `updated_by`), plus `valid_to`, `partners` and
/// `equipment`: what [`version_to_domain`] reads. `WHERE` and `ORDER BY` are the caller's.
pub(crate) fn versions_select() -> String {
    format!(
        "SELECT pledge_id AS id, {}, version, created_at, valid_from AS updated_at, \
         changed_by AS updated_by, valid_to, partners, equipment FROM pledge_versions",
        column_list("")
    )
}

/// Builds the domain pledge a superseded version row holds, read by [`versions_select`]: its
/// partners kept as CSV text and its equipment as JSON, both as [`version_row`] wrote them.
pub(crate) fn version_to_domain(r: &QueryResult) -> Result<Pledge, StoreError> {
    use sea_orm::FromQueryResult;
    let row = pledge::Model::from_query_result(r, "")?;
    let partners = r
        .try_get::<String>("", "partners")?
        .split(';')
        .filter(|entry| !entry.is_empty())
        .map(str::parse)
        .collect::<Result<Vec<Partner>, _>>()?;
    let equipment =
        serde_json::from_str::<Vec<StoredEquipment>>(&r.try_get::<String>("", "equipment")?)
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
        personnel: Personnel::new(i64::from(m.personnel), i64::from(m.female_personnel))?
            .marked_estimated(m.personnel_estimated),
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
        supersedes: m
            .supersedes_ref
            .as_deref()
            .map(PledgeRef::parse)
            .transpose()?,
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
    personnel_estimated: bool = p.personnel.is_estimated(),
    pledge_ref: &'a str = p.pledge_ref.as_str(),
    quantity: u32 = p.quantity.get(),
    readiness: &'a str = p.readiness.as_str(),
    registered_on: NaiveDate = p.registered_on,
    renewed_on: Option<NaiveDate> = p.renewed_on,
    status: &'a str = p.status.as_str(),
    supersedes: Option<String> = p.supersedes_key().map(|k| k.to_string()),
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

    use std::collections::BTreeSet;

    use pledgeboard_domain::pledge_csv;
    use sea_orm::ActiveValue::Set;

    use super::{
        CELLS, COLUMNS, PledgeValues, cells, changed_values, equipment_json, pledge_row,
        pledge_values, version_row, write_equipment_json, write_json,
    };
    use crate::import::cells::{CellRef, Rows};

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
            supersedes: full.then(|| PledgeRef::parse("PAK-2025-007").unwrap()),
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

    fn names(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn the_columns_are_the_domains_pledge_columns_as_the_store_keeps_them() {
        let mut domain = names(&pledge_csv::COLUMNS);
        // Partners are rows of their own table, `pledge_partners`.
        assert!(domain.remove("partners"));
        // Money is stored as whole cents; the file and the API give dollars.
        assert!(domain.remove("monthly_cost_usd"));
        domain.insert("monthly_cost_cents".into());
        // The category is the capability's, from the catalog, kept on the row so that reports
        // group and filter by it without a join.
        domain.insert("category".into());
        // The earlier pledge is the same state's: its reference alone is kept.
        assert!(domain.remove("supersedes"));
        domain.insert("supersedes_ref".into());
        // Milestones are rows of their own table, `pledge_milestones`.
        for column in pledgeboard_domain::milestone_columns::MILESTONE_COLUMNS {
            assert!(domain.remove(column));
        }
        assert_eq!(names(&COLUMNS), domain);
        assert_eq!(CELLS, COLUMNS.len());
    }

    #[test]
    fn history_values_name_every_column_and_the_rest_of_a_pledge() {
        let values = pledge_values(&pledge(true));
        let keys: BTreeSet<String> = values.as_object().unwrap().keys().cloned().collect();
        let mut expected = names(&COLUMNS);
        assert!(expected.remove("monthly_cost_cents"));
        // History names the earlier pledge by its key, `ISO3:REF`.
        assert!(expected.remove("supersedes_ref"));
        for key in [
            "monthly_cost_usd",
            "id",
            "version",
            "partners",
            "equipment",
            "supersedes",
        ] {
            expected.insert(key.into());
        }
        assert_eq!(keys, expected);
    }

    #[test]
    fn cells_pushed_onto_an_import_batch_keep_their_columns_and_types() {
        let today = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        let at = |column: &str| COLUMNS.iter().position(|c| *c == column).unwrap();
        for (p, cost, caveats) in [
            (
                pledge(true),
                CellRef::Int(123_456),
                CellRef::Text("say \"hi\", \\ {x}\n\té"),
            ),
            (pledge(false), CellRef::Null, CellRef::Null),
        ] {
            let mut new = p.to_new();
            new.registered_on = None;
            let mut rows = Rows::new(CELLS, 1);
            for cell in cells(&new, p.category, today) {
                cell.push_onto(&mut rows);
            }
            assert_eq!(rows.len(), 1);
            assert_eq!(rows.cell(0, at("member_state")), CellRef::Text("PAK"));
            assert_eq!(rows.cell(0, at("quantity")), CellRef::Int(2));
            assert_eq!(rows.cell(0, at("monthly_cost_cents")), cost);
            assert_eq!(rows.cell(0, at("caveats")), caveats);
            assert_eq!(
                rows.cell(0, at("registered_on")),
                CellRef::Text("2026-05-01"),
                "a pledge giving no registration date is registered today"
            );
        }
    }

    #[test]
    fn a_pledge_row_and_a_version_row_set_every_column_from_the_cells() {
        let p = pledge(true);
        let date = NaiveDate::from_ymd_opt(2027, 1, 15).unwrap();
        let row = pledge_row(&p.to_new(), p.category, date, 4, "planner", Utc::now()).unwrap();
        assert_eq!(row.renewed_on, Set(Some(date)));
        assert_eq!(row.monthly_cost_cents, Set(Some(123_456)));
        assert_eq!(row.duration_months, Set(Some(12)));
        assert_eq!(row.version, Set(4));
        let old = version_row(&p, Utc::now()).unwrap();
        assert_eq!(old.renewed_on, Set(Some(date)));
        assert_eq!(old.partners, Set("JPN:equips".to_owned()));
        assert_eq!(old.category, Set("unit".to_owned()));
        assert_eq!(old.female_personnel, Set(170));
    }
}
