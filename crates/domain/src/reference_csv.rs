//! Reading the reference and demo fixture files (capabilities, missions, conferences, gender
//! targets, requirements) into domain types, with line-numbered errors.

use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::pledge_csv::LineError;
use crate::pledge_draft::parse_iso_date;
use crate::requirement::RequirementDraft;
use crate::{
    Capability, CapabilityCode, Catalog, Conference, ConferenceCode, DomainError, GenderTarget,
    MemberStateCode, MemberStates, MilestoneDraft, Mission, MissionAcronym, NewMilestone,
    NewRequirement, PledgeRef,
};

fn read_rows<R: DeserializeOwned, T>(
    text: &str,
    convert: impl Fn(R) -> Result<T, DomainError>,
) -> Result<Vec<T>, Vec<LineError>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for row in reader.deserialize::<R>() {
        let line = |e: &csv::Error| e.position().map_or(0, |p| p.line());
        match row {
            Ok(r) => match convert(r) {
                Ok(t) => out.push(t),
                Err(e) => errors.push(LineError::new(
                    out.len() as u64 + errors.len() as u64 + 2,
                    "",
                    "",
                    e.to_string(),
                )),
            },
            Err(e) => errors.push(LineError::new(
                line(&e),
                "",
                "",
                format!("this line cannot be read: {e}"),
            )),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn optional(text: String) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

#[derive(Deserialize)]
struct CapabilityRow {
    code: String,
    name: String,
    category: String,
    unit_of_measure: String,
    standard_personnel: u32,
    gender_category: String,
}

/// Reads `capabilities.csv`.
pub fn parse_capabilities(text: &str) -> Result<Vec<Capability>, Vec<LineError>> {
    read_rows(text, |r: CapabilityRow| {
        Ok(Capability {
            code: CapabilityCode::parse(&r.code)?,
            name: r.name,
            category: r.category.parse()?,
            unit_of_measure: r.unit_of_measure.parse()?,
            standard_personnel: r.standard_personnel,
            gender_category: optional(r.gender_category).map(|g| g.parse()).transpose()?,
        })
    })
}

#[derive(Deserialize)]
struct MissionRow {
    acronym: String,
    name: String,
    location: String,
    established_on: String,
}

/// Reads `missions.csv`.
pub fn parse_missions(text: &str) -> Result<Vec<Mission>, Vec<LineError>> {
    read_rows(text, |r: MissionRow| {
        Ok(Mission {
            acronym: MissionAcronym::parse(&r.acronym)?,
            name: r.name,
            location: r.location,
            established_on: optional(r.established_on)
                .map(|d| parse_iso_date(&d))
                .transpose()?,
        })
    })
}

#[derive(Deserialize)]
struct MilestoneRow {
    member_state: String,
    pledge_ref: String,
    kind: String,
    date: String,
    #[serde(default)]
    mission: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    source_ref: String,
}

/// A milestone of the demo data (`demo_milestones.csv`): the pledge it follows, by key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgeMilestoneRow {
    pub member_state: MemberStateCode,
    pub pledge_ref: PledgeRef,
    pub milestone: NewMilestone,
}

/// Reads `demo_milestones.csv` (`member_state,pledge_ref,kind,date,mission,note,source_ref`);
/// each milestone is checked on its own here, against its pledge when loaded.
pub fn parse_pledge_milestones(
    text: &str,
    catalog: &Catalog,
) -> Result<Vec<PledgeMilestoneRow>, Vec<LineError>> {
    read_rows(text, |r: MilestoneRow| {
        let draft = MilestoneDraft {
            kind: r.kind,
            date: r.date,
            mission: Some(r.mission),
            note: Some(r.note),
            source_ref: Some(r.source_ref),
        };
        let milestone = draft.validate(catalog).map_err(|errors| {
            let words: Vec<String> = errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect();
            DomainError::invalid(words.join("; "))
        })?;
        Ok(PledgeMilestoneRow {
            member_state: catalog.member_state(&r.member_state)?.code.clone(),
            pledge_ref: PledgeRef::parse(&r.pledge_ref)?,
            milestone,
        })
    })
}

#[derive(Deserialize)]
struct ConferenceRow {
    code: String,
    name: String,
    hosts: String,
    location: String,
    starts_on: String,
    ends_on: String,
}

/// Reads `conferences.csv`; host states are checked against `member_states`.
pub fn parse_conferences(
    text: &str,
    member_states: &MemberStates,
) -> Result<Vec<Conference>, Vec<LineError>> {
    read_rows(text, |r: ConferenceRow| {
        let hosts = r
            .hosts
            .split(';')
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(|h| member_states.find(h).map(|m| m.code.clone()))
            .collect::<Result<Vec<_>, _>>()?;
        Conference::new(
            ConferenceCode::parse(&r.code)?,
            r.name,
            hosts,
            r.location,
            parse_iso_date(&r.starts_on)?,
            parse_iso_date(&r.ends_on)?,
        )
    })
}

#[derive(Deserialize)]
struct GenderTargetRow {
    category: String,
    year: i32,
    percent: String,
}

/// Reads `gender_targets.csv`.
pub fn parse_gender_targets(text: &str) -> Result<Vec<GenderTarget>, Vec<LineError>> {
    read_rows(text, |r: GenderTargetRow| {
        let percent: Decimal = r
            .percent
            .parse()
            .map_err(|_| DomainError::invalid(format!("'{}' is not a percentage", r.percent)))?;
        GenderTarget::new(r.category.parse()?, r.year, percent)
    })
}

#[derive(Deserialize)]
struct RequirementRow {
    mission: String,
    capability: String,
    quantity: String,
    personnel: String,
    needed_by: String,
    priority: String,
}

/// Reads a requirements file, checking missions and capabilities against the catalog.
pub fn parse_requirements(
    text: &str,
    catalog: &Catalog,
) -> Result<Vec<NewRequirement>, Vec<LineError>> {
    read_rows(text, |r: RequirementRow| {
        let number = |t: &str, what: &str| -> Result<Option<i64>, DomainError> {
            match t.trim() {
                "" => Ok(None),
                v => v.parse().map(Some).map_err(|_| {
                    DomainError::invalid(format!("{what} '{v}' is not a whole number"))
                }),
            }
        };
        RequirementDraft {
            mission: r.mission,
            capability: r.capability,
            quantity: number(&r.quantity, "quantity")?,
            personnel: number(&r.personnel, "personnel")?,
            needed_by: r.needed_by,
            priority: r.priority,
        }
        .validate(catalog)
        .map_err(|errors| {
            DomainError::invalid(
                errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })
    })
}
