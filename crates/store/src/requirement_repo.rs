//! Requirements: what each mission needs, one row per (mission, capability).

use chrono::Utc;
use pledgeboard_domain::{CapabilityCode, MissionAcronym, NewRequirement, Quantity, Requirement};
use sea_orm::{ActiveValue::Set, EntityTrait, QueryOrder};

use crate::entities::requirement;
use crate::{Store, StoreError};

fn to_domain(m: requirement::Model) -> Result<Requirement, StoreError> {
    Ok(Requirement {
        id: m.id,
        mission: MissionAcronym::parse(&m.mission)?,
        capability: CapabilityCode::parse(&m.capability)?,
        quantity: Quantity::new(i64::from(m.quantity))?,
        personnel: u32::try_from(m.personnel).unwrap_or(0),
        needed_by: m.needed_by,
        priority: m.priority.parse()?,
        version: m.version,
    })
}

fn to_active(r: &NewRequirement) -> requirement::ActiveModel {
    let now = Utc::now();
    requirement::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        mission: Set(r.mission.to_string()),
        capability: Set(r.capability.to_string()),
        quantity: Set(i32::try_from(r.quantity.get()).unwrap_or(i32::MAX)),
        personnel: Set(i32::try_from(r.personnel).unwrap_or(i32::MAX)),
        needed_by: Set(r.needed_by),
        priority: Set(r.priority.to_string()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

impl Store {
    /// Every requirement, by mission then capability.
    pub async fn list_requirements(&self) -> Result<Vec<Requirement>, StoreError> {
        requirement::Entity::find()
            .order_by_asc(requirement::Column::Mission)
            .order_by_asc(requirement::Column::Capability)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_domain)
            .collect()
    }

    /// Adds the requirements whose (mission, capability) has none yet; returns how many.
    pub(crate) async fn insert_missing_requirements(
        &self,
        requirements: &[NewRequirement],
    ) -> Result<u64, StoreError> {
        use sea_orm::TryInsertResult;
        if requirements.is_empty() {
            return Ok(0);
        }
        let result = requirement::Entity::insert_many(requirements.iter().map(to_active))
            .on_conflict_do_nothing_on([
                requirement::Column::Mission,
                requirement::Column::Capability,
            ])
            .exec_without_returning(&self.db)
            .await?;
        Ok(match result {
            TryInsertResult::Inserted(n) => n,
            _ => 0,
        })
    }
}
