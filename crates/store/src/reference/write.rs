//! Admins' writes to missions and conferences, audited like every change.

use pledgeboard_domain::{Actor, Conference, Mission, message};
use sea_orm::{ActiveModelTrait, EntityTrait};
use serde_json::json;

use crate::audit::{Change, record};
use crate::clock::now;
use crate::entities::{conference, mission};
use crate::reference::rows::{conference_of, conference_row, mission_of, mission_row};
use crate::{Store, StoreError};

fn mission_values(m: &Mission) -> serde_json::Value {
    json!({ "acronym": m.acronym.as_str(), "name": m.name, "location": m.location, "established_on": m.established_on })
}

fn conference_values(c: &Conference) -> serde_json::Value {
    json!({
        "code": c.code.as_str(), "name": c.name,
        "hosts": c.hosts.iter().map(|h| h.as_str()).collect::<Vec<_>>(),
        "location": c.location, "starts_on": c.starts_on, "ends_on": c.ends_on,
    })
}

impl Store {
    /// Adds a mission; an acronym already in use is a conflict.
    pub async fn create_mission(&self, m: &Mission, actor: &Actor) -> Result<(), StoreError> {
        let at = now();
        let txn = self.begin_write().await?;
        if mission::Entity::find_by_id(m.acronym.to_string())
            .one(&txn)
            .await?
            .is_some()
        {
            return Err(StoreError::Conflict(message!(
                "err-conflict-mission",
                "mission {mission} already exists",
                mission = &m.acronym
            )));
        }
        mission::Entity::insert(mission_row(m))
            .exec_without_returning(&txn)
            .await?;
        record(
            &txn,
            Change {
                actor,
                action: "create",
                entity: "mission",
                entity_id: m.acronym.to_string(),
                before: None,
                after: Some(mission_values(m)),
                at,
            },
        )
        .await?;
        crate::data_version::commit_change(txn).await?;
        Ok(())
    }

    /// Replaces a mission's name, location and start date.
    pub async fn update_mission(&self, m: &Mission, actor: &Actor) -> Result<(), StoreError> {
        let at = now();
        let txn = self.begin_write().await?;
        let old = mission::Entity::find_by_id(m.acronym.to_string())
            .one(&txn)
            .await?
            .ok_or_else(|| {
                StoreError::NotFound(message!(
                    "err-missing-mission",
                    "mission {mission}",
                    mission = &m.acronym
                ))
            })?;
        let before = mission_values(&mission_of(old)?);
        let after = mission_values(m);
        if before == after {
            return Ok(());
        }
        mission_row(m).update(&txn).await?;
        record(
            &txn,
            Change {
                actor,
                action: "update",
                entity: "mission",
                entity_id: m.acronym.to_string(),
                before: Some(before),
                after: Some(after),
                at,
            },
        )
        .await?;
        crate::data_version::commit_change(txn).await?;
        Ok(())
    }

    /// Adds a conference; a code already in use is a conflict.
    pub async fn create_conference(&self, c: &Conference, actor: &Actor) -> Result<(), StoreError> {
        let at = now();
        let txn = self.begin_write().await?;
        if conference::Entity::find_by_id(c.code.to_string())
            .one(&txn)
            .await?
            .is_some()
        {
            return Err(StoreError::Conflict(message!(
                "err-conflict-conference",
                "conference {conference} already exists",
                conference = &c.code
            )));
        }
        conference::Entity::insert(conference_row(c))
            .exec_without_returning(&txn)
            .await?;
        record(
            &txn,
            Change {
                actor,
                action: "create",
                entity: "conference",
                entity_id: c.code.to_string(),
                before: None,
                after: Some(conference_values(c)),
                at,
            },
        )
        .await?;
        crate::data_version::commit_change(txn).await?;
        Ok(())
    }

    /// Replaces a conference's name, hosts, location and dates.
    pub async fn update_conference(&self, c: &Conference, actor: &Actor) -> Result<(), StoreError> {
        let at = now();
        let txn = self.begin_write().await?;
        let old = conference::Entity::find_by_id(c.code.to_string())
            .one(&txn)
            .await?
            .ok_or_else(|| {
                StoreError::NotFound(message!(
                    "err-missing-conference",
                    "conference {conference}",
                    conference = &c.code
                ))
            })?;
        let before = conference_values(&conference_of(old)?);
        let after = conference_values(c);
        if before == after {
            return Ok(());
        }
        conference_row(c).update(&txn).await?;
        record(
            &txn,
            Change {
                actor,
                action: "update",
                entity: "conference",
                entity_id: c.code.to_string(),
                before: Some(before),
                after: Some(after),
                at,
            },
        )
        .await?;
        crate::data_version::commit_change(txn).await?;
        Ok(())
    }
}
