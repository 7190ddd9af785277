//! Conversions between reference rows and domain values: one each way per table, used by the
//! catalog, the fixtures and the admins' writes.

use pledgeboard_domain::{Conference, ConferenceCode, MemberStateCode, Mission, MissionAcronym};
use sea_orm::ActiveValue::Set;

use crate::StoreError;
use crate::entities::{conference, mission};

/// A mission's row.
pub(crate) fn mission_row(m: &Mission) -> mission::ActiveModel {
    mission::ActiveModel {
        acronym: Set(m.acronym.to_string()),
        name: Set(m.name.clone()),
        location: Set(m.location.clone()),
        established_on: Set(m.established_on),
    }
}

/// The mission a row holds.
pub(crate) fn mission_of(m: mission::Model) -> Result<Mission, StoreError> {
    Ok(Mission {
        acronym: MissionAcronym::parse(&m.acronym)?,
        name: m.name,
        location: m.location,
        established_on: m.established_on,
    })
}

/// A conference's row; its hosts kept as alpha-3 codes joined by `;`.
pub(crate) fn conference_row(c: &Conference) -> conference::ActiveModel {
    conference::ActiveModel {
        code: Set(c.code.to_string()),
        name: Set(c.name.clone()),
        hosts: Set(c
            .hosts
            .iter()
            .map(|h| h.as_str())
            .collect::<Vec<_>>()
            .join(";")),
        location: Set(c.location.clone()),
        starts_on: Set(c.starts_on),
        ends_on: Set(c.ends_on),
    }
}

/// The conference a row holds.
pub(crate) fn conference_of(c: conference::Model) -> Result<Conference, StoreError> {
    let hosts = c
        .hosts
        .split(';')
        .filter(|h| !h.is_empty())
        .map(MemberStateCode::parse)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Conference::new(
        ConferenceCode::parse(&c.code)?,
        c.name,
        hosts,
        c.location,
        c.starts_on,
        c.ends_on,
    )?)
}
