//! Reference data: reading the catalog, and putting missing reference rows in place.

use pledgeboard_domain::{
    Capability, CapabilityCode, Catalog, Conference, GenderTarget, MemberStates, Mission,
};
use rust_decimal::Decimal;
use sea_orm::{ActiveValue::Set, EntityTrait, QueryOrder};

use crate::entities::{capability, conference, gender_target, member_state, mission};
use crate::reference::rows::{conference_of, conference_row, mission_of, mission_row};
use crate::{Store, StoreError};

impl Store {
    /// Reads every reference table into a [`Catalog`].
    pub async fn catalog(&self) -> Result<Catalog, StoreError> {
        let capabilities = capability::Entity::find()
            .order_by_asc(capability::Column::Code)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|c| {
                Ok(Capability {
                    code: CapabilityCode::parse(&c.code)?,
                    name: c.name,
                    category: c.category.parse()?,
                    unit_of_measure: c.unit_of_measure.parse()?,
                    standard_personnel: u32::try_from(c.standard_personnel).unwrap_or(0),
                    gender_category: c.gender_category.map(|g| g.parse()).transpose()?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let missions = mission::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(mission_of)
            .collect::<Result<Vec<_>, StoreError>>()?;
        let conferences = conference::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(conference_of)
            .collect::<Result<Vec<_>, StoreError>>()?;
        let gender_targets = gender_target::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|t| {
                Ok(GenderTarget::new(
                    t.category.parse()?,
                    t.year,
                    Decimal::new(i64::from(t.percent_tenths), 1),
                )?)
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Catalog::new(
            MemberStates::load(),
            capabilities,
            missions,
            conferences,
            gender_targets,
        ))
    }

    /// Inserts whichever of these reference rows are missing; existing rows are left as they
    /// are (an admin may have edited them). Returns how many rows were added.
    pub async fn put_reference_in_place(
        &self,
        member_states: &MemberStates,
        capabilities: &[Capability],
        missions: &[Mission],
        conferences: &[Conference],
        gender_targets: &[GenderTarget],
    ) -> Result<u64, StoreError> {
        // One transaction: the data version rises once, with the rows, when any was added.
        let txn = self.begin_write().await?;
        let mut added = 0;
        added += insert_missing(
            &txn,
            member_states
                .all()
                .iter()
                .map(|s| member_state::ActiveModel {
                    code: Set(s.code.to_string()),
                    alpha2: Set(s.alpha2.clone()),
                    name: Set(s.name.clone()),
                }),
        )
        .await?;
        added += insert_missing(
            &txn,
            capabilities.iter().map(|c| capability::ActiveModel {
                code: Set(c.code.to_string()),
                name: Set(c.name.clone()),
                category: Set(c.category.to_string()),
                unit_of_measure: Set(c.unit_of_measure.to_string()),
                standard_personnel: Set(i32::try_from(c.standard_personnel).unwrap_or(i32::MAX)),
                gender_category: Set(c.gender_category.map(|g| g.to_string())),
            }),
        )
        .await?;
        added += insert_missing(&txn, missions.iter().map(mission_row)).await?;
        added += insert_missing(&txn, conferences.iter().map(conference_row)).await?;
        added += insert_missing(
            &txn,
            gender_targets.iter().map(|t| gender_target::ActiveModel {
                category: Set(t.category.to_string()),
                year: Set(t.year),
                percent_tenths: Set(tenths(t.percent)),
            }),
        )
        .await?;
        if added > 0 {
            crate::data_version::raise(&txn).await?;
        }
        txn.commit().await?;
        Ok(added)
    }
}

fn tenths(percent: Decimal) -> i32 {
    (percent * Decimal::TEN)
        .trunc()
        .to_string()
        .parse()
        .unwrap_or(0)
}

async fn insert_missing<C, A, I>(db: &C, rows: I) -> Result<u64, StoreError>
where
    C: sea_orm::ConnectionTrait,
    A: sea_orm::ActiveModelTrait + Send,
    I: IntoIterator<Item = A>,
{
    use sea_orm::TryInsertResult;
    let rows: Vec<A> = rows.into_iter().collect();
    if rows.is_empty() {
        return Ok(0);
    }
    let result = <A::Entity as EntityTrait>::insert_many(rows)
        .on_conflict_do_nothing()
        .exec_without_returning(db)
        .await?;
    Ok(match result {
        TryInsertResult::Inserted(n) => n,
        _ => 0,
    })
}
